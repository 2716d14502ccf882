use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::AdminTransferred;
use crate::state::Platform;
use anchor_lang::prelude::*;

/// Step two of the admin transfer, signed by the proposed admin.
#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    pub pending_admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, mut, has_one = pending_admin @ CreditsError::NotPendingAdmin)]
    pub platform: AccountLoader<'info, Platform>,
}

impl AcceptAdmin<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let mut platform = ctx.accounts.platform.load_mut()?;
        let previous_admin = platform.admin;
        platform.admin = platform.pending_admin;
        platform.pending_admin = Pubkey::default();
        emit!(AdminTransferred { previous_admin, admin: platform.admin });
        Ok(())
    }
}
