use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::fixed::{bps_floor, mul_div_floor};
use credit_math::ledger::LoanStatus;
use credit_math::price::{credits_for_quote_floor, value_floor, Price};
use credit_math::{CreditAtoms, QuoteAtoms};

use crate::error::{CreditsError, MathResultExt};
use crate::events::CollateralLiquidated;
use crate::loans::evaluate;
use crate::state::{ClassRef, CreditClass, Loan, PriceFeed};
use crate::token::freeze::{
    set_credit_account_frozen, FreezeGrant, REASON_LOAN_DEFAULT, REASON_LOAN_RELEASED,
};
use crate::token::MintRef;
use crate::{oracle, token};

/// The lender of a defaulted or liquidatable loan takes collateral credits against the debt,
/// valued at the oracle price minus confidence, less the liquidation discount. Proceeds apply
/// fees, then interest, then principal (the whole debt is due). When the debt is settled the
/// rest of the vault goes back to the borrower; when the vault runs out first the rest of the
/// debt is written off. Either way the borrower's account is thawed and the loan records its
/// recovery rate.
#[derive(Accounts)]
pub struct LiquidateCollateral<'info> {
    pub lender: Signer<'info>,
    #[account(mut, has_one = lender @ CreditsError::NotLender, has_one = class @ CreditsError::WrongClass,
              has_one = vault @ CreditsError::WrongLoanAccount)]
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
    /// Receives the seized credits.
    #[account(mut, token::mint = credit_mint, token::authority = lender, token::token_program = credit_token_program)]
    pub lender_credits: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives any surplus; thawed when liquidation completes.
    #[account(mut, token::mint = credit_mint, token::token_program = credit_token_program)]
    pub borrower_credits: Box<InterfaceAccount<'info, TokenAccount>>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

/// Quote value of `credits` at `low` less the discount, rounded down.
fn discounted_value(credits: u64, low: Price, discount_bps: u16, cd: u8, qd: u8) -> Result<u64> {
    let full = value_floor(CreditAtoms(credits), low, cd, qd).or_credits_err()?.0;
    bps_floor(full, u64::from(10_000 - discount_bps)).or_credits_err()
}

