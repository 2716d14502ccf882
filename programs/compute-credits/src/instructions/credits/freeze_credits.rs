use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

use crate::error::CreditsError;
use crate::state::{ClassRef, CreditClass, Platform};
use crate::token::freeze::{set_credit_account_frozen, FreezeGrant};

/// The guardian blocks (or unblocks) one credit account of a class, with a reason code.
#[derive(Accounts)]
pub struct GuardianFreeze<'info> {
    pub guardian: Signer<'info>,
    pub platform: AccountLoader<'info, Platform>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              constraint = class.load()?.credit_token_program == credit_token_program.key() @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: the class's mint (`has_one` above); the token program checks it against the account.
    pub credit_mint: UncheckedAccount<'info>,
    #[account(mut, token::mint = credit_mint, token::token_program = credit_token_program)]
    pub credit_account: Box<InterfaceAccount<'info, TokenAccount>>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

impl GuardianFreeze<'_> {
    pub fn freeze(ctx: Context<Self>, reason: u16) -> Result<()> {
        set_frozen(ctx, reason, true)
    }
}

impl GuardianFreeze<'_> {
    pub fn thaw(ctx: Context<Self>, reason: u16) -> Result<()> {
        set_frozen(ctx, reason, false)
    }
}

fn set_frozen(ctx: Context<GuardianFreeze>, reason: u16, frozen: bool) -> Result<()> {
    let grant = FreezeGrant::guardian(&*ctx.accounts.platform.load()?, &ctx.accounts.guardian, reason)?;
    set_credit_account_frozen(
        grant,
        &ClassRef::load(&ctx.accounts.class)?,
        &ctx.accounts.credit_token_program.to_account_info(),
        &ctx.accounts.credit_mint.to_account_info(),
        &ctx.accounts.credit_account,
        frozen,
    )
}
