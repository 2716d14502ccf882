//! `place` (a seat's order, funded from its balances) and `swap` (a seatless taker): each
//! walks the book read-only (`walk.rs`), decides every refusal, then walks again applying.
use super::fees::{self, Params};
use super::state::better_price;
use super::walk::{crosses, walk, Taker};
use super::{
    apply_step, emit, lock, removed_event, unlock, Emitted, Event, MarketError, MarketMut, Order, OrderKind,
    OrderRequest, PlaceOutcome, RemoveReason, SelfTrade, SwapOutcome,
};
use crate::book::{BaseLots, Side, Ticks};
use crate::quantities::QuoteAtoms;

impl<const N: usize> MarketMut<'_, N> {
    /// Places an order for `seat`, funded from its free balances: fills debit and credit the
    /// seat in place; a resting remainder locks `lots x (price x tick + maker fee per lot)`
    /// quote (a bid) or `lots x lot_size` credits (an ask).
    ///
    /// Policies, in the order they are decided (the first that applies refuses):
    /// 1. `InvalidSeat`; `InvalidOrder` for zero lots, price or cap, an expiry not in the
    ///    future, or a size whose lock at the limit overflows.
    /// 2. Matching (price-time priority at the makers' prices). Expired orders met are removed
    ///    (`Expired`); own orders per `self_trade`. Fills count against `max_fills`, removals
    ///    against `max_removals`; when one runs out while the book still crosses, matching
    ///    stops and the remainder is dropped (so the book never crosses). A maker remainder
    ///    below the minimum notional is cancelled (`Dust`). Post-only: any live crossing
    ///    order, or running out of removals while crossing, refuses (`WouldCross`).
    /// 3. Fill-or-kill not filled (or capped) completely: `CannotFillCompletely`.
    /// 4. A remainder of a limit or post-only order rests when the book no longer crosses (not
    ///    when capped, aborted by self-trade or out of steps). Below the minimum notional it
    ///    is refused (`BelowMinimumNotional`) if the order filled nothing, else dropped.
    /// 5. Side full: priced strictly better than the side's worst, it evicts it (`Evicted`,
    ///    its lock returns to its seat); otherwise `BookFull`.
    /// 6. The seat's resting orders after matching and eviction reach the cap: `TooManyOrders`.
    /// 7. The seat's free balance (plus what evicting its own order frees) cannot pay fills,
    ///    taker fees and the lock: `InsufficientBalance`.
    pub fn place(
        &mut self,
        seat: u32,
        req: OrderRequest,
        now: i64,
        events: &mut Vec<Emitted>,
    ) -> Result<PlaceOutcome, MarketError> {
        let i = self.check_seat(seat)?;
        let p = Params::of(self.header);
        self.place_checked(i, seat, &p, req, now, events)
    }

    /// `place` for the checked seat `seat` (index `i`) with the market's parameters `p` (a
    /// batch checks and reads them once).
    #[inline]
    pub(super) fn place_checked(
        &mut self,
        i: usize,
        seat: u32,
        p: &Params,
        req: OrderRequest,
        now: i64,
        events: &mut Vec<Emitted>,
    ) -> Result<PlaceOutcome, MarketError> {
        let p = *p;
        let basic =
            req.lots.0 > 0 && req.limit.0 > 0 && req.max_quote.0 > 0 && (req.expiry == 0 || req.expiry > now);
        let (Ok(full_lock), Ok(full_notional), true) =
            (p.lock(req.side, req.limit, req.lots), p.notional(req.limit, req.lots), basic)
        else {
            return Err(MarketError::InvalidOrder);
        };
        // an order whose limit does not reach the opposite best only rests (or, IOC, does
        // nothing): `rest_only` decides it as the general path below would, with no walk
        let opp_best = match req.side {
            Side::Bid => self.asks.best(),
            Side::Ask => self.bids.best(),
        };
        if !opp_best.is_some_and(|o| crosses(req.side, req.limit, o.price)) {
            return self.rest_only(i, seat, req, &p, full_lock, full_notional, events);
        }
        let t = Taker {
            seat: Some(seat),
            side: req.side,
            limit: req.limit,
            lots: req.lots.0,
            max_quote: req.max_quote.0,
            budget: None,
            self_trade: req.self_trade,
            post_only: req.kind == OrderKind::PostOnly,
        };
        let limits = self.limits;
        let (own, opp) = match req.side {
            Side::Bid => (&mut *self.bids, &mut *self.asks),
            Side::Ask => (&mut *self.asks, &mut *self.bids),
        };
        let w = walk(&p, opp.orders(), &t, limits, now, |_| {})?;
        // a capped order is complete, and never rests (the cap may be reached on a fill that
        // also empties the book)
        let capped = w.quote_lots >= t.max_quote;
        if req.kind == OrderKind::FillOrKill && w.left > 0 && !capped {
            return Err(MarketError::CannotFillCompletely);
        }
        let mut rests = matches!(req.kind, OrderKind::Limit | OrderKind::PostOnly)
            && w.left > 0
            && w.stop.may_rest()
            && !capped;
        if rests && p.is_dust(req.limit, BaseLots(w.left))? {
            if w.filled == 0 {
                return Err(MarketError::BelowMinimumNotional);
            }
            rests = false;
        }
        let mut evict = None;
        if rests && own.is_full() {
            let worst = own.orders[0];
            if !better_price(req.side, req.limit, worst.price) {
                return Err(MarketError::BookFull);
            }
            evict = Some((worst, p.lock(req.side, worst.price, worst.lots)?));
        }
        let own_evicted = evict.is_some_and(|(o, _)| o.seat == seat);
        let rest_lots = if rests { w.left } else { 0 };
        let rest_lock = p.lock(req.side, req.limit, BaseLots(rest_lots))?;
        let s = &self.seats[i];
        if rests && s.order_count - w.own_removed - u32::from(own_evicted) >= self.header.max_orders_per_seat
        {
            return Err(MarketError::TooManyOrders);
        }
        let freed = if own_evicted { evict.map_or(0, |(_, l)| l) } else { 0 };
        let (need, free) = match req.side {
            Side::Bid => (fees::add(fees::add(w.notional, w.taker_fees)?, rest_lock)?, s.quote_free.0),
            Side::Ask => (fees::add(p.base(BaseLots(w.filled))?, rest_lock)?, s.base_free.0),
        };
        if need > fees::add(free, freed)? {
            return Err(MarketError::InsufficientBalance);
        }

        // nothing can fail from here on
        let (header, seats) = (&mut *self.header, &mut *self.seats);
        walk(&p, opp.orders(), &t, limits, now, |step| {
            apply_step(header, seats, events, req.side, Some(seat), step)
        })?;
        opp.truncate_top(w.consumed);
        if let Some(lots) = w.top_lots {
            let top = opp.len as usize - 1;
            opp.orders[top].lots = BaseLots(lots);
        }
        if let Some((worst, release)) = evict {
            let s = &mut seats[worst.seat as usize];
            unlock(s, req.side, release);
            s.order_count -= 1;
            emit(header, events, removed_event(req.side, &worst, worst.lots.0, RemoveReason::Evicted));
        }
        let s = &mut seats[i];
        let base = p.base(BaseLots(w.filled))?;
        match req.side {
            Side::Bid => {
                s.quote_free.0 -= w.notional + w.taker_fees;
                s.base_free.0 += base;
            }
            Side::Ask => {
                s.base_free.0 -= base;
                s.quote_free.0 += w.notional - w.taker_fees;
            }
        }
        header.treasury_fees.0 += w.maker_fees + w.taker_fees;
        let mut out = PlaceOutcome {
            filled: BaseLots(w.filled),
            notional: QuoteAtoms(w.notional),
            taker_fee: QuoteAtoms(w.taker_fees),
            ..PlaceOutcome::default()
        };
        if rests {
            lock(s, req.side, rest_lock);
            s.order_count += 1;
            let seq = header.next_order_seq;
            header.next_order_seq += 1;
            let order = Order {
                price: req.limit,
                lots: BaseLots(rest_lots),
                seq,
                expiry: req.expiry,
                seat,
                _reserved: [0; 4],
            };
            if evict.is_some() {
                own.evict_and_insert(req.side, order);
            } else {
                own.insert_new(req.side, order);
            }
            let placed = Event::OrderPlaced {
                seat,
                side: req.side,
                seq,
                price: req.limit,
                lots: BaseLots(rest_lots),
                expiry: req.expiry,
            };
            emit(header, events, placed);
            out.rested = Some(seq);
            out.rested_lots = BaseLots(rest_lots);
        }
        out.dropped = BaseLots(req.lots.0 - w.filled - w.decremented - rest_lots);
        Ok(out)
    }

    /// `place` of an order that does not reach the opposite side (`full_lock` / `full_notional`:
    /// its lock and notional at its limit, all lots): the general path's walk would stop at once
    /// with nothing done, so this decides the same refusals in the same order (fill-or-kill,
    /// minimum notional, full side, per-seat cap, balance) and rests it, evicting as there, with
    /// the same events. An immediate-or-cancel order does nothing (all lots dropped).
    #[allow(clippy::too_many_arguments)]
    fn rest_only(
        &mut self,
        i: usize,
        seat: u32,
        req: OrderRequest,
        p: &Params,
        full_lock: u64,
        full_notional: u64,
        events: &mut Vec<Emitted>,
    ) -> Result<PlaceOutcome, MarketError> {
        match req.kind {
            OrderKind::FillOrKill => return Err(MarketError::CannotFillCompletely),
            OrderKind::ImmediateOrCancel => {
                return Ok(PlaceOutcome { dropped: req.lots, ..PlaceOutcome::default() })
            }
            OrderKind::Limit | OrderKind::PostOnly => {}
        }
        if full_notional < p.min_order_notional {
            return Err(MarketError::BelowMinimumNotional);
        }
        let own = match req.side {
            Side::Bid => &mut *self.bids,
            Side::Ask => &mut *self.asks,
        };
        // a full side evicts its worst order (which stays in place, read again when it goes):
        // the lock it releases, and whether it is the seat's own
        let (mut evict, mut own_evicted) = (None, false);
        if own.is_full() {
            let worst = &own.orders[0];
            if !better_price(req.side, req.limit, worst.price) {
                return Err(MarketError::BookFull);
            }
            evict = Some(p.lock(req.side, worst.price, worst.lots)?);
            own_evicted = worst.seat == seat;
        }
        let s = &self.seats[i];
        if s.order_count - u32::from(own_evicted) >= self.header.max_orders_per_seat {
            return Err(MarketError::TooManyOrders);
        }
        let freed = match evict {
            Some(release) if own_evicted => release,
            _ => 0,
        };
        let free = match req.side {
            Side::Bid => s.quote_free.0,
            Side::Ask => s.base_free.0,
        };
        if full_lock > fees::add(free, freed)? {
            return Err(MarketError::InsufficientBalance);
        }

        // nothing can fail from here on
        let (header, seats) = (&mut *self.header, &mut *self.seats);
        if let Some(release) = evict {
            let worst = own.orders[0];
            let s = &mut seats[worst.seat as usize];
            unlock(s, req.side, release);
            s.order_count -= 1;
            emit(header, events, removed_event(req.side, &worst, worst.lots.0, RemoveReason::Evicted));
        }
        let s = &mut seats[i];
        lock(s, req.side, full_lock);
        s.order_count += 1;
        let seq = header.next_order_seq;
        header.next_order_seq += 1;
        let order =
            Order { price: req.limit, lots: req.lots, seq, expiry: req.expiry, seat, _reserved: [0; 4] };
        if evict.is_some() {
            own.evict_and_insert(req.side, order);
        } else {
            own.insert_new(req.side, order);
        }
        let placed = Event::OrderPlaced {
            seat,
            side: req.side,
            seq,
            price: req.limit,
            lots: req.lots,
            expiry: req.expiry,
        };
        emit(header, events, placed);
        Ok(PlaceOutcome { rested: Some(seq), rested_lots: req.lots, ..PlaceOutcome::default() })
    }

    /// A seatless taker (the aggregator interface): exact input in atoms, at most `limit`'s
    /// price, matched like an immediate-or-cancel order. A buy (`Side::Bid`) spends up to
    /// `amount_in` quote atoms on lots and taker fees; a sell (`Side::Ask`) sells
    /// `amount_in / lot_size` lots. Returns what the vaults take in (at most `amount_in`: whole
    /// lots only) and pay out; refuses (`SlippageExceeded`) below `min_out`.
    pub fn swap(
        &mut self,
        side: Side,
        amount_in: u64,
        min_out: u64,
        limit: Ticks,
        now: i64,
        events: &mut Vec<Emitted>,
    ) -> Result<SwapOutcome, MarketError> {
        let p = Params::of(self.header);
        let (lots, budget) = match side {
            Side::Bid => (u64::MAX, Some(amount_in)),
            Side::Ask => (amount_in / p.lot_size, None),
        };
        if amount_in == 0 || lots == 0 || limit.0 == 0 {
            return Err(MarketError::InvalidOrder);
        }
        let t = Taker {
            seat: None,
            side,
            limit,
            lots,
            max_quote: u64::MAX,
            budget,
            self_trade: SelfTrade::CancelResting,
            post_only: false,
        };
        let limits = self.limits;
        let opp = match side {
            Side::Bid => &mut *self.asks,
            Side::Ask => &mut *self.bids,
        };
        let w = walk(&p, opp.orders(), &t, limits, now, |_| {})?;
        let base = p.base(BaseLots(w.filled))?;
        let (taken_in, paid_out) = match side {
            Side::Bid => (fees::add(w.notional, w.taker_fees)?, base),
            Side::Ask => (base, w.notional - w.taker_fees),
        };
        if paid_out < min_out {
            return Err(MarketError::SlippageExceeded);
        }
        let (base_total, quote_total) = match side {
            Side::Bid => {
                (self.header.base_total.0 - paid_out, fees::add(self.header.quote_total.0, taken_in)?)
            }
            Side::Ask => {
                (fees::add(self.header.base_total.0, taken_in)?, self.header.quote_total.0 - paid_out)
            }
        };

        // nothing can fail from here on
        let (header, seats) = (&mut *self.header, &mut *self.seats);
        walk(&p, opp.orders(), &t, limits, now, |step| apply_step(header, seats, events, side, None, step))?;
        opp.truncate_top(w.consumed);
        if let Some(lots) = w.top_lots {
            let top = opp.len as usize - 1;
            opp.orders[top].lots = BaseLots(lots);
        }
        header.treasury_fees.0 += w.maker_fees + w.taker_fees;
        header.base_total.0 = base_total;
        header.quote_total.0 = quote_total;
        Ok(SwapOutcome {
            taken_in,
            paid_out,
            lots: BaseLots(w.filled),
            notional: QuoteAtoms(w.notional),
            taker_fee: QuoteAtoms(w.taker_fees),
        })
    }
}
