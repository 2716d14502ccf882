use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::ledger::LoanStatus;

use crate::error::CreditsError;
use crate::loans::holds::{held_pairs, open_account, place_loan_holds};
use crate::loans::{collateral_value_if_priced, evaluate};
use crate::state::{ClassRef, CreditClass, Loan, PriceFeed};
use crate::token::freeze::{FreezeGrant, HoldContext, RecordPayer, REASON_LOAN_DEFAULT};

/// The lender of record of a defaulted or liquidatable loan places the loan's freeze hold on
/// borrower credit accounts: the named one and any further ones passed as remaining
/// `(token account, freeze-hold record)` pairs. It may be called again, while the loan is
/// enforceable, for accounts found later; each account is held once per loan.
#[derive(Accounts)]
pub struct FreezeCollateral<'info> {
    /// Pays for hold records created on a first freeze.
    #[account(mut)]
    pub lender: Signer<'info>,
    #[account(mut, has_one = lender @ CreditsError::NotLender, has_one = class @ CreditsError::WrongClass,
              has_one = vault @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// The class's feed: re-measures coverage when it has a usable price; a default by time
    /// alone is enforceable without one.
    pub price_feed: AccountLoader<'info, PriceFeed>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    /// The collateral vault (read for the coverage measurement).
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// A credit account of the borrower (its ATA, or any other of the class).
    #[account(mut, token::mint = credit_mint, token::token_program = credit_token_program)]
    pub borrower_credits: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: `["freeze_hold", borrower_credits]`, checked by the freeze routine.
    #[account(mut)]
    pub freeze_hold: UncheckedAccount<'info>,
    /// CHECK: `["owner_holds", credit_mint, borrower]`, checked by the freeze routine.
    #[account(mut)]
    pub borrower_holds: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl<'info> FreezeCollateral<'info> {
    pub fn handler(ctx: Context<'info, Self>) -> Result<()> {
        let a = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let class = ClassRef::load(&a.class)?;
        class.require_active()?;
        let credits = a.vault.amount;
        let value = collateral_value_if_priced(&class, &a.price_feed, credits, now)?;
        let grant = {
            let mut loan = a.loan.load_mut()?;
            require!(loan.status().is_open(), CreditsError::LoanNotOpen);
            let status = evaluate(a.loan.key(), &mut loan, value, credits, now)?;
            // without a price only a default by time (past the cure window) is enforceable:
            // a coverage measurement may be stale
            let enforceable = match value {
                Some(_) => status.is_enforceable(),
                None => status == LoanStatus::Defaulted,
            };
            require!(enforceable, CreditsError::LoanNotEnforceable);
            FreezeGrant::Loan {
                loan: a.loan.key(),
                actor: a.lender.key(),
                borrower: loan.borrower,
                reason: REASON_LOAN_DEFAULT,
            }
        };
        let (program, mint, owner_holds) = (
            a.credit_token_program.to_account_info(),
            a.credit_mint.to_account_info(),
            a.borrower_holds.to_account_info(),
        );
        let hold_ctx =
            HoldContext { class: &class, token_program: &program, mint: &mint, owner_holds: &owner_holds };
        let (payer, system_program) = (a.lender.to_account_info(), a.system_program.to_account_info());
        let payer = RecordPayer { payer: &payer, system_program: &system_program };
        let more = held_pairs(ctx.remaining_accounts)?;
        let first = a.freeze_hold.to_account_info();
        let mut accounts = vec![(&*a.borrower_credits, &first)];
        for (account, record) in &more {
            accounts.push((open_account(account)?, *record));
        }
        place_loan_holds(&a.loan, grant, &hold_ctx, &payer, &accounts)
    }
}
