use anchor_lang::prelude::*;

use crate::constants::PLATFORM_SEED;
use crate::error::CreditsError;
use crate::events::PlatformInitialized;
use crate::pda::init_zero_copy_account;
use crate::state::{FeeSettings, Platform};

#[derive(Accounts)]
pub struct InitializePlatform<'info> {
    /// Becomes the platform admin.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// CHECK: the platform PDA, created here; an existing platform is refused
    /// (`AlreadyInitialized`), so it can be created only once.
    #[account(mut, seeds = [PLATFORM_SEED], bump)]
    pub platform: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl InitializePlatform<'_> {
    pub fn handler(ctx: Context<Self>, guardian: Pubkey, treasury: Pubkey, fees: FeeSettings) -> Result<()> {
        require!(guardian != Pubkey::default() && treasury != Pubkey::default(), CreditsError::DefaultKey);
        fees.validate()?;
        let mut platform = Platform {
            admin: ctx.accounts.admin.key(),
            guardian,
            treasury,
            bump: ctx.bumps.platform,
            ..Default::default()
        };
        platform.set_fees(fees);
        init_zero_copy_account(
            &ctx.accounts.admin.to_account_info(),
            &ctx.accounts.platform.to_account_info(),
            &ctx.accounts.system_program.to_account_info(),
            &[PLATFORM_SEED, &[platform.bump]],
            &platform,
        )?;
        emit!(PlatformInitialized { admin: platform.admin, guardian, treasury });
        Ok(())
    }
}
