use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::ledger::LoanStatus;

use crate::constants::OWNER_HOLDS_SEED;
use crate::error::CreditsError;
use crate::events::LoanClosed;
use crate::loans::holds::{held_pairs, lift_loan_holds};
use crate::state::{ClassRef, CreditClass, Loan};
use crate::token::freeze::{owner_is_held, FreezeGrant, HoldContext, REASON_LOAN_RELEASED};
use crate::token::{self, MintRef};

/// Permissionless: once a loan is repaid (or its liquidation is complete), the loan's freeze
/// holds are lifted (the held accounts come as remaining `(token account, freeze-hold record)`
/// pairs; the loan cannot close while it holds any: `HoldsRemain`), the remaining collateral
/// goes to the borrower (unless the borrower is under another hold: `OwnerUnderHold`, it waits
/// in the vault), and the loan, escrow and vault close with their rent going back to the lender.
/// A loan whose market seat still holds a sale (`Loan::sale_credits`) is refused
/// (`LoanSaleOpen`): `settle_loan_sale`, permissionless, pulls it first.
#[derive(Accounts)]
pub struct ReleaseCollateral<'info> {
    #[account(mut, close = lender, has_one = lender @ CreditsError::NotLender, has_one = class @ CreditsError::WrongClass,
              has_one = vault @ CreditsError::WrongLoanAccount, has_one = escrow @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    /// CHECK: the lender of record (checked by `has_one`), receiving the rent.
    #[account(mut)]
    pub lender: UncheckedAccount<'info>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass, has_one = quote_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram,
              has_one = quote_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: the quote mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub quote_mint: UncheckedAccount<'info>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Any quote account of the lender of record (see `repay_loan`: the lender cannot block the
    /// release by closing the account the loan records).
    #[account(mut, token::mint = quote_mint, token::authority = lender, token::token_program = quote_token_program)]
    pub lender_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = credit_mint, token::token_program = credit_token_program)]
    pub borrower_credits: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: `["owner_holds", credit_mint, borrower]` (derived here); may not exist yet.
    #[account(mut)]
    pub borrower_holds: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
}

impl<'info> ReleaseCollateral<'info> {
    pub fn handler(ctx: Context<'info, Self>) -> Result<()> {
        let a = &ctx.accounts;
        let class = ClassRef::load(&a.class)?;
        class.require_active()?;
        let (signer, status, borrower) = {
            let loan = a.loan.load()?;
            let status = loan.status();
            require!(
                matches!(status, LoanStatus::Repaid | LoanStatus::Liquidated),
                CreditsError::LoanNotClosed
            );
            require_keys_eq!(a.borrower_credits.owner, loan.borrower, CreditsError::WrongLoanAccount);
            // collateral still in the loan's market seat comes back first (`settle_loan_sale`)
            require!(loan.sale_credits == 0, CreditsError::LoanSaleOpen);
            (loan.signer(), status, loan.borrower)
        };
        let (holds_key, _) = Pubkey::find_program_address(
            &[OWNER_HOLDS_SEED, a.credit_mint.key().as_ref(), borrower.as_ref()],
            &crate::ID,
        );
        require_keys_eq!(holds_key, a.borrower_holds.key(), CreditsError::WrongHoldAccount);
        let program = a.credit_token_program.to_account_info();
        let (mint, owner_holds) = (a.credit_mint.to_account_info(), a.borrower_holds.to_account_info());
        let pairs = held_pairs(ctx.remaining_accounts)?;
        if !pairs.is_empty() {
            let grant = FreezeGrant::Loan {
                loan: a.loan.key(),
                actor: a.loan.key(),
                borrower,
                reason: REASON_LOAN_RELEASED,
            };
            let hold_ctx = HoldContext {
                class: &class,
                token_program: &program,
                mint: &mint,
                owner_holds: &owner_holds,
            };
            lift_loan_holds(&a.loan, grant, &hold_ctx, &pairs)?;
        }
        require!(a.loan.load()?.held_count == 0, CreditsError::HoldsRemain);
        let seeds = signer.seeds();
        let (loan_info, lender) = (a.loan.to_account_info(), a.lender.to_account_info());
        let released = a.vault.amount;
        if released > 0 {
            // a borrower under another hold (the guardian's, another loan's) gets nothing out
            // of custody into a fresh account
            require!(
                !owner_is_held(&owner_holds, &borrower, &class.credit_mint)?,
                CreditsError::OwnerUnderHold
            );
            token::transfer_signed(
                &program,
                &a.vault,
                MintRef::new(&a.credit_mint, class.decimals),
                &a.borrower_credits,
                &loan_info,
                &seeds,
                released,
            )?;
        }
        token::close_signed(&program, &a.vault, &lender, &loan_info, &seeds)?;
        let quote_program = a.quote_token_program.to_account_info();
        if a.escrow.amount > 0 {
            // only donations can be left here: they go to the lender with the rent
            token::transfer_signed(
                &quote_program,
                &a.escrow,
                MintRef::new(&a.quote_mint, class.quote_decimals),
                &a.lender_quote,
                &loan_info,
                &seeds,
                a.escrow.amount,
            )?;
        }
        token::close_signed(&quote_program, &a.escrow, &lender, &loan_info, &seeds)?;
        emit!(LoanClosed { loan: loan_info.key(), status: status as u8, credits_released: released });
        Ok(())
    }
}
