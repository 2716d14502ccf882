use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::UnderwriterSet;
use crate::state::Platform;
use anchor_lang::prelude::*;

/// The admin names the underwriter, whose approvals compute financing needs. A new key
/// invalidates every approval the previous one signed (they are checked against the platform's
/// underwriter when used), so a compromised underwriter key is retired in one transaction.
#[derive(Accounts)]
pub struct SetUnderwriter<'info> {
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, mut, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
}

impl SetUnderwriter<'_> {
    pub fn handler(ctx: Context<Self>, underwriter: Pubkey) -> Result<()> {
        require!(underwriter != Pubkey::default(), CreditsError::DefaultKey);
        let mut platform = ctx.accounts.platform.load_mut()?;
        let previous_underwriter = platform.underwriter;
        platform.underwriter = underwriter;
        emit!(UnderwriterSet { previous_underwriter, underwriter });
        Ok(())
    }
}
