//! Recovering a defaulted or liquidatable loan from its collateral: the one routine that an
//! in-kind seizure (`liquidate_collateral`) and a sale on the market (`sell_collateral`) share.
//!
//! Both are bounded by the same price, the oracle's **low** side less the loan's liquidation
//! discount, and by the same debt:
//! - a seizure takes the fewest credits whose discounted value covers the whole debt;
//! - a sale never trades below that price per lot (rounded up, against the seller) and never
//!   sells more notional than nets the debt after the taker fee (plus at most one lot);
//! - whatever the debt does not need stays in the vault and goes back to the borrower.
//!
//! [`settle_recovery`] then books the result the same way for both: the ledger's waterfall
//! (fees → interest → principal), the loan is liquidated when the debt reaches zero, the rest
//! is written off when the vault runs dry, and a recovery that repays nothing is refused.
use crate::book::{BaseLots, QuoteLots, Ticks};
use crate::error::{MathError, MathResult};
use crate::fixed::{bps_floor, mul_div_ceil, BPS_ONE};
use crate::ledger::{LoanLedger, LoanStatus, RecoveryApplied};
use crate::price::{credits_for_quote_ceil, value_ceil, value_floor, Price};
use crate::quantities::{Bps, CreditAtoms, QuoteAtoms};

/// The price every recovery of one loan uses: the oracle's low side, less the discount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecoveryPrice {
    pub low: Price,
    pub discount: Bps,
    pub credit_decimals: u8,
    pub quote_decimals: u8,
}

impl RecoveryPrice {
    pub fn new(low: Price, discount: Bps, credit_decimals: u8, quote_decimals: u8) -> MathResult<Self> {
        if discount.get() >= BPS_ONE {
            return Err(MathError::OutOfRange);
        }
        Ok(Self { low, discount, credit_decimals, quote_decimals })
    }

    fn keep_bps(&self) -> u64 {
        BPS_ONE - self.discount.get()
    }

    /// Value of `credits` at the low price, rounded down.
    pub fn value_at_low(&self, credits: CreditAtoms) -> MathResult<QuoteAtoms> {
        value_floor(credits, self.low, self.credit_decimals, self.quote_decimals)
    }

    /// What the debt is credited for `credits`: the low value less the discount, rounded down.
    pub fn credited_value(&self, credits: CreditAtoms) -> MathResult<QuoteAtoms> {
        bps_floor(self.value_at_low(credits)?.0, self.keep_bps()).map(QuoteAtoms)
    }

    /// The fewest credits whose credited value covers `debt`. `credited_value(c) >= debt`
    /// exactly when the low value rounded down reaches `ceil(debt / (1 - discount))`, an
    /// integer: so when the exact value does.
    pub fn credits_to_cover(&self, debt: QuoteAtoms) -> MathResult<CreditAtoms> {
        let gross = mul_div_ceil(debt.0, BPS_ONE, self.keep_bps())?;
        credits_for_quote_ceil(QuoteAtoms(gross), self.low, self.credit_decimals, self.quote_decimals)
    }

    /// The lowest price a sale may trade at, in ticks per lot: the discounted low value of one
    /// lot, rounded up at every step (against the seller, for the borrower whose collateral it is).
    pub fn sale_floor(&self, lot_size: u64, tick_size: u64) -> MathResult<Ticks> {
        if tick_size == 0 || lot_size == 0 {
            return Err(MathError::DivideByZero);
        }
        let lot_value =
            value_ceil(CreditAtoms(lot_size), self.low, self.credit_decimals, self.quote_decimals)?;
        let discounted = mul_div_ceil(lot_value.0, self.keep_bps(), BPS_ONE)?;
        Ok(Ticks(discounted.div_ceil(tick_size).max(1)))
    }
}

/// An in-kind seizure: credits the lender takes and the debt they repay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seizure {
    pub credits: CreditAtoms,
    pub repaid: QuoteAtoms,
}

/// The seizure for `debt` from a vault holding `in_vault`, at most `max_credits`: the fewest
/// credits that cover the debt (or all that is allowed, if fewer). Repays at most the debt.
pub fn plan_seizure(
    price: &RecoveryPrice,
    debt: QuoteAtoms,
    in_vault: CreditAtoms,
    max_credits: CreditAtoms,
) -> MathResult<Seizure> {
    let credits = price.credits_to_cover(debt)?.min(in_vault).min(max_credits);
    let repaid = price.credited_value(credits)?.min(debt);
    Ok(Seizure { credits, repaid })
}

