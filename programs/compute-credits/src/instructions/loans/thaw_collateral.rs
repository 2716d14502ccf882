use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

use crate::error::CreditsError;
use crate::loans::holds::{held_pairs, lift_loan_holds};
use crate::loans::{collateral_value_if_priced, evaluate};
use crate::state::{ClassRef, CreditClass, Loan, PriceFeed};
use crate::token::freeze::{FreezeGrant, HoldContext, REASON_LOAN_RELEASED};

/// Anyone lifts a loan's freeze holds once the loan is no longer enforceable (cured, repaid or
/// liquidated): the accounts come as remaining `(token account, freeze-hold record)` pairs,
/// each one the loan holds. Only the loan's own holds go: an account the guardian (or another
/// loan) also holds stays frozen.
#[derive(Accounts)]
pub struct ThawCollateral<'info> {
    #[account(mut, has_one = class @ CreditsError::WrongClass, has_one = vault @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    pub price_feed: AccountLoader<'info, PriceFeed>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: `["owner_holds", credit_mint, borrower]`, checked by the freeze routine.
    #[account(mut)]
    pub borrower_holds: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

impl<'info> ThawCollateral<'info> {
    pub fn handler(ctx: Context<'info, Self>) -> Result<()> {
        let a = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let class = ClassRef::load(&a.class)?;
        class.require_active()?;
        let pairs = held_pairs(ctx.remaining_accounts)?;
        require!(!pairs.is_empty(), CreditsError::CollateralNotFrozen);
        let credits = a.vault.amount;
        let value = collateral_value_if_priced(&class, &a.price_feed, credits, now)?;
        let grant = {
            let mut loan = a.loan.load_mut()?;
            require!(loan.held_count > 0, CreditsError::CollateralNotFrozen);
            let status = evaluate(a.loan.key(), &mut loan, value, credits, now)?;
            require!(!status.is_enforceable(), CreditsError::LoanStillEnforceable);
            FreezeGrant::Loan {
                loan: a.loan.key(),
                actor: a.loan.key(),
                borrower: loan.borrower,
                reason: REASON_LOAN_RELEASED,
            }
        };
        let (program, mint, owner_holds) = (
            a.credit_token_program.to_account_info(),
            a.credit_mint.to_account_info(),
            a.borrower_holds.to_account_info(),
        );
        let hold_ctx =
            HoldContext { class: &class, token_program: &program, mint: &mint, owner_holds: &owner_holds };
        lift_loan_holds(&a.loan, grant, &hold_ctx, &pairs)
    }
}
