//! What every loan instruction shares: valuing the collateral through `oracle::load_price`
//! (low side of the band) and running the ledger's state machine with an event per transition.
pub mod holds;

use anchor_lang::prelude::*;
use credit_math::ledger::LoanStatus;
use credit_math::price::value_floor;
use credit_math::recovery::{settle_recovery, RecoveryOutcome, RecoveryPrice};
use credit_math::{Bps, CreditAtoms, QuoteAtoms};

use crate::error::{CreditsError, MathResultExt};
use crate::events::LoanStatusChanged;
use crate::oracle;
use crate::state::{ClassRef, CreditClass, Loan, PriceFeed};

/// Quote value of `credits` of `class` at the low side of its checked oracle price.
pub fn collateral_value(
    class: &ClassRef,
    feed: &AccountLoader<PriceFeed>,
    credits: u64,
    now: i64,
) -> Result<u64> {
    let checked = oracle::load_price(feed, &class.key(), now)?;
    value_at(checked.band, class, credits)
}

/// Quote value of `credits` of `class` at the low side of a checked `band`: the one valuation
/// of collateral (instructions, and clients reading a loan off-chain through
/// [`collateral_value_off_chain`]).
pub fn value_at(band: credit_math::price::PriceBand, class: &CreditClass, credits: u64) -> Result<u64> {
    Ok(value_floor(CreditAtoms(credits), band.low(), class.decimals, class.quote_decimals)
        .or_credits_err()?
        .0)
}

/// [`collateral_value`] from decoded accounts: what `update_loan` would value `credits` at
/// now (clients and keepers; the same guards and rounding).
pub fn collateral_value_off_chain(
    class_key: &Pubkey,
    class: &CreditClass,
    feed: &PriceFeed,
    credits: u64,
    now: i64,
) -> Result<u64> {
    let checked = oracle::check_aggregate(feed, class_key, now)?;
    value_at(checked.band, class, credits)
}

/// Like [`collateral_value`], but `None` when the class's feed has no usable price now (see
/// `oracle::load_price_if_usable`): only a default by time can be enforced then.
pub fn collateral_value_if_priced(
    class: &ClassRef,
    feed: &AccountLoader<PriceFeed>,
    credits: u64,
    now: i64,
) -> Result<Option<u64>> {
    let Some(checked) = oracle::load_price_if_usable(feed, &class.key(), now)? else { return Ok(None) };
    value_at(checked.band, class, credits).map(Some)
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

/// The borrower may take `amount` out of the vault (withdrawal or consumption). First the loan
/// is accrued and re-measured with the ledger's `evaluate` (coverage too when a feed is given),
/// so a loan past its cure window, or under water, that no keeper has cranked yet is seen as it
/// is; the new status is written to the loan. Then: not frozen, current, and coverage after the
/// move at or above maintenance, valued at the same price as the re-measurement. Returns what
/// the loan PDA needs to sign the move and the vault balance after it.
///
/// A refusal rolls the whole transaction back, the re-measurement included: a refused move
/// leaves the loan as it was, and the keeper's crank records the new status.
pub fn check_borrower_move(
    loan: &AccountLoader<Loan>,
    class: &ClassRef,
    feed: Option<&AccountLoader<PriceFeed>>,
    borrower_holds: &AccountInfo,
    vault_credits: u64,
    amount: u64,
) -> Result<(crate::state::LoanSigner, u64)> {
    require!(amount > 0, CreditsError::ZeroAmount);
    class.require_active()?;
    // no credits out of custody to a wallet under any freeze hold (the address is seeds-checked)
    let borrower = loan.load()?.borrower;
    require!(
        !crate::token::freeze::owner_is_held(borrower_holds, &borrower, &class.credit_mint)?,
        CreditsError::OwnerUnderHold
    );
    let now = Clock::get()?.unix_timestamp;
    let left = vault_credits.checked_sub(amount).ok_or(CreditsError::InsufficientCoverage)?;
    // one price for the whole instruction: the re-measurement and the check after the move
    let low = match feed {
        Some(feed) => Some(oracle::load_price(feed, &class.key(), now)?.band.low()),
        None => None,
    };
    let value_of = |credits: u64| -> Result<Option<u64>> {
        match low {
            Some(price) => Ok(Some(
                value_floor(CreditAtoms(credits), price, class.decimals, class.quote_decimals)
                    .or_credits_err()?
                    .0,
            )),
            None => Ok(None),
        }
    };
    let key = loan.key();
    let mut loan = loan.load_mut()?;
    require!(loan.frozen == 0, CreditsError::CollateralFrozen);
    // a sale still in the loan's market seat is settled first (`settle_loan_sale`)
    require!(loan.sale_credits == 0, CreditsError::LoanSaleOpen);
    let status = evaluate(key, &mut loan, value_of(vault_credits)?, vault_credits, now)?;
    require!(status == LoanStatus::Current, CreditsError::LoanNotCurrent);
    let ledger = loan.ledger();
    if ledger.maintenance_bps > 0 {
        let value = value_of(left)?.ok_or(CreditsError::WrongPriceSource)?;
        let debt = ledger.debt().or_credits_err()?;
        require!(
            credit_math::ledger::covers(value, debt, ledger.maintenance_bps),
            CreditsError::InsufficientCoverage
        );
    }
    // compute financing without a maintenance requirement: immediate access
    Ok((loan.signer(), left))
}

/// The recovery price of `loan` from a checked price: the low side less its discount.
pub fn recovery_price(
    loan: &Loan,
    class: &ClassRef,
    low: credit_math::price::Price,
) -> Result<RecoveryPrice> {
    RecoveryPrice::new(low, Bps(loan.liquidation_discount_bps), class.decimals, class.quote_decimals)
        .or_credits_err()
}

/// Books a recovery on the loan, for seizures and sales alike (`credit_math::recovery`):
/// `repaid` through the waterfall, `credits_out` credits gone from the vault leaving
/// `vault_left`. A recovery that repays nothing while collateral remains is refused
/// (`NothingRecovered`): it must not latch the loan into recovery.
pub fn book_recovery(
    loan: &mut Loan,
    repaid: u64,
    credits_out: u64,
    vault_left: u64,
) -> Result<RecoveryOutcome> {
    require!(repaid > 0 || vault_left == 0, CreditsError::NothingRecovered);
    let mut ledger = loan.ledger();
    let outcome =
        settle_recovery(&mut ledger, QuoteAtoms(repaid), CreditAtoms(vault_left)).or_credits_err()?;
    loan.set_ledger(ledger);
    loan.credits_seized = loan.credits_seized.checked_add(credits_out).ok_or(CreditsError::MathOverflow)?;
    loan.recovered = loan.recovered.checked_add(repaid).ok_or(CreditsError::MathOverflow)?;
    loan.written_off = loan.written_off.checked_add(outcome.written_off).ok_or(CreditsError::MathOverflow)?;
    Ok(outcome)
}

/// The whole debt of an enforceable loan, re-measured now at `value` of collateral; records
/// the debt when recovery starts (the recovery rate's denominator).
pub fn enforceable_debt(
    loan_key: Pubkey,
    loan: &mut Loan,
    value: u64,
    vault_credits: u64,
    now: i64,
) -> Result<u64> {
    require!(loan.status().is_open(), CreditsError::LoanNotOpen);
    let status = evaluate(loan_key, loan, Some(value), vault_credits, now)?;
    require!(status.is_enforceable(), CreditsError::LoanNotEnforceable);
    let debt = loan.ledger().debt().or_credits_err()?;
    if loan.debt_at_recovery == 0 {
        loan.debt_at_recovery = debt;
    }
    Ok(debt)
}
