use anchor_lang::prelude::*;

use crate::error::CreditsError;
use crate::events::MarketPauseChanged;
use crate::state::{Market, Platform};

/// Admin or guardian pauses a market (no new orders; cancels and withdrawals still work);
/// only the admin resumes it.
#[derive(Accounts)]
pub struct SetMarketPaused<'info> {
    pub authority: Signer<'info>,
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut)]
    pub market: AccountLoader<'info, Market>,
}

impl SetMarketPaused<'_> {
    pub fn handler(ctx: Context<Self>, paused: bool) -> Result<()> {
        let (signer, p) = (ctx.accounts.authority.key(), *ctx.accounts.platform.load()?);
        if paused {
            require!(signer == p.admin || signer == p.guardian, CreditsError::NotAdminOrGuardian);
        } else {
            require_keys_eq!(signer, p.admin, CreditsError::NotAdmin);
        }
        ctx.accounts.market.load_mut()?.paused = u8::from(paused);
        emit!(MarketPauseChanged { market: ctx.accounts.market.key(), paused });
        Ok(())
    }
}
