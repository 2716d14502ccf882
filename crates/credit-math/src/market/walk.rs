//! The matching walk: from the best opposite order down, deciding for each what happens
//! (removed as expired or own, decremented, filled, its remainder cancelled as dust) without
//! touching the book. The engine runs it twice with the same inputs: once to learn the
//! totals and decide every refusal, then, once nothing can fail, again with a visitor that
//! moves balances and emits events; the book is then cut in one step (the walk only ever
//! consumes orders from the top, and at most changes the size of the next one).
//!
//! Cost: O(fills + removals), each bounded by `MatchLimits`; no allocation, no search.
use super::fees::{add, mul, Params};
use super::{MarketError, MatchLimits, Order, RemoveReason, SelfTrade};
use crate::book::{BaseLots, Side, Ticks};

/// The incoming side of a match.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Taker {
    pub seat: Option<u32>,
    pub side: Side,
    pub limit: Ticks,
    pub lots: u64,
    /// Quote lots (ticks x lots); `u64::MAX`: no cap.
    pub max_quote: u64,
    /// Quote atoms the taker may spend on fills and taker fees (a buying swap).
    pub budget: Option<u64>,
    pub self_trade: SelfTrade,
    /// Any live crossing order (its own included) refuses the order.
    pub post_only: bool,
}

/// Why the walk stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The opposite side is empty.
    Empty,
    /// Nothing left to fill.
    Done,
    /// The quote cap was reached.
    Capped,
    /// The best opposite order does not cross the limit.
    NoCross,
    /// The fill or removal limit was reached while the book still crosses.
    OutOfSteps,
    /// Met its own order with `SelfTrade::CancelTaker`.
    Aborted,
    /// The budget does not buy one more lot.
    Budget,
}

impl Stop {
    /// The book no longer crosses the limit: a remainder may rest.
    pub fn may_rest(self) -> bool {
        matches!(self, Stop::Empty | Stop::NoCross)
    }
}

/// One decision of the walk, with every amount it moves.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Step {
    /// `lots` of `order` leave the book unfilled; `release` (its lock for those lots) goes back
    /// to its seat's free balance. `gone`: the order is no more.
    Removed { order: Order, lots: u64, reason: RemoveReason, gone: bool, release: u64 },
    /// A trade of `lots` at `order.price`.
    Fill { order: Order, lots: u64, base: u64, notional: u64, maker_fee: u64, taker_fee: u64, gone: bool },
}

/// What the walk found.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Walk {
    /// Orders consumed from the top of the opposite side.
    pub consumed: usize,
    /// New size of the next order, if the walk changed it.
    pub top_lots: Option<u64>,
    pub left: u64,
    pub filled: u64,
    pub decremented: u64,
    /// Ticks x lots traded (what `max_quote` caps).
    pub quote_lots: u64,
    pub notional: u64,
    pub taker_fees: u64,
    pub maker_fees: u64,
    /// Orders of the taker's seat that went.
    pub own_removed: u32,
    pub stop: Stop,
}

pub(crate) fn crosses(side: Side, limit: Ticks, resting: Ticks) -> bool {
    match side {
        Side::Bid => resting <= limit,
        Side::Ask => resting >= limit,
    }
}

pub(crate) fn opposite(side: Side) -> Side {
    match side {
        Side::Bid => Side::Ask,
        Side::Ask => Side::Bid,
    }
}

impl Walk {
    /// A walk that has done nothing yet (for a taker of `lots`), stopped by `stop`.
    pub(crate) fn idle(lots: u64, stop: Stop) -> Self {
        Walk {
            consumed: 0,
            top_lots: None,
            left: lots,
            filled: 0,
            decremented: 0,
            quote_lots: 0,
            notional: 0,
            taker_fees: 0,
            maker_fees: 0,
            own_removed: 0,
            stop,
        }
    }

