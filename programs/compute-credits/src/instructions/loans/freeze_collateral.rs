use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

use crate::error::CreditsError;
use crate::loans::{collateral_value, evaluate};
use crate::state::{ClassRef, CreditClass, Loan, PriceFeed};
use crate::token::freeze::{
    set_credit_account_frozen, FreezeGrant, REASON_LOAN_DEFAULT, REASON_LOAN_RELEASED,
};

/// The accounts both directions of the loan freeze need.
#[derive(Accounts)]
pub struct LoanFreeze<'info> {
    /// Freeze: the lender of record. Thaw: anyone (the loan's own state decides).
    pub authority: Signer<'info>,
    #[account(mut, has_one = class @ CreditsError::WrongClass, has_one = vault @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              constraint = class.load()?.credit_token_program == credit_token_program.key() @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    pub price_feed: AccountLoader<'info, PriceFeed>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// A credit account of the borrower (its ATA, or any other of the class); further ones may
    /// follow as writable remaining accounts.
    #[account(mut, token::mint = credit_mint, token::token_program = credit_token_program)]
    pub borrower_credits: Box<InterfaceAccount<'info, TokenAccount>>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

impl<'info> LoanFreeze<'info> {
    /// Re-measures the loan now and returns (status is enforceable, grant for the loan).
    fn assess(&self, reason: u16) -> Result<(bool, FreezeGrant)> {
        let now = Clock::get()?.unix_timestamp;
        let credits = self.vault.amount;
        let value = collateral_value(&ClassRef::load(&self.class)?, &self.price_feed, credits, now)?;
        let mut loan = self.loan.load_mut()?;
        require!(loan.status().is_open(), CreditsError::LoanNotOpen);
        require_keys_eq!(self.borrower_credits.owner, loan.borrower, CreditsError::WrongLoanAccount);
        let status = evaluate(self.loan.key(), &mut loan, Some(value), credits, now)?;
        let grant = FreezeGrant::Loan {
            loan: self.loan.key(),
            actor: self.authority.key(),
            borrower: loan.borrower,
            vault: loan.vault,
            reason,
        };
        Ok((status.is_enforceable(), grant))
    }

    /// The vault, the named borrower account and any further borrower accounts of the class
    /// passed as remaining accounts (writable): the grant's policy refuses anything else.
    fn set_frozen(&self, grant: FreezeGrant, frozen: bool, more: &'info [AccountInfo<'info>]) -> Result<()> {
        let program = self.credit_token_program.to_account_info();
        let class = ClassRef::load(&self.class)?;
        let mut extra = Vec::with_capacity(more.len());
        for info in more {
            extra.push(InterfaceAccount::<TokenAccount>::try_from(info)?);
        }
        for account in [&*self.vault, &*self.borrower_credits].into_iter().chain(extra.iter()) {
            // an account already in the wanted state is left alone (the guardian may have acted)
            if account.is_frozen() != frozen {
                set_credit_account_frozen(
                    grant,
                    &class,
                    &program,
                    &self.credit_mint.to_account_info(),
                    account,
                    frozen,
                )?;
            }
        }
        Ok(())
    }

    /// The lender of record freezes the collateral vault and the borrower's credit account of a
    /// defaulted or liquidatable loan, through the foundation's freeze routine.
    pub fn freeze(ctx: Context<'info, Self>) -> Result<()> {
        let (lender, frozen) = {
            let loan = ctx.accounts.loan.load()?;
            (loan.lender, loan.frozen != 0)
        };
        require_keys_eq!(ctx.accounts.authority.key(), lender, CreditsError::NotLender);
        require!(!frozen, CreditsError::CollateralFrozen);
        let (enforceable, grant) = ctx.accounts.assess(REASON_LOAN_DEFAULT)?;
        require!(enforceable, CreditsError::LoanNotEnforceable);
        ctx.accounts.set_frozen(grant, true, ctx.remaining_accounts)?;
        ctx.accounts.loan.load_mut()?.frozen = 1;
        Ok(())
    }

    /// Anyone thaws the collateral of a loan that is no longer defaulted or liquidatable (the
    /// borrower cured it). Repaid and liquidated loans are thawed by `release_collateral`.
    pub fn thaw(ctx: Context<'info, Self>) -> Result<()> {
        require!(ctx.accounts.loan.load()?.frozen != 0, CreditsError::CollateralNotFrozen);
        let (enforceable, grant) = ctx.accounts.assess(REASON_LOAN_RELEASED)?;
        require!(!enforceable, CreditsError::LoanStillEnforceable);
        ctx.accounts.set_frozen(grant, false, ctx.remaining_accounts)?;
        ctx.accounts.loan.load_mut()?.frozen = 0;
        Ok(())
    }
}
