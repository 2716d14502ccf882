use anchor_lang::prelude::*;
use anchor_spl::token_interface::{pausable_pause, pausable_resume, PausableToggle, TokenInterface};

use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::ClassPauseChanged;
use crate::state::{ClassRef, CreditClass, Platform};

/// Pauses or resumes a class. Token-2022 classes are paused on the mint itself (Pausable), so no
/// transfer, mint or burn moves at all; classic SPL Token classes only stop the program's own
/// instructions, and raw holder-to-holder transfers continue.
#[derive(Accounts)]
pub struct SetClassPaused<'info> {
    pub authority: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut, has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    #[account(mut)]
    pub credit_mint: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

impl SetClassPaused<'_> {
    /// The admin or the guardian may pause (an emergency stop needs no committee).
    pub fn pause(ctx: Context<Self>) -> Result<()> {
        let (platform, signer) = (*ctx.accounts.platform.load()?, ctx.accounts.authority.key());
        require!(signer == platform.admin || signer == platform.guardian, CreditsError::NotAdminOrGuardian);
        require!(!ctx.accounts.class.load()?.is_paused(), CreditsError::ClassPaused);
        set_paused(ctx, true)
    }
}

impl SetClassPaused<'_> {
    /// Only the admin resumes: the guardian's power is to stop, not to restart.
    pub fn resume(ctx: Context<Self>) -> Result<()> {
        require_keys_eq!(
            ctx.accounts.authority.key(),
            ctx.accounts.platform.load()?.admin,
            CreditsError::NotAdmin
        );
        require!(ctx.accounts.class.load()?.is_paused(), CreditsError::ClassNotPaused);
        set_paused(ctx, false)
    }
}

fn set_paused(ctx: Context<SetClassPaused>, paused: bool) -> Result<()> {
    let class = ClassRef::load(&ctx.accounts.class)?;
    if class.is_token_2022() {
        let seeds = class.signer_seeds();
        let program = ctx.accounts.credit_token_program.to_account_info();
        let toggle = PausableToggle {
            token_program_id: program.clone(),
            mint: ctx.accounts.credit_mint.to_account_info(),
            authority: class.to_account_info(),
        };
        let signer: &[&[&[u8]]] = &[&seeds];
        let cpi = CpiContext::new_with_signer(program.key(), toggle, signer);
        if paused {
            pausable_pause(cpi)?;
        } else {
            pausable_resume(cpi)?;
        }
    }
    ctx.accounts.class.load_mut()?.paused = u8::from(paused);
    emit!(ClassPauseChanged { class: class.key(), paused, by: ctx.accounts.authority.key() });
    Ok(())
}
