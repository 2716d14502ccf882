//! Settlement of the matching engine's outcome against the market's seats.
//!
//! Fees are charged per lot in quote atoms, rounded up per lot (`fee_per_lot`), so a resting
//! bid can lock exactly what its fills and its cancel will need: `lots x (price x tick +
//! maker fee per lot)`, with no rounding dust. Every quote atom and credit atom in a vault is
//! owned by some seat (free or locked); fees leave for the treasury in the same instruction.
use anchor_lang::prelude::*;
use credit_math::book::{MatchOutcome, Side};
use credit_math::fixed::mul_div_ceil;

use crate::error::{CreditsError, MathResultExt};
use crate::state::{seat_of_tag, Market};

/// Through the 128-bit product: see `credit_math::fixed::checked_mul_u64`.
fn mul(a: u64, b: u64) -> Result<u64> {
    credit_math::fixed::checked_mul_u64(a, b).ok_or_else(|| error!(CreditsError::MathOverflow))
}

fn add(a: u64, b: u64) -> Result<u64> {
    a.checked_add(b).ok_or_else(|| error!(CreditsError::MathOverflow))
}

fn sub(a: u64, b: u64) -> Result<u64> {
    a.checked_sub(b).ok_or_else(|| error!(CreditsError::MathOverflow))
}

/// Fee on one lot at `price` ticks, in quote atoms, rounded up.
pub fn fee_per_lot(m: &Market, price: u64, bps: u16) -> Result<u64> {
    mul_div_ceil(mul(price, m.tick_size)?, u64::from(bps), 10_000).or_credits_err()
}

/// What a resting bid locks per lot: the price and the maker fee it may pay.
pub fn bid_lock_per_lot(m: &Market, price: u64) -> Result<u64> {
    add(mul(price, m.tick_size)?, fee_per_lot(m, price, m.maker_fee_bps)?)
}

/// What moves between the taker's wallet and the vaults, and to the treasury.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TakerFlows {
    /// Quote atoms from the taker into the quote vault (a bid: price, taker fee, resting lock).
    pub quote_in: u64,
    /// Quote atoms from the quote vault to the taker (an ask: proceeds less the taker fee).
    pub quote_out: u64,
    /// Credit atoms from the taker into the base vault (an ask: filled and resting).
    pub base_in: u64,
    /// Credit atoms from the base vault to the taker (a bid: filled).
    pub base_out: u64,
    /// Quote atoms before fees.
    pub notional: u64,
    pub taker_fee: u64,
    /// Taker and maker fees: from the quote vault to the treasury.
    pub fees: u64,
}

/// Applies `out` (the engine's result for the taker at seat `taker`; `None` for a liquidation
/// sale, which never rests) to the seats and returns the token flows the instruction must make.
/// `maker_fees[i]` is the fee of `out.fills[i]`.
pub fn settle(
    m: &mut Market,
    taker: Option<usize>,
    side: Side,
    limit: u64,
    out: &MatchOutcome,
    maker_fees: &mut Vec<u64>,
) -> Result<TakerFlows> {
    let mut f = TakerFlows::default();
    let lot = m.lot_size;
    for fill in &out.fills {
        let (price, q) = (fill.price.0, fill.lots.0);
        let notional = mul(mul(price, m.tick_size)?, q)?;
        let maker_fee = mul(fee_per_lot(m, price, m.maker_fee_bps)?, q)?;
        let taker_fee = mul(fee_per_lot(m, price, m.taker_fee_bps)?, q)?;
        let maker = seat_of_tag(&fill.maker);
        match side {
            // the taker buys from a resting ask: the maker's credits go to the taker, the
            // price less the maker fee to the maker's seat
            Side::Bid => {
                let s = &mut m.seats[maker];
                s.base_locked = sub(s.base_locked, mul(q, lot)?)?;
                s.quote_free = add(s.quote_free, sub(notional, maker_fee)?)?;
                f.base_out = add(f.base_out, mul(q, lot)?)?;
            }
            // the taker sells to a resting bid: the maker's lock pays price and maker fee, the
            // maker's seat receives the credits
            Side::Ask => {
                let lock = mul(bid_lock_per_lot(m, price)?, q)?;
                let s = &mut m.seats[maker];
                s.quote_locked = sub(s.quote_locked, lock)?;
                s.base_free = add(s.base_free, mul(q, lot)?)?;
                f.base_in = add(f.base_in, mul(q, lot)?)?;
            }
        }
        f.notional = add(f.notional, notional)?;
        f.taker_fee = add(f.taker_fee, taker_fee)?;
        f.fees = add(f.fees, add(maker_fee, taker_fee)?)?;
        maker_fees.push(maker_fee);
    }
    for r in &out.removed {
        release(m, opposite(side), r.order.price.0, r.order.lots.0, seat_of_tag(&r.order.owner))?;
    }
    match side {
        Side::Bid => {
            let rest_lock = mul(bid_lock_per_lot(m, limit)?, out.rested_lots.0)?;
            f.quote_in = add(add(f.notional, f.taker_fee)?, rest_lock)?;
            if rest_lock > 0 {
                let taker = taker.ok_or(CreditsError::SaleMustNotRest)?;
                m.seats[taker].quote_locked = add(m.seats[taker].quote_locked, rest_lock)?;
            }
        }
        Side::Ask => {
            let rest = mul(out.rested_lots.0, lot)?;
            f.base_in = add(f.base_in, rest)?;
            f.quote_out = sub(f.notional, f.taker_fee)?;
            if rest > 0 {
                let taker = taker.ok_or(CreditsError::SaleMustNotRest)?;
                m.seats[taker].base_locked = add(m.seats[taker].base_locked, rest)?;
            }
        }
    }
    m.fees_collected = add(m.fees_collected, f.fees)?;
    Ok(f)
}

pub fn opposite(side: Side) -> Side {
    match side {
        Side::Bid => Side::Ask,
        Side::Ask => Side::Bid,
    }
}

/// A resting order of `side` left the book unfilled: its lock becomes free again.
pub fn release(m: &mut Market, side: Side, price: u64, lots: u64, seat: usize) -> Result<()> {
    match side {
        Side::Bid => {
            let lock = mul(bid_lock_per_lot(m, price)?, lots)?;
            let s = &mut m.seats[seat];
            s.quote_locked = sub(s.quote_locked, lock)?;
            s.quote_free = add(s.quote_free, lock)?;
        }
        Side::Ask => {
            let amount = mul(lots, m.lot_size)?;
            let s = &mut m.seats[seat];
            s.base_locked = sub(s.base_locked, amount)?;
            s.base_free = add(s.base_free, amount)?;
        }
    }
    Ok(())
}
