use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::ledger::LoanStatus;

use crate::error::CreditsError;
use crate::events::LoanOfferCancelled;
use crate::state::{CreditClass, Loan};
use crate::token::{self, MintRef};

/// The lender withdraws an offer nobody accepted: principal back, accounts closed, rent back.
#[derive(Accounts)]
pub struct CancelLoanOffer<'info> {
    #[account(mut)]
    pub lender: Signer<'info>,
    #[account(mut, close = lender, has_one = lender @ CreditsError::NotLender,
              has_one = class @ CreditsError::WrongClass,
              has_one = escrow @ CreditsError::WrongLoanAccount, has_one = vault @ CreditsError::WrongLoanAccount,
              has_one = lender_quote @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    /// The loan's class: where the quote mint and both token programs are recorded (so a
    /// client resolves them from the IDL: `relations`).
    #[account(has_one = quote_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram,
              has_one = quote_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: the class's quote mint (`has_one`); its decimals come from the loan; the token
    /// program checks it again in every CPI.
    pub quote_mint: UncheckedAccount<'info>,
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::token_program = credit_token_program)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: its key is checked against the loan (`has_one`); only token CPIs use it.
    #[account(mut)]
    pub lender_quote: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
}

impl CancelLoanOffer<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let (signer, quote_decimals) = {
            let loan = ctx.accounts.loan.load()?;
            require!(loan.status() == LoanStatus::Offered, CreditsError::LoanNotOffered);
            (loan.signer(), loan.quote_decimals)
        };
        let seeds = signer.seeds();
        let (escrow, loan_info, lender) = (
            &ctx.accounts.escrow,
            ctx.accounts.loan.to_account_info(),
            ctx.accounts.lender.to_account_info(),
        );
        let quote_program = ctx.accounts.quote_token_program.to_account_info();
        let refunded = escrow.amount;
        token::transfer_signed(
            &quote_program,
            escrow,
            MintRef::new(&ctx.accounts.quote_mint, quote_decimals),
            &ctx.accounts.lender_quote,
            &loan_info,
            &seeds,
            refunded,
        )?;
        token::close_signed(&quote_program, escrow, &lender, &loan_info, &seeds)?;
        // credits donated to the vault would block closing it: then it stays open (the loan PDA
        // still owns it), rather than letting a donation hold the lender's principal hostage
        if ctx.accounts.vault.amount == 0 {
            token::close_signed(
                &ctx.accounts.credit_token_program.to_account_info(),
                &ctx.accounts.vault,
                &lender,
                &loan_info,
                &seeds,
            )?;
        }
        emit!(LoanOfferCancelled { loan: loan_info.key(), lender: lender.key(), refunded });
        Ok(())
    }
}
