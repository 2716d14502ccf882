use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

use crate::error::{CreditsError, MathResultExt};
use crate::events::{LoanPayment, LoanStatusChanged};
use crate::state::{CreditClass, Loan};
use crate::token::{self, MintRef};

/// Anyone pays toward a loan; the money goes to the lender of record. Fees, then interest, then
/// principal due, then prepayment (with the prepayment fee in the first months).
///
/// The destination is any quote account the lender of record owns, normally the one the loan
/// records: were payments bound to that one account, a lender could close it, make every
/// payment fail and push the loan into default. Anyone can create the lender's associated
/// account, so a payment always has somewhere to go.
#[derive(Accounts)]
pub struct RepayLoan<'info> {
    pub payer: Signer<'info>,
    #[account(mut, has_one = class @ CreditsError::WrongClass)]
    pub loan: AccountLoader<'info, Loan>,
    #[account(has_one = quote_mint @ CreditsError::WrongClass,
              has_one = quote_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: the class's quote mint (`has_one`); its decimals come from the loan.
    pub quote_mint: UncheckedAccount<'info>,
    #[account(mut, token::mint = quote_mint, token::authority = payer, token::token_program = quote_token_program)]
    pub payer_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    /// A quote account of the lender of record.
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program,
              constraint = lender_quote.owner == loan.load()?.lender @ CreditsError::WrongLoanAccount)]
    pub lender_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    pub quote_token_program: Interface<'info, TokenInterface>,
}

impl RepayLoan<'_> {
    /// Pays up to `max_amount` (the payer's cap; `u64::MAX` pays everything owed).
    pub fn handler(ctx: Context<Self>, max_amount: u64) -> Result<()> {
        require!(max_amount > 0, CreditsError::ZeroAmount);
        let now = Clock::get()?.unix_timestamp;
        let key = ctx.accounts.loan.key();
        let (applied, ledger, from, quote_decimals) = {
            let mut loan = ctx.accounts.loan.load_mut()?;
            require!(loan.status().is_open(), CreditsError::LoanNotOpen);
            let mut ledger = loan.ledger();
            let from = ledger.status;
            let applied = ledger.pay(max_amount, now).or_credits_err()?;
            require!(applied.taken > 0, CreditsError::NothingOwed);
            // paying the arrears cures lateness at once; coverage is re-measured by the crank
            ledger.evaluate(now, None).or_credits_err()?;
            loan.set_ledger(ledger);
            (applied, ledger, from, loan.quote_decimals)
        };
        token::transfer_checked(
            &ctx.accounts.quote_token_program.to_account_info(),
            &ctx.accounts.payer_quote,
            MintRef::new(&ctx.accounts.quote_mint, quote_decimals),
            &ctx.accounts.lender_quote,
            &ctx.accounts.payer.to_account_info(),
            applied.taken,
        )?;
        emit!(LoanPayment {
            loan: key,
            payer: ctx.accounts.payer.key(),
            fees: applied.fees,
            interest: applied.interest,
            principal: applied.principal,
            prepaid: applied.prepaid,
            prepay_fee: applied.prepay_fee,
            principal_outstanding: ledger.principal_outstanding,
            status: ledger.status,
        });
        if ledger.status != from {
            emit!(LoanStatusChanged {
                loan: key,
                from,
                to: ledger.status,
                debt: ledger.debt().or_credits_err()?,
                collateral_credits: 0,
                margin_call_deadline: ledger.margin_call_deadline,
            });
        }
        Ok(())
    }
}
