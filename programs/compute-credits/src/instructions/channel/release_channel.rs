use anchor_lang::prelude::*;

use crate::error::CreditsError;
use crate::events::ChannelReleased;
use crate::state::MeteringChannel;

/// Provider (its authority, not the settlement key): ends a channel at once, giving up what it
/// has not redeemed yet; anyone may then finalize it. Moves nothing, so it stays open while the
/// class is paused. A second release is refused (`ChannelClosed`).
#[derive(Accounts)]
pub struct ReleaseChannel<'info> {
    pub provider_authority: Signer<'info>,
    #[account(mut, constraint = channel.load()?.provider_authority == provider_authority.key() @ CreditsError::NotProvider)]
    pub channel: AccountLoader<'info, MeteringChannel>,
}

impl ReleaseChannel<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let mut channel = ctx.accounts.channel.load_mut()?;
        require!(channel.meter.released == 0, CreditsError::ChannelClosed);
        channel.meter.released = 1;
        emit!(ChannelReleased { channel: ctx.accounts.channel.key(), redeemed: channel.meter.redeemed.0 });
        Ok(())
    }
}
