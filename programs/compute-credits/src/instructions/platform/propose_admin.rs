use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::AdminTransferProposed;
use crate::state::Platform;
use anchor_lang::prelude::*;

/// Step one of the admin transfer: the new admin must accept before anything changes, so a
/// typo cannot hand the platform to a key nobody holds.
#[derive(Accounts)]
pub struct ProposeAdmin<'info> {
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, mut, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
}

impl ProposeAdmin<'_> {
    pub fn handler(ctx: Context<Self>, new_admin: Pubkey) -> Result<()> {
        require!(new_admin != Pubkey::default(), CreditsError::DefaultKey);
        let mut platform = ctx.accounts.platform.load_mut()?;
        platform.pending_admin = new_admin;
        emit!(AdminTransferProposed { admin: platform.admin, pending_admin: new_admin });
        Ok(())
    }
}
