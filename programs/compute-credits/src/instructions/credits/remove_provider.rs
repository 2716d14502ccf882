use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::ProviderRemoved;
use crate::state::{CreditClass, Platform, Provider};
use anchor_lang::prelude::*;

/// Revokes a provider: its account is closed (rent to the admin) so it can no longer redeem.
#[derive(Accounts)]
pub struct RemoveProvider<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut)]
    pub class: AccountLoader<'info, CreditClass>,
    #[account(mut, close = admin, has_one = class @ CreditsError::WrongClass)]
    pub provider: AccountLoader<'info, Provider>,
}

impl RemoveProvider<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        {
            let mut class = ctx.accounts.class.load_mut()?;
            class.provider_count = class.provider_count.checked_sub(1).ok_or(CreditsError::MathOverflow)?;
        }
        emit!(ProviderRemoved {
            class: ctx.accounts.class.key(),
            provider: ctx.accounts.provider.load()?.authority,
            redeemed_total: ctx.accounts.provider.load()?.redeemed,
        });
        Ok(())
    }
}
