use anchor_lang::prelude::*;

use crate::error::{ChannelResultExt, CreditsError};
use crate::events::ChannelCloseRequested;
use crate::state::MeteringChannel;

/// Holder: asks to close a channel. The notice starts: the provider may still redeem (what it
/// already served) until `notice_secs` have passed (or the expiry, if sooner); then anyone may
/// finalize. A second request is refused (`ChannelClosing`): the notice cannot be restarted.
/// Moves nothing, so it stays open while the class is paused.
#[derive(Accounts)]
pub struct RequestClose<'info> {
    pub holder: Signer<'info>,
    #[account(mut, has_one = holder @ CreditsError::NotChannelHolder)]
    pub channel: AccountLoader<'info, MeteringChannel>,
}

impl RequestClose<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let mut channel = ctx.accounts.channel.load_mut()?;
        let (terms, mut meter) = (channel.terms(), channel.meter());
        meter.request_close(now).or_channel_err()?;
        channel.meter = meter.into();
        emit!(ChannelCloseRequested {
            channel: ctx.accounts.channel.key(),
            requested_at: meter.close_requested_at,
            redeemable_until: meter.redeemable_until(&terms),
        });
        Ok(())
    }
}
