//! What every loan instruction shares: valuing the collateral through `oracle::load_price`
//! (low side of the band) and running the ledger's state machine with an event per transition.
use anchor_lang::prelude::*;
use credit_math::ledger::LoanStatus;
use credit_math::price::value_floor;
use credit_math::CreditAtoms;

use crate::error::{CreditsError, MathResultExt};
use crate::events::LoanStatusChanged;
use crate::oracle;
use crate::state::{CreditClass, Loan, PriceFeed};

/// Quote value of `credits` of `class` at the low side of its checked oracle price.
pub fn collateral_value(
    class: &Account<CreditClass>,
    feed: &AccountLoader<PriceFeed>,
    credits: u64,
    now: i64,
) -> Result<u64> {
    let checked = oracle::load_price(feed, &class.key(), now)?;
    Ok(value_floor(CreditAtoms(credits), checked.band.low(), class.decimals, class.quote_decimals)
        .or_credits_err()?
        .0)
}

/// Accrues the loan to `now` and re-derives its status from arrears and, when a price is
/// given, coverage of `vault_credits`. Emits `LoanStatusChanged` when the status moves.
pub fn evaluate(
    loan_key: Pubkey,
    loan: &mut Loan,
    collateral_value: Option<u64>,
    vault_credits: u64,
    now: i64,
) -> Result<LoanStatus> {
    let mut ledger = loan.ledger();
    let from = ledger.status;
    let status = ledger.evaluate(now, collateral_value).or_credits_err()?;
    loan.set_ledger(ledger);
    if status as u8 != from {
        emit!(LoanStatusChanged {
            loan: loan_key,
            from,
            to: status as u8,
            debt: ledger.debt().or_credits_err()?,
            collateral_credits: vault_credits,
            margin_call_deadline: ledger.margin_call_deadline,
        });
    }
    Ok(status)
}

/// Coverage after a move that leaves `credits_after` in the vault must still meet maintenance.
pub fn require_maintenance_after(
    loan: &Loan,
    class: &Account<CreditClass>,
    feed: Option<&AccountLoader<PriceFeed>>,
    credits_after: u64,
    now: i64,
) -> Result<()> {
    let ledger = loan.ledger();
    if ledger.maintenance_bps == 0 {
        // compute financing without a maintenance requirement: immediate access
        return Ok(());
    }
    let feed = feed.ok_or(CreditsError::WrongPriceSource)?;
    let value = collateral_value(class, feed, credits_after, now)?;
    let debt = ledger.debt().or_credits_err()?;
    require!(
        credit_math::ledger::covers(value, debt, ledger.maintenance_bps),
        CreditsError::InsufficientCoverage
    );
    Ok(())
}
