//! The provider's commands: redeem a metered batch (the provider's authority or its settlement
//! key signs alone), release the channel.
use clap::Args;
use credit_client::ix::channel as ix;

use super::ChannelRef;
use crate::commands::args::Amount;
use crate::commands::holder::usage_reference;
use crate::commands::output::{self, fact, units};
use crate::commands::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct RedeemArgs {
    #[command(flatten)]
    pub channel: ChannelRef,
    /// The batch's sequence number: the channel's next one (`app channel show`). A retried
    /// batch carries the same number, so it can never burn twice (`WrongSequence`).
    #[arg(long)]
    pub seq: u64,
    /// Credits metered in the batch.
    #[arg(long)]
    pub amount: Amount,
    /// The batch's usage reference: up to 32 bytes of text (a receipt id), or 0x and 64 hex
    /// digits (a hash of the receipts).
    #[arg(long)]
    pub usage_ref: String,
}

pub fn redeem(ctx: &Context, a: RedeemArgs) -> CliResult {
    let signer = ctx.signer()?;
    let l = a.channel.load(ctx, None)?;
    let amount = a.amount.atoms(l.decimals())?;
    let ix =
        ix::redeem_from_channel(&l.keys, &signer.pubkey(), a.seq, amount, usage_reference(&a.usage_ref)?);
    output::run(
        ctx,
        &[ix],
        &[signer],
        &[
            fact("channel", l.address),
            ("seq", serde_json::json!(a.seq), format!("Batch: {}", a.seq)),
            (
                "amount",
                serde_json::json!(amount),
                format!("Redeemed: {} {}", units(amount, l.decimals()), l.class.unit()),
            ),
        ],
    )?;
    Ok(())
}

pub fn release(ctx: &Context, a: ChannelRef) -> CliResult {
    let provider = ctx.signer()?;
    let l = a.load(ctx, None)?;
    // the signer is the one the program checks against the channel's provider (`NotProvider`)
    let keys = credit_client::ChannelKeys { provider_authority: provider.pubkey(), ..l.keys };
    output::run(ctx, &[ix::release_channel(&keys)], &[provider], &[fact("channel", l.address)])?;
    Ok(())
}
