use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::error::CreditsError;
use crate::loans::{collateral_value, evaluate};
use crate::state::{ClassRef, CreditClass, Loan, PriceFeed};

/// Permissionless crank: accrues installments and late fees, re-measures coverage at the oracle
/// price, and moves the loan between current, margin call, delinquent, liquidatable and
/// defaulted (`LoanStatusChanged`).
#[derive(Accounts)]
pub struct UpdateLoan<'info> {
    #[account(mut, has_one = class @ CreditsError::WrongClass, has_one = vault @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    pub class: AccountLoader<'info, CreditClass>,
    pub price_feed: AccountLoader<'info, PriceFeed>,
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl UpdateLoan<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let credits = ctx.accounts.vault.amount;
        let mut loan = ctx.accounts.loan.load_mut()?;
        require!(loan.status().is_open(), CreditsError::LoanNotOpen);
        let value =
            collateral_value(&ClassRef::load(&ctx.accounts.class)?, &ctx.accounts.price_feed, credits, now)?;
        evaluate(ctx.accounts.loan.key(), &mut loan, Some(value), credits, now)?;
        Ok(())
    }
}
