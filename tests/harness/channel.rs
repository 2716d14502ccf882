//! Metering-channel fixtures: a class, a holder with credits, a registered provider, and the
//! keys of the holder's channel to it. The builders are `credit_client::ix::channel`.
use anchor_lang::prelude::Pubkey;
use compute_credits::state::MeteringChannel;
use compute_credits::OpenChannelArgs;
use solana_sdk::signature::{Keypair, Signer};

pub use credit_client::ix::channel::*;
pub use credit_client::pda::{channel as channel_pda, channel_vault as channel_vault_pda};
pub use credit_client::ChannelKeys;

use crate::context::{TestContext, TxResult};
use crate::fixtures::{ClassFixture, PlatformFixture, TokenKind, User};

/// One whole credit in atoms (the fixtures' classes have 6 decimals).
pub const CREDIT: u64 = 1_000_000;
pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;
/// What the world's holder buys: 100 credits.
pub const HOLDER_CREDITS: u64 = 100 * CREDIT;

pub struct ChannelWorld {
    pub f: PlatformFixture,
    pub c: ClassFixture,
    pub holder: User,
    pub provider: Keypair,
    /// The keys of `holder`'s channel to `provider`.
    pub k: ChannelKeys,
}

impl ChannelWorld {
    /// A platform, a class of `kind`, a holder holding [`HOLDER_CREDITS`] and a registered provider.
    pub async fn new(ctx: &mut TestContext, kind: TokenKind) -> ChannelWorld {
        let f = PlatformFixture::new(ctx, TokenKind::Spl).await;
        let c = f.create_class(ctx, kind).await;
        let holder = f.user(ctx, &c, 1_000_000_000).await;
        f.buy(ctx, &c, &holder, HOLDER_CREDITS).await.unwrap();
        let provider = f.provider(ctx, &c).await;
        let k = Self::keys_of(&c, &holder.pubkey(), &provider.pubkey());
        ChannelWorld { f, c, holder, provider, k }
    }

    /// The keys of `holder`'s channel to `provider_authority` in class `c`.
    pub fn keys_of(c: &ClassFixture, holder: &Pubkey, provider_authority: &Pubkey) -> ChannelKeys {
        ChannelKeys::new(&c.class, &c.mint, &c.program, holder, provider_authority)
    }

    /// Terms escrowing `amount` with a cap of `amount`, no period cap, a day to expiry and an
    /// hour's notice.
    pub async fn terms(&self, ctx: &mut TestContext, amount: u64) -> OpenChannelArgs {
        OpenChannelArgs {
            amount,
            cap: amount,
            period_cap: 0,
            period_secs: 0,
            expiry_ts: ctx.now().await + DAY,
            notice_secs: HOUR as u32,
        }
    }

    pub async fn open(&self, ctx: &mut TestContext, args: OpenChannelArgs) -> TxResult {
        let ix = open_channel(&self.k, &self.holder.credits, args);
        ctx.send(&[ix], &[&self.holder.key]).await
    }

    /// Opens the channel with [`ChannelWorld::terms`] for `amount`.
    pub async fn open_amount(&self, ctx: &mut TestContext, amount: u64) -> TxResult {
        let args = self.terms(ctx, amount).await;
        self.open(ctx, args).await
    }

    /// `signer` redeems batch `seq` of `amount` (usage reference: the sequence number).
    pub async fn redeem(&self, ctx: &mut TestContext, signer: &Keypair, seq: u64, amount: u64) -> TxResult {
        let ix = redeem_from_channel(&self.k, &signer.pubkey(), seq, amount, usage(seq));
        ctx.send(&[ix], &[signer]).await
    }

    pub async fn finalize(&self, ctx: &mut TestContext) -> TxResult {
        ctx.send(&[finalize_channel(&self.k, &self.holder.credits)], &[]).await
    }

    /// Every account a channel instruction can change: for "nothing changed" assertions.
    pub fn touched(&self) -> Vec<Pubkey> {
        vec![
            self.k.channel,
            self.k.vault,
            self.k.class,
            self.k.credit_mint,
            self.k.provider,
            self.holder.credits,
            self.holder.pubkey(),
        ]
    }
}

/// The usage reference the fixtures give batch `seq`.
pub fn usage(seq: u64) -> [u8; 32] {
    let mut r = [0u8; 32];
    r[..8].copy_from_slice(&seq.to_le_bytes());
    r[31] = 0xc7;
    r
}

/// The channel as the program stores it.
pub async fn channel_state(ctx: &mut TestContext, channel: &Pubkey) -> MeteringChannel {
    ctx.anchor_account(*channel).await
}
