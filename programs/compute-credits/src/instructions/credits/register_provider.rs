use anchor_lang::prelude::*;

use crate::constants::{PLATFORM, PROVIDER_SEED};
use crate::error::CreditsError;
use crate::events::ProviderRegistered;
use crate::pda::init_zero_copy_account;
use crate::state::{CreditClass, Platform, Provider};

/// Registers `provider_authority` as a compute provider that may redeem credits of `class`.
#[derive(Accounts)]
#[instruction(provider_authority: Pubkey)]
pub struct RegisterProvider<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut)]
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: the provider PDA, created here (`AlreadyInitialized` if registered).
    #[account(mut, seeds = [PROVIDER_SEED, class.key().as_ref(), provider_authority.as_ref()], bump)]
    pub provider: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl RegisterProvider<'_> {
    pub fn handler(ctx: Context<Self>, provider_authority: Pubkey) -> Result<()> {
        require!(provider_authority != Pubkey::default(), CreditsError::DefaultKey);
        {
            let mut class = ctx.accounts.class.load_mut()?;
            class.provider_count = class.provider_count.checked_add(1).ok_or(CreditsError::MathOverflow)?;
        }
        let class_key = ctx.accounts.class.key();
        let provider = Provider {
            class: class_key,
            authority: provider_authority,
            bump: ctx.bumps.provider,
            ..Default::default()
        };
        init_zero_copy_account(
            &ctx.accounts.admin.to_account_info(),
            &ctx.accounts.provider.to_account_info(),
            &ctx.accounts.system_program.to_account_info(),
            &[PROVIDER_SEED, class_key.as_ref(), provider_authority.as_ref(), &[provider.bump]],
            &provider,
        )?;
        emit!(ProviderRegistered { class: class_key, provider: provider_authority });
        Ok(())
    }
}