impl LiquidateCollateral<'_> {
    pub fn handler(mut ctx: Context<Self>, max_credits: u64) -> Result<()> {
        require!(max_credits > 0, CreditsError::ZeroAmount);
        let now = Clock::get()?.unix_timestamp;
        let accounts = &mut ctx.accounts;
        let class = ClassRef::load(&accounts.class)?;
        let (cd, qd) = (class.decimals, class.quote_decimals);
        let in_vault = accounts.vault.amount;
        let band = oracle::load_price(&accounts.price_feed, &accounts.class.key(), now)?.band;
        let low = band.low();
        let value = value_floor(CreditAtoms(in_vault), low, cd, qd).or_credits_err()?.0;

        let (signer, borrower, was_frozen, discount, debt) = {
            let mut loan = accounts.loan.load_mut()?;
            require!(loan.status().is_open(), CreditsError::LoanNotOpen);
            require_keys_eq!(accounts.borrower_credits.owner, loan.borrower, CreditsError::WrongLoanAccount);
            let status = evaluate(accounts.loan.key(), &mut loan, Some(value), in_vault, now)?;
            require!(status.is_enforceable(), CreditsError::LoanNotEnforceable);
            let debt = loan.ledger().debt().or_credits_err()?;
            if loan.debt_at_recovery == 0 {
                loan.debt_at_recovery = debt;
            }
            (loan.signer(), loan.borrower, loan.frozen != 0, loan.liquidation_discount_bps, debt)
        };

        // the fewest credits whose discounted value covers the debt, capped by the request
        let requested = max_credits.min(in_vault);
        let gross = mul_div_floor(debt, 10_000, u64::from(10_000 - discount)).or_credits_err()?;
        let mut to_cover = credits_for_quote_floor(QuoteAtoms(gross), low, cd, qd).or_credits_err()?.0;
        // flooring twice leaves it at most a couple of atoms short
        for _ in 0..3 {
            if discounted_value(to_cover, low, discount, cd, qd)? >= debt {
                break;
            }
            to_cover = to_cover.checked_add(1).ok_or(CreditsError::MathOverflow)?;
        }
        let seized = requested.min(to_cover);
        // an empty vault (e.g. a loan without maintenance whose borrower took every credit)
        // seizes nothing and writes the debt off, so the books can close
        require!(seized > 0 || in_vault == 0, CreditsError::ZeroAmount);
        let repaid = discounted_value(seized, low, discount, cd, qd)?.min(debt);

        let grant = FreezeGrant::Loan {
            loan: accounts.loan.key(),
            actor: accounts.lender.key(),
            borrower,
            vault: accounts.vault.key(),
            reason: REASON_LOAN_RELEASED,
        };
        let program = accounts.credit_token_program.to_account_info();
        let loan_info = accounts.loan.to_account_info();
        let seeds = signer.seeds();
        if accounts.vault.is_frozen() {
            set_credit_account_frozen(
                grant,
                &class,
                &program,
                &accounts.credit_mint.to_account_info(),
                &accounts.vault,
                false,
            )?;
        }
        if seized > 0 {
            token::transfer_signed(
                &program,
                &accounts.vault,
                MintRef::new(&accounts.credit_mint, class.decimals),
                &accounts.lender_credits,
                &loan_info,
                &seeds,
                seized,
            )?;
        }

        let mut ledger = accounts.loan.load()?.ledger();
        ledger.recover(repaid).or_credits_err()?;
        let left = in_vault - seized;
        let (mut surplus, mut written_off) = (0, 0);
        let done = if ledger.debt().or_credits_err()? == 0 {
            surplus = left;
            ledger.status = LoanStatus::Liquidated as u8;
            true
        } else if left == 0 {
            written_off = ledger.write_off().or_credits_err()?;
            true
        } else {
            false
        };
        if done {
            // only the lender's own freeze is lifted here; a guardian's stays
            if was_frozen && accounts.borrower_credits.is_frozen() {
                set_credit_account_frozen(
                    grant,
                    &class,
                    &program,
                    &accounts.credit_mint.to_account_info(),
                    &accounts.borrower_credits,
                    false,
                )?;
            }
            if surplus > 0 {
                token::transfer_signed(
                    &program,
                    &accounts.vault,
                    MintRef::new(&accounts.credit_mint, class.decimals),
                    &accounts.borrower_credits,
                    &loan_info,
                    &seeds,
                    surplus,
                )?;
            }
        } else if was_frozen {
            let refreeze = FreezeGrant::Loan {
                loan: accounts.loan.key(),
                actor: accounts.lender.key(),
                borrower,
                vault: accounts.vault.key(),
                reason: REASON_LOAN_DEFAULT,
            };
            accounts.vault.reload()?;
            set_credit_account_frozen(
                refreeze,
                &class,
                &program,
                &accounts.credit_mint.to_account_info(),
                &accounts.vault,
                true,
            )?;
        }

        let mut loan = accounts.loan.load_mut()?;
        loan.set_ledger(ledger);
        loan.credits_seized = loan.credits_seized.checked_add(seized).ok_or(CreditsError::MathOverflow)?;
        loan.recovered = loan.recovered.checked_add(repaid).ok_or(CreditsError::MathOverflow)?;
        loan.written_off = written_off;
        if done {
            loan.frozen = 0;
        }
        let recovery_rate_bps =
            mul_div_floor(loan.recovered, 10_000, loan.debt_at_recovery.max(1)).or_credits_err()?;
        emit!(CollateralLiquidated {
            loan: accounts.loan.key(),
            lender: loan.lender,
            credits_seized: seized,
            debt_repaid: repaid,
            surplus_credits: surplus,
            written_off,
            recovery_rate_bps,
            status: ledger.status,
        });
        Ok(())
    }
}
