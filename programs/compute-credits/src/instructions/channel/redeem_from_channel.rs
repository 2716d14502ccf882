use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;
use credit_math::CreditAtoms;

use super::{holder_is_held, vault_amount};
use crate::error::{ChannelResultExt, CreditsError};
use crate::instructions::credits::record_redemption;
use crate::state::{CreditClass, MeteringChannel, Provider};
use crate::token::{self, MintRef};

/// Provider (its authority or the settlement key it named) alone: burns `amount` credit atoms
/// of a channel's vault for metered usage, batch `seq` (it must be the channel's next sequence
/// number: a retried batch can never burn twice, a skipped one is refused: `WrongSequence`),
/// within the cap, the period cap, the vault's balance, the expiry and the holder's notice
/// (`credit_math::channel::ChannelMeter::redeem`). The provider's and the class's totals grow
/// and `CreditsRedeemed` is emitted, as for `redeem_credits`. Refused while the class is
/// paused and while the holder is under any freeze hold (`OwnerUnderHold`).
#[derive(Accounts)]
pub struct RedeemFromChannel<'info> {
    pub authority: Signer<'info>,
    #[account(mut, has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    #[account(mut)]
    pub provider: AccountLoader<'info, Provider>,
    #[account(mut, has_one = class @ CreditsError::WrongClass, has_one = provider @ CreditsError::NotProvider,
              has_one = vault @ CreditsError::WrongChannelAccount)]
    pub channel: AccountLoader<'info, MeteringChannel>,
    /// CHECK: the channel's vault (key checked against the channel); its balance is read in
    /// place and the token program checks it in the burn.
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,
    /// CHECK: the credit mint, its key checked against the class.
    #[account(mut)]
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: `["owner_holds", credit_mint, holder]` (address checked with the channel's bump);
    /// may not exist.
    pub holder_holds: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

impl RedeemFromChannel<'_> {
    pub fn handler(ctx: Context<Self>, seq: u64, amount: u64, usage_reference: [u8; 32]) -> Result<()> {
        let a = &ctx.accounts;
        let signer = a.authority.key();
        let provider_authority = {
            let provider = a.provider.load()?;
            require!(provider.may_settle(&signer), CreditsError::NotProvider);
            provider.authority
        };
        let (decimals, credit_mint) = {
            let class = a.class.load()?;
            class.require_active()?;
            (class.decimals, class.credit_mint)
        };
        let now = Clock::get()?.unix_timestamp;
        let vault = CreditAtoms(vault_amount(&a.vault.to_account_info())?);
        let (holder, signer_seeds) = {
            let mut channel = a.channel.load_mut()?;
            // a settlement key that is the holder's own wallet would attest delivery to nobody
            require_keys_neq!(signer, channel.holder, CreditsError::SelfRedemption);
            let held = holder_is_held(&channel, &a.holder_holds.to_account_info(), &credit_mint)?;
            require!(!held, CreditsError::OwnerUnderHold);
            let (terms, mut meter) = (channel.terms(), channel.meter());
            meter.redeem(&terms, now, seq, CreditAtoms(amount), vault).or_channel_err()?;
            channel.meter = meter.into();
            (channel.holder, channel.signer())
        };
        token::burn_signed(
            &a.credit_token_program.to_account_info(),
            MintRef::new(&a.credit_mint, decimals),
            &a.vault,
            &a.channel.to_account_info(),
            &signer_seeds.seeds(),
            amount,
        )?;
        record_redemption(&a.provider, &a.class, holder, provider_authority, amount, usage_reference)
    }
}