    /// `rem` lots of the top order `top` are left after a fill or a removal: the order goes,
    /// stays with its new size, or (below the minimum notional) is cancelled as dust.
    fn cut(
        &mut self,
        p: &Params,
        t: &Taker,
        top: &Order,
        rem: u64,
        visit: &mut impl FnMut(Step),
    ) -> Result<(), MarketError> {
        if rem > 0 && !p.is_dust(top.price, BaseLots(rem))? {
            self.top_lots = Some(rem);
            return Ok(());
        }
        if rem > 0 {
            let release = p.lock(opposite(t.side), top.price, BaseLots(rem))?;
            visit(Step::Removed { order: *top, lots: rem, reason: RemoveReason::Dust, gone: true, release });
        }
        if t.seat == Some(top.seat) {
            self.own_removed += 1;
        }
        self.consumed += 1;
        self.top_lots = None;
        Ok(())
    }
}

/// Walks `opposite` (sorted worst to best) for `t` at `now`. See the module note.
pub(crate) fn walk(
    p: &Params,
    opposite_orders: &[Order],
    t: &Taker,
    limits: MatchLimits,
    now: i64,
    mut visit: impl FnMut(Step),
) -> Result<Walk, MarketError> {
    let maker_side = opposite(t.side);
    let mut w = Walk::idle(t.lots, Stop::Empty);
    let (mut fills, mut removals) = (0u32, 0u32);
    let len = opposite_orders.len();
    w.stop = loop {
        if w.consumed == len {
            break Stop::Empty;
        }
        let mut top = opposite_orders[len - 1 - w.consumed];
        if let Some(lots) = w.top_lots {
            top.lots = BaseLots(lots);
        }
        if w.left == 0 {
            break Stop::Done;
        }
        if w.quote_lots >= t.max_quote {
            break Stop::Capped;
        }
        if !crosses(t.side, t.limit, top.price) {
            break Stop::NoCross;
        }
        let expired = top.is_expired(now);
        let own = t.seat == Some(top.seat);
        if !expired && t.post_only {
            return Err(MarketError::WouldCross);
        }
        if !expired && own && t.self_trade == SelfTrade::CancelTaker {
            break Stop::Aborted;
        }
        if expired || own {
            if removals == limits.max_removals {
                if t.post_only {
                    return Err(MarketError::WouldCross);
                }
                break Stop::OutOfSteps;
            }
            removals += 1;
            let (lots, reason) = if expired {
                (top.lots.0, RemoveReason::Expired)
            } else if t.self_trade == SelfTrade::DecrementBoth {
                let d = w.left.min(top.lots.0);
                w.left -= d;
                w.decremented += d;
                (d, RemoveReason::SelfTrade)
            } else {
                (top.lots.0, RemoveReason::SelfTrade)
            };
            let rem = top.lots.0 - lots;
            let release = p.lock(maker_side, top.price, BaseLots(lots))?;
            visit(Step::Removed { order: top, lots, reason, gone: rem == 0, release });
            w.cut(p, t, &top, rem, &mut visit)?;
            continue;
        }
        if fills == limits.max_fills {
            break Stop::OutOfSteps;
        }
        let mut q = w.left.min(top.lots.0);
        if t.max_quote != u64::MAX {
            // the fewest lots that reach the cap (the last fill may pass it by under one lot)
            q = q.min((t.max_quote - w.quote_lots).div_ceil(top.price.0.max(1)));
        }
        if let Some(budget) = t.budget {
            let spent = add(w.notional, w.taker_fees)?;
            q = q.min(p.lots_affordable(top.price, budget - spent)?);
        }
        if q == 0 {
            break Stop::Budget;
        }
        let notional = p.notional(top.price, BaseLots(q))?;
        let maker_fee = mul(p.maker_fee_per_lot(top.price)?, q)?;
        let taker_fee = p.taker_fee(notional)?;
        let base = p.base(BaseLots(q))?;
        let rem = top.lots.0 - q;
        visit(Step::Fill { order: top, lots: q, base, notional, maker_fee, taker_fee, gone: rem == 0 });
        fills += 1;
        w.left -= q;
        w.filled += q;
        w.quote_lots = add(w.quote_lots, mul(top.price.0, q)?)?;
        w.notional = add(w.notional, notional)?;
        w.taker_fees = add(w.taker_fees, taker_fee)?;
        w.maker_fees = add(w.maker_fees, maker_fee)?;
        w.cut(p, t, &top, rem, &mut visit)?;
    };
    Ok(w)
}
