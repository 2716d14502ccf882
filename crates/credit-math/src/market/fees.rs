//! The money arithmetic of a fill, kept exactly as v1 settles it
//! (`programs/compute-credits/src/settlement`):
//! - one lot at `price` costs `price x tick_size` quote atoms;
//! - the maker fee is charged per lot, rounded up per lot, so a resting bid locks exactly
//!   `lots x (price x tick_size + maker fee per lot)`: what its fills and its cancel need;
//! - the taker fee is `notional x bps / 10_000` rounded up once per fill (never more than v1's
//!   per-lot rounding, so a v1 bound on what a taker nets still holds).
//!
//! Every division is by 10_000 (a 32-bit divisor: native 64-bit divisions on SBF).
use super::{MarketError, MarketHeader};
use crate::book::{BaseLots, Side, Ticks};
use crate::fixed::{checked_mul_u64, divrem_u128, mul_div_ceil, wide_mul, BPS_ONE};

/// The parameters matching needs, copied out of the header (so the header can be mutated
/// while matching reads them).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub lot_size: u64,
    pub tick_size: u64,
    pub min_order_notional: u64,
    pub maker_fee_bps: u64,
    pub taker_fee_bps: u64,
}

impl Params {
    pub fn of(h: &MarketHeader) -> Self {
        Self {
            lot_size: h.lot_size,
            tick_size: h.tick_size,
            min_order_notional: h.min_order_notional.0,
            maker_fee_bps: u64::from(h.maker_fee_bps),
            taker_fee_bps: u64::from(h.taker_fee_bps),
        }
    }

    /// Quote atoms of one lot at `price`.
    pub fn lot_price(&self, price: Ticks) -> Result<u64, MarketError> {
        mul(price.0, self.tick_size)
    }

    /// Quote atoms of `lots` at `price`, fees excluded.
    pub fn notional(&self, price: Ticks, lots: BaseLots) -> Result<u64, MarketError> {
        mul(self.lot_price(price)?, lots.0)
    }

    /// Maker fee on one lot at `price`, rounded up.
    pub fn maker_fee_per_lot(&self, price: Ticks) -> Result<u64, MarketError> {
        bps_ceil(self.lot_price(price)?, self.maker_fee_bps)
    }

    /// Taker fee on a fill of `notional` quote atoms, rounded up.
    pub fn taker_fee(&self, notional: u64) -> Result<u64, MarketError> {
        bps_ceil(notional, self.taker_fee_bps)
    }

    /// What a resting bid locks per lot: its price and the maker fee it may pay.
    pub fn bid_lock_per_lot(&self, price: Ticks) -> Result<u64, MarketError> {
        add(self.lot_price(price)?, self.maker_fee_per_lot(price)?)
    }

    /// Credit atoms of `lots`.
    pub fn base(&self, lots: BaseLots) -> Result<u64, MarketError> {
        mul(lots.0, self.lot_size)
    }

    /// What `lots` resting on `side` at `price` lock: quote atoms for a bid, credit atoms for
    /// an ask.
    pub fn lock(&self, side: Side, price: Ticks, lots: BaseLots) -> Result<u64, MarketError> {
        match side {
            Side::Bid => mul(self.bid_lock_per_lot(price)?, lots.0),
            Side::Ask => self.base(lots),
        }
    }

    /// `lots` at `price` fall below the minimum notional.
    pub fn is_dust(&self, price: Ticks, lots: BaseLots) -> Result<bool, MarketError> {
        Ok(self.notional(price, lots)? < self.min_order_notional)
    }

    /// The most lots at `price` a budget of `budget` quote atoms buys, taker fee included:
    /// the largest `q` with `q p + ceil(q p bps / 10^4) <= budget` (`p` = quote atoms per lot),
    /// i.e. `q p (10^4 + bps) <= budget 10^4`. Computed as `floor(floor(budget 10^4 / (10^4 +
    /// bps)) / p)`: a division by a 15-bit constant, then a native 64-bit one.
    pub fn lots_affordable(&self, price: Ticks, budget: u64) -> Result<u64, MarketError> {
        let per_lot = self.lot_price(price)?;
        if per_lot == 0 {
            return Err(MarketError::InvalidOrder);
        }
        let (scaled, _) = divrem_u128(wide_mul(budget, BPS_ONE), u128::from(BPS_ONE + self.taker_fee_bps));
        // scaled <= budget: it fits
        Ok(scaled as u64 / per_lot)
    }
}

/// `ceil(amount x bps / 10_000)`: `mul_div_ceil`, with its common case (an amount below 2^32;
/// `bps` always is) inlined here, a native multiply and division (a call to `mul_div_ceil`
/// costs about as much again on SBF); larger amounts call `bps_ceil_wide`.
#[inline(always)]
fn bps_ceil(amount: u64, bps: u64) -> Result<u64, MarketError> {
    if (amount | bps) >> 32 == 0 {
        return Ok(amount.wrapping_mul(bps).div_ceil(BPS_ONE));
    }
    bps_ceil_wide(amount, bps)
}

/// `bps_ceil` of a larger amount: a call, kept out of line so that the common case stays small
/// where it is inlined.
#[inline(never)]
fn bps_ceil_wide(amount: u64, bps: u64) -> Result<u64, MarketError> {
    mul_div_ceil(amount, bps, BPS_ONE).map_err(|_| MarketError::Overflow)
}

pub(crate) fn mul(a: u64, b: u64) -> Result<u64, MarketError> {
    checked_mul_u64(a, b).ok_or(MarketError::Overflow)
}

pub(crate) fn add(a: u64, b: u64) -> Result<u64, MarketError> {
    a.checked_add(b).ok_or(MarketError::Overflow)
}