/// The bounds of a sale on the market, for the matching engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SalePlan {
    /// No fill below this price.
    pub floor: Ticks,
    /// Lots offered: what was asked, what the vault holds, and what reaching `max_quote` at the
    /// floor could need.
    pub lots: BaseLots,
    /// The notional that nets the whole debt after the taker fee (its per-lot rounding
    /// included): matching stops there.
    pub max_quote: QuoteLots,
}

/// Market parameters a sale needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SaleMarket {
    pub lot_size: u64,
    pub tick_size: u64,
    pub taker_fee: Bps,
}

pub fn plan_sale(
    price: &RecoveryPrice,
    market: SaleMarket,
    debt: QuoteAtoms,
    in_vault: CreditAtoms,
    requested: BaseLots,
) -> MathResult<SalePlan> {
    let floor = price.sale_floor(market.lot_size, market.tick_size)?;
    let vault_lots = in_vault.0 / market.lot_size;
    let fee_keep =
        BPS_ONE.checked_sub(market.taker_fee.get()).filter(|k| *k > 0).ok_or(MathError::OutOfRange)?;
    // Each lot's taker fee is rounded up by at most one atom: a cap raised by one atom per lot
    // the sale may fill still nets the debt.
    let lot_bound = requested.0.min(vault_lots);
    let net_needed = debt.0.checked_add(lot_bound).ok_or(MathError::Overflow)?;
    let gross = mul_div_ceil(net_needed, BPS_ONE, fee_keep)?;
    let max_quote = gross.div_ceil(market.tick_size);
    let lots_at_floor = max_quote.div_ceil(floor.0);
    Ok(SalePlan { floor, lots: BaseLots(lot_bound.min(lots_at_floor)), max_quote: QuoteLots(max_quote) })
}

/// The lots a sale rests so that, once filled at `limit` or better, it nets `debt` after the
/// market's fees, at most `available`. A resting sale is sized in lots (a quote-capped order
/// never rests): `ceil(debt / net)`, with `net` the least a lot at `limit` can bring in, the
/// larger of the maker and taker fee taken off and rounded up per lot (both fees round up, the
/// taker's once per fill: never more than per lot). A better price only nets more per lot, so a
/// full fill nets at least the debt and one lot fewer would not have at `limit`.
/// `OutOfRange` when a lot at `limit` nets nothing.
pub fn plan_rest(
    market: SaleMarket,
    maker_fee: Bps,
    limit: Ticks,
    debt: QuoteAtoms,
    available: BaseLots,
) -> MathResult<BaseLots> {
    let lot_price = limit.0.checked_mul(market.tick_size).ok_or(MathError::Overflow)?;
    let fee_bps = maker_fee.get().max(market.taker_fee.get());
    let fee = mul_div_ceil(lot_price, fee_bps, BPS_ONE)?;
    let net = lot_price.checked_sub(fee).filter(|n| *n > 0).ok_or(MathError::OutOfRange)?;
    Ok(BaseLots(debt.0.div_ceil(net).min(available.0)))
}

/// How a recovery closed (or did not close) the books.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecoveryOutcome {
    pub applied: RecoveryApplied,
    /// Debt written off because the vault ran dry.
    pub written_off: u64,
    /// The loan is liquidated: what is left in the vault belongs to the borrower.
    pub done: bool,
}

/// Books `repaid` against the loan after credits left the vault, leaving `vault_left`.
/// Refuses (`MathError::OutOfRange`) a recovery that repays nothing while the vault still
/// holds collateral: a dust seizure must not latch the loan into recovery.
pub fn settle_recovery(
    ledger: &mut LoanLedger,
    repaid: QuoteAtoms,
    vault_left: CreditAtoms,
) -> MathResult<RecoveryOutcome> {
    if repaid.is_zero() && !vault_left.is_zero() {
        return Err(MathError::OutOfRange);
    }
    let applied = ledger.recover(repaid.0)?;
    let mut outcome = RecoveryOutcome { applied, written_off: 0, done: false };
    if ledger.debt()? == 0 {
        ledger.status = LoanStatus::Liquidated as u8;
        outcome.done = true;
    } else if vault_left.is_zero() {
        outcome.written_off = ledger.write_off()?;
        outcome.done = true;
    }
    Ok(outcome)
}

#[cfg(test)]
#[path = "recovery_tests.rs"]
mod tests;
