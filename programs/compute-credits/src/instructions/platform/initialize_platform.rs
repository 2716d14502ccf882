use anchor_lang::prelude::*;

use crate::constants::PLATFORM_SEED;
use crate::error::CreditsError;
use crate::events::PlatformInitialized;
use crate::state::{FeeSettings, Platform};

#[derive(Accounts)]
pub struct InitializePlatform<'info> {
    /// Becomes the platform admin.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// `init` refuses an existing platform: it can be created only once.
    #[account(init, payer = admin, space = 8 + Platform::INIT_SPACE, seeds = [PLATFORM_SEED], bump)]
    pub platform: Account<'info, Platform>,
    pub system_program: Program<'info, System>,
}

impl InitializePlatform<'_> {
    pub fn handler(ctx: Context<Self>, guardian: Pubkey, treasury: Pubkey, fees: FeeSettings) -> Result<()> {
        require!(guardian != Pubkey::default() && treasury != Pubkey::default(), CreditsError::DefaultKey);
        fees.validate()?;
        let platform = &mut ctx.accounts.platform;
        platform.set_inner(Platform {
            admin: ctx.accounts.admin.key(),
            pending_admin: Pubkey::default(),
            guardian,
            treasury,
            fees,
            class_count: 0,
            bump: ctx.bumps.platform,
        });
        emit!(PlatformInitialized { admin: platform.admin, guardian, treasury });
        Ok(())
    }
}
