use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::MarketPauseChanged;
use crate::state::{MarketV2, Platform};
use anchor_lang::prelude::*;

/// Admin or guardian pauses a v2 market (no new orders, no swaps, no credit withdrawals;
/// cancels and quote withdrawals still work); only the admin resumes it.
#[derive(Accounts)]
pub struct SetMarketV2Paused<'info> {
    pub authority: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
}

impl SetMarketV2Paused<'_> {
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
