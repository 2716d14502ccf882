//! `app channel ...`: metering channels (issue 14). The holder opens a channel to a registered
//! provider and escrows credits once (`open`), adds to it (`top-up`), asks to close it (`close`:
//! the notice starts) and takes the rest back once it stopped (`finalize`, anyone); the provider
//! (or the settlement key it named: `app provider settlement-key`) redeems metered batches, each
//! with the channel's next sequence number (`redeem`), or ends the channel at once (`release`);
//! the readers (`show`, `list`). A channel is named by its address, or by its class, holder and
//! provider.
use anchor_lang::prelude::Pubkey;
use clap::{Args, Subcommand};
use compute_credits::state::{CreditClass, MeteringChannel};
use credit_client::{pda, read, ChannelKeys};

use super::args::ClassArg;
use super::CliResult;
use crate::context::Context;

mod holder;
mod key;
mod provider;
pub mod show;

#[derive(Args)]
#[command(
    after_help = "Amounts: in credits (`12.5`), or exact atoms with an `atoms` suffix (`12500000atoms`).
Lengths of time: seconds (`90`) or with a unit s, m, h, d, w (`1h`, `30d`); points in time: a length from now, or RFC 3339 (`2026-12-31T00:00:00Z`).
A channel is named by its address, or by --class, --holder (default: the signer for the holder's commands) and --provider."
)]
pub struct ChannelArgs {
    #[command(subcommand)]
    pub command: ChannelCommand,
}

#[derive(Subcommand)]
pub enum ChannelCommand {
    /// Holder: open a channel to a registered provider of the class, escrowing credits.
    Open(holder::OpenArgs),
    /// Holder: add credits, raise the cap and/or extend the expiry.
    TopUp(holder::TopUpArgs),
    /// Holder: ask to close; the provider may still redeem until the notice ends.
    Close(ChannelRef),
    /// Anyone: once the channel stopped (notice over, expired or released), return the rest to
    /// the holder and close the channel and its vault.
    Finalize(holder::FinalizeArgs),
    /// Provider: end the channel at once (the holder may finalize right away).
    Release(ChannelRef),
    /// Provider or its settlement key: redeem a metered batch (burned from the vault).
    Redeem(provider::RedeemArgs),
    /// Holder: get an API key from a usage gateway by signing with the channel's wallet
    /// (`--revoke ID` revokes one).
    Key(key::KeyArgs),
    /// A channel: terms, meter, vault, headroom now, redeemable until, recent batches, burn rate.
    Show(show::ShowArgs),
    /// Channels, by holder and/or provider.
    List(show::ListArgs),
}

/// A channel: its address, or its class, holder and provider.
#[derive(Args, Clone)]
pub struct ChannelRef {
    /// The channel's address (or name it with --class, --holder, --provider).
    pub channel: Option<Pubkey>,
    #[arg(long, help = super::args::CLASS_HELP)]
    pub class: Option<ClassArg>,
    /// The holder (default: the signer, for the holder's commands).
    #[arg(long)]
    pub holder: Option<Pubkey>,
    /// The provider's authority (its signing key).
    #[arg(long)]
    pub provider: Option<Pubkey>,
}

/// An open channel with its class and every key its instructions name.
pub struct Loaded {
    pub address: Pubkey,
    pub channel: MeteringChannel,
    pub class: CreditClass,
    pub keys: ChannelKeys,
}

impl Loaded {
    pub fn decimals(&self) -> u8 {
        self.class.decimals
    }
}

impl ChannelRef {
    /// The channel's address; `holder` is the default holder (the signer, for its commands).
    pub fn address(&self, holder: Option<Pubkey>) -> Result<Pubkey, String> {
        if let Some(c) = self.channel {
            if self.class.is_some() || self.holder.is_some() || self.provider.is_some() {
                return Err(
                    "name the channel by its address or by --class/--holder/--provider, not both".into()
                );
            }
            return Ok(c);
        }
        let need = "name the channel: its address, or --class, --holder and --provider";
        let class = self.class.ok_or(need)?;
        let holder = self.holder.or(holder).ok_or(need)?;
        let provider = self.provider.ok_or(need)?;
        Ok(pda::channel(&class.0, &holder, &provider))
    }

    /// Reads the channel and its class.
    pub fn load(&self, ctx: &Context, holder: Option<Pubkey>) -> Result<Loaded, String> {
        let address = self.address(holder)?;
        load(ctx, &address)
    }
}

/// Reads channel `address` and its class.
pub fn load(ctx: &Context, address: &Pubkey) -> Result<Loaded, String> {
    let channel = read::channel(&ctx.rpc, address).map_err(|e| format!("channel {address}: {e}"))?;
    let class = read::class(&ctx.rpc, &channel.class).map_err(|e| e.to_string())?;
    let keys = ChannelKeys::from_state(*address, &channel, &class);
    Ok(Loaded { address: *address, channel, class, keys })
}

/// The signer's key, the default holder of the holder's commands.
fn me(ctx: &Context) -> Option<Pubkey> {
    ctx.signer().ok().map(|s| s.pubkey())
}

pub fn run(ctx: &Context, args: ChannelArgs) -> CliResult {
    match args.command {
        ChannelCommand::Open(a) => holder::open(ctx, a),
        ChannelCommand::TopUp(a) => holder::top_up(ctx, a),
        ChannelCommand::Close(a) => holder::close(ctx, a),
        ChannelCommand::Finalize(a) => holder::finalize(ctx, a),
        ChannelCommand::Release(a) => provider::release(ctx, a),
        ChannelCommand::Redeem(a) => provider::redeem(ctx, a),
        ChannelCommand::Key(a) => key::key(ctx, a),
        ChannelCommand::Show(a) => show::show(ctx, a),
        ChannelCommand::List(a) => show::list(ctx, a),
    }
}
