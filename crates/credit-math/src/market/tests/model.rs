//! The obvious implementation of market v2: unsorted vectors (the best order found by scanning
//! each time), balances as `i128` moved by hand one fill at a time, refusals by restoring a
//! clone. The engine must agree with it on every result, event, order and balance.
use super::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct MOrder {
    pub side: Side,
    pub price: u64,
    pub lots: u64,
    pub seq: u64,
    pub expiry: i64,
    pub seat: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct MSeat {
    pub owner: [u8; 32],
    pub base_free: i128,
    pub base_locked: i128,
    pub quote_free: i128,
    pub quote_locked: i128,
}

#[derive(Clone, Debug)]
pub(super) struct Model {
    pub p: MarketParams,
    pub cap: usize,
    pub limits: MatchLimits,
    pub seats: Vec<MSeat>,
    pub bids: Vec<MOrder>,
    pub asks: Vec<MOrder>,
    pub treasury: i128,
    pub next_order_seq: u64,
    pub events: Vec<Emitted>,
    pub next_event_seq: u64,
}

fn ceil_div(a: u128, b: u128) -> u128 {
    a.div_ceil(b)
}

fn fits(x: u128) -> bool {
    x <= u128::from(u64::MAX)
}

impl Model {
    pub fn new(p: MarketParams, cap: usize, limits: MatchLimits) -> Self {
        Model {
            p,
            cap,
            limits,
            seats: vec![],
            bids: vec![],
            asks: vec![],
            treasury: 0,
            next_order_seq: 1,
            events: vec![],
            next_event_seq: 1,
        }
    }

    fn emit(&mut self, event: Event) {
        self.events.push(Emitted { seq: self.next_event_seq, event });
        self.next_event_seq += 1;
    }

    fn pt(&self, price: u64) -> u128 {
        u128::from(price) * u128::from(self.p.tick_size)
    }

    fn maker_fee_per_lot(&self, price: u64) -> u128 {
        ceil_div(self.pt(price) * u128::from(self.p.maker_fee_bps), 10_000)
    }

    /// Quote locked by a bid (or credits by an ask) of `lots` at `price`.
    fn lock_of(&self, side: Side, price: u64, lots: u64) -> u128 {
        match side {
            Side::Bid => u128::from(lots) * (self.pt(price) + self.maker_fee_per_lot(price)),
            Side::Ask => u128::from(lots) * u128::from(self.p.lot_size),
        }
    }

    fn book(&mut self, side: Side) -> &mut Vec<MOrder> {
        match side {
            Side::Bid => &mut self.bids,
            Side::Ask => &mut self.asks,
        }
    }

    fn key(o: &MOrder) -> (u64, u64) {
        let price = if o.side == Side::Bid { u64::MAX - o.price } else { o.price };
        (price, o.seq)
    }

    /// The side in priority order, best first.
    pub fn sorted(&self, side: Side) -> Vec<MOrder> {
        let mut v = if side == Side::Bid { self.bids.clone() } else { self.asks.clone() };
        v.sort_by_key(Self::key);
        v
    }

    fn best(&mut self, side: Side) -> Option<usize> {
        let b = self.book(side);
        (0..b.len()).min_by_key(|&i| Self::key(&b[i]))
    }

    fn worst(&mut self, side: Side) -> Option<usize> {
        let b = self.book(side);
        (0..b.len()).max_by_key(|&i| Self::key(&b[i]))
    }

    pub fn orders_of(&self, seat: u32) -> usize {
        self.bids.iter().chain(&self.asks).filter(|o| o.seat == seat).count()
    }

    /// Takes `lots` of order `i` of `side` off the book unfilled, its lock back to its seat.
    fn release(&mut self, side: Side, i: usize, lots: u64, reason: RemoveReason) {
        let o = self.book(side)[i].clone();
        let amount = self.lock_of(side, o.price, lots) as i128;
        let s = &mut self.seats[o.seat as usize];
        match side {
            Side::Bid => {
                s.quote_locked -= amount;
                s.quote_free += amount;
            }
            Side::Ask => {
                s.base_locked -= amount;
                s.base_free += amount;
            }
        }
        self.book(side)[i].lots -= lots;
        let (seat, seq, price, expiry) = (o.seat, o.seq, Ticks(o.price), o.expiry);
        self.emit(Event::OrderRemoved { seat, side, seq, price, lots: BaseLots(lots), expiry, reason });
    }

    /// After a fill or decrement of order `i`: gone if empty, cancelled if dust.
    fn settle_top(&mut self, side: Side, i: usize) {
        let o = self.book(side)[i].clone();
        if o.lots > 0 && self.pt(o.price) * u128::from(o.lots) < u128::from(self.p.min_order_notional.0) {
            self.release(side, i, o.lots, RemoveReason::Dust);
        }
        if self.book(side)[i].lots == 0 {
            self.book(side).remove(i);
        }
    }

    fn valid_seat(&self, seat: u32) -> Result<(), MarketError> {
        if (seat as usize) < self.seats.len() {
            Ok(())
        } else {
            Err(MarketError::InvalidSeat)
        }
    }

    /// Runs `f` on the model; restores it if `f` refuses.
    fn atomic<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, MarketError>) -> Result<T, MarketError> {
        let snapshot = self.clone();
        let r = f(self);
        if r.is_err() {
            *self = snapshot;
        }
        r
    }

    pub fn claim(&mut self, owner: [u8; 32], hint: Option<u32>) -> Result<u32, MarketError> {
        if hint.is_some_and(|h| self.seats.get(h as usize).is_some_and(|s| s.owner == owner)) {
            return Err(MarketError::DuplicateSeat);
        }
        self.seats.push(MSeat { owner, ..MSeat::default() });
        let seat = self.seats.len() as u32 - 1;
        self.emit(Event::SeatClaimed { seat, owner });
        Ok(seat)
    }

    pub fn deposit(&mut self, seat: u32, base: u64, quote: u64) -> Result<(), MarketError> {
        self.valid_seat(seat)?;
        if base == 0 && quote == 0 {
            return Err(MarketError::ZeroAmount);
        }
        let s = &mut self.seats[seat as usize];
        s.base_free += i128::from(base);
        s.quote_free += i128::from(quote);
        self.emit(Event::Deposit { seat, base: CreditAtoms(base), quote: QuoteAtoms(quote) });
        Ok(())
    }

    pub fn withdraw(&mut self, seat: u32, base: u64, quote: u64) -> Result<(), MarketError> {
        self.valid_seat(seat)?;
        if base == 0 && quote == 0 {
            return Err(MarketError::ZeroAmount);
        }
        let s = &mut self.seats[seat as usize];
        if i128::from(base) > s.base_free || i128::from(quote) > s.quote_free {
            return Err(MarketError::InsufficientBalance);
        }
        s.base_free -= i128::from(base);
        s.quote_free -= i128::from(quote);
        self.emit(Event::Withdraw { seat, base: CreditAtoms(base), quote: QuoteAtoms(quote) });
        Ok(())
    }

    pub fn withdraw_fees(&mut self, amount: u64) -> Result<(), MarketError> {
        if amount == 0 {
            return Err(MarketError::ZeroAmount);
        }
        if i128::from(amount) > self.treasury {
            return Err(MarketError::InsufficientBalance);
        }
        self.treasury -= i128::from(amount);
        self.emit(Event::FeesWithdrawn { amount: QuoteAtoms(amount) });
        Ok(())
    }

    pub fn cancel(&mut self, seat: u32, side: Side, price: u64, seq: u64) -> Result<(), MarketError> {
        self.valid_seat(seat)?;
        let i = self
            .book(side)
            .iter()
            .position(|o| o.seq == seq && o.price == price && o.seat == seat)
            .ok_or(MarketError::OrderNotFound)?;
        let lots = self.book(side)[i].lots;
        self.release(side, i, lots, RemoveReason::Cancelled);
        self.book(side).remove(i);
        Ok(())
    }

    /// Every order of `seat`, bids then asks, each side worst first.
    pub fn pull(&mut self, seat: u32, reason: RemoveReason) -> Result<u32, MarketError> {
        self.valid_seat(seat)?;
        let mut n = 0;
        for side in [Side::Bid, Side::Ask] {
            let mut mine: Vec<MOrder> = self.sorted(side).into_iter().filter(|o| o.seat == seat).collect();
            mine.reverse();
            for o in mine {
                let i = self.book(side).iter().position(|x| x.seq == o.seq).unwrap();
                self.release(side, i, o.lots, reason);
                self.book(side).remove(i);
                n += 1;
            }
        }
        Ok(n)
    }

    /// Expired orders of `side`, worst first, at most `max` of them.
    pub fn prune_expired(&mut self, side: Side, max: u32, now: i64) -> Result<u32, MarketError> {
        if max == 0 {
            return Err(MarketError::ZeroAmount);
        }
        let mut worst_first = self.sorted(side);
        worst_first.reverse();
        let mut n = 0;
        for o in worst_first {
            if n == max {
                break;
            }
            if o.expiry != 0 && now >= o.expiry {
                let i = self.book(side).iter().position(|x| x.seq == o.seq).unwrap();
                self.release(side, i, o.lots, RemoveReason::Expired);
                self.book(side).remove(i);
                n += 1;
            }
        }
        Ok(n)
    }

    pub fn batch(
        &mut self,
        seat: u32,
        cancels: BatchCancels<'_>,
        places: &[OrderRequest],
        now: i64,
    ) -> Result<(), MarketError> {
        self.valid_seat(seat)?;
        if places.iter().any(|p| p.kind != OrderKind::PostOnly) {
            return Err(MarketError::InvalidOrder);
        }
        self.atomic(|m| {
            match cancels {
                BatchCancels::None => {}
                BatchCancels::All => {
                    m.pull(seat, RemoveReason::Cancelled)?;
                }
                BatchCancels::These(list) => {
                    for c in list {
                        m.cancel(seat, c.side, c.price.0, c.seq)?;
                    }
                }
            }
            for p in places {
                m.place(seat, *p, now)?;
            }
            Ok(())
        })
    }

    pub fn place(&mut self, seat: u32, req: OrderRequest, now: i64) -> Result<PlaceOutcome, MarketError> {
        self.valid_seat(seat)?;
        let (lots, price) = (req.lots.0, req.limit.0);
        let valid = lots > 0
            && price > 0
            && req.max_quote.0 > 0
            && (req.expiry == 0 || req.expiry > now)
            && fits(self.lock_of(req.side, price, lots))
            && fits(self.pt(price) * u128::from(lots));
        if !valid {
            return Err(MarketError::InvalidOrder);
        }
        self.atomic(|m| m.take(Some(seat), req, None, now).map(|(out, _)| out))
    }

    /// A seatless IOC: returns (taken in, paid out).
    pub fn swap(
        &mut self,
        side: Side,
        amount_in: u64,
        min_out: u64,
        limit: u64,
        now: i64,
    ) -> Result<SwapOutcome, MarketError> {
        if amount_in == 0 || limit == 0 || (side == Side::Ask && amount_in < self.p.lot_size) {
            return Err(MarketError::InvalidOrder);
        }
        let (lots, budget) =
            if side == Side::Bid { (u64::MAX, Some(amount_in)) } else { (amount_in / self.p.lot_size, None) };
        let req = OrderRequest::new(side, OrderKind::ImmediateOrCancel, Ticks(limit), BaseLots(lots));
        self.atomic(|m| {
            let (out, flows) = m.take(None, req, budget, now)?;
            let base = i128::from(out.filled.0) * i128::from(m.p.lot_size);
            let (taken_in, paid_out) = match side {
                Side::Bid => (flows.0, base),
                Side::Ask => (base, flows.1),
            };
            if paid_out < i128::from(min_out) {
                return Err(MarketError::SlippageExceeded);
            }
            Ok(SwapOutcome {
                taken_in: taken_in as u64,
                paid_out: paid_out as u64,
                lots: out.filled,
                notional: out.notional,
                taker_fee: out.taker_fee,
            })
        })
    }

    /// The matching, step by step. Returns the outcome and the taker's quote (paid, received).
    fn take(
        &mut self,
        seat: Option<u32>,
        req: OrderRequest,
        budget: Option<u64>,
        now: i64,
    ) -> Result<(PlaceOutcome, (i128, i128)), MarketError> {
        let (side, limit) = (req.side, req.limit.0);
        let opp = if side == Side::Bid { Side::Ask } else { Side::Bid };
        let crosses = |p: u64| if side == Side::Bid { p <= limit } else { p >= limit };
        let post_only = req.kind == OrderKind::PostOnly;
        let (mut left, mut filled, mut decremented, mut quote_lots) = (req.lots.0, 0u64, 0u64, 0u128);
        let (mut notional, mut taker_fees, mut paid, mut received) = (0u128, 0u128, 0i128, 0i128);
        let (mut fills, mut removals) = (0, 0);
        let lot = i128::from(self.p.lot_size);
        // "rest": the book no longer crosses
        let rest_ok = loop {
            let Some(i) = self.best(opp) else { break true };
            let o = self.book(opp)[i].clone();
            if left == 0 || quote_lots >= u128::from(req.max_quote.0) {
                break false;
            }
            if !crosses(o.price) {
                break true;
            }
            let expired = o.expiry != 0 && now >= o.expiry;
            let own = seat == Some(o.seat);
            if !expired && post_only {
                return Err(MarketError::WouldCross);
            }
            if !expired && own && req.self_trade == SelfTrade::CancelTaker {
                break false;
            }
            if expired || own {
                if removals == self.limits.max_removals {
                    if post_only {
                        return Err(MarketError::WouldCross);
                    }
                    break false;
                }
                removals += 1;
                if expired {
                    self.release(opp, i, o.lots, RemoveReason::Expired);
                } else if req.self_trade == SelfTrade::DecrementBoth {
                    let d = left.min(o.lots);
                    left -= d;
                    decremented += d;
                    self.release(opp, i, d, RemoveReason::SelfTrade);
                } else {
                    self.release(opp, i, o.lots, RemoveReason::SelfTrade);
                }
                self.settle_top(opp, i);
                continue;
            }
            if fills == self.limits.max_fills {
                break false;
            }
            let mut q = u128::from(left.min(o.lots));
            if req.max_quote != OrderRequest::NO_QUOTE_CAP {
                q = q.min(ceil_div(u128::from(req.max_quote.0) - quote_lots, u128::from(o.price)));
            }
            if let Some(b) = budget {
                let room = u128::from(b) - notional - taker_fees;
                q = q.min(room * 10_000 / (self.pt(o.price) * (10_000 + u128::from(self.p.taker_fee_bps))));
            }
            if q == 0 {
                break false;
            }
            fills += 1;
            let n = self.pt(o.price) * q;
            let maker_fee = q * self.maker_fee_per_lot(o.price);
            let taker_fee = ceil_div(n * u128::from(self.p.taker_fee_bps), 10_000);
            let (q64, n_i, mf, tf) = (q as u64, n as i128, maker_fee as i128, taker_fee as i128);
            let ms = &mut self.seats[o.seat as usize];
            if opp == Side::Ask {
                ms.base_locked -= i128::from(q64) * lot;
                ms.quote_free += n_i - mf;
                paid += n_i + tf;
            } else {
                ms.quote_locked -= n_i + mf;
                ms.base_free += i128::from(q64) * lot;
                received += n_i - tf;
            }
            if let Some(t) = seat {
                let ts = &mut self.seats[t as usize];
                if side == Side::Bid {
                    ts.quote_free -= n_i + tf;
                    ts.base_free += i128::from(q64) * lot;
                } else {
                    ts.base_free -= i128::from(q64) * lot;
                    ts.quote_free += n_i - tf;
                }
            }
            self.treasury += mf + tf;
            self.book(opp)[i].lots -= q64;
            self.emit(Event::Fill {
                maker_seat: o.seat,
                maker_side: opp,
                maker_seq: o.seq,
                taker_seat: seat,
                price: Ticks(o.price),
                lots: BaseLots(q64),
                maker_fee: QuoteAtoms(mf as u64),
                taker_fee: QuoteAtoms(tf as u64),
            });
            self.settle_top(opp, i);
            left -= q64;
            filled += q64;
            quote_lots += u128::from(o.price) * q;
            notional += n;
            taker_fees += taker_fee;
        };
        let capped = quote_lots >= u128::from(req.max_quote.0);
        if req.kind == OrderKind::FillOrKill && left > 0 && !capped {
            return Err(MarketError::CannotFillCompletely);
        }
        let mut out = PlaceOutcome {
            filled: BaseLots(filled),
            notional: QuoteAtoms(notional as u64),
            taker_fee: QuoteAtoms(taker_fees as u64),
            ..PlaceOutcome::default()
        };
        let mut rests =
            matches!(req.kind, OrderKind::Limit | OrderKind::PostOnly) && left > 0 && rest_ok && !capped;
        if rests && self.pt(limit) * u128::from(left) < u128::from(self.p.min_order_notional.0) {
            if filled == 0 {
                return Err(MarketError::BelowMinimumNotional);
            }
            rests = false;
        }
        if let (true, Some(t)) = (rests, seat) {
            if self.book(side).len() == self.cap {
                let w = self.worst(side).unwrap();
                let worst = self.book(side)[w].price;
                let better = if side == Side::Bid { limit > worst } else { limit < worst };
                if !better {
                    return Err(MarketError::BookFull);
                }
                let lots = self.book(side)[w].lots;
                self.release(side, w, lots, RemoveReason::Evicted);
                self.book(side).remove(w);
            }
            if self.orders_of(t) >= self.p.max_orders_per_seat as usize {
                return Err(MarketError::TooManyOrders);
            }
            let amount = self.lock_of(side, limit, left) as i128;
            let ts = &mut self.seats[t as usize];
            if side == Side::Bid {
                ts.quote_free -= amount;
                ts.quote_locked += amount;
            } else {
                ts.base_free -= amount;
                ts.base_locked += amount;
            }
            let seq = self.next_order_seq;
            self.next_order_seq += 1;
            let expiry = req.expiry;
            self.book(side).push(MOrder { side, price: limit, lots: left, seq, expiry, seat: t });
            self.emit(Event::OrderPlaced {
                seat: t,
                side,
                seq,
                price: req.limit,
                lots: BaseLots(left),
                expiry,
            });
            out.rested = Some(seq);
            out.rested_lots = BaseLots(left);
        }
        if let Some(t) = seat {
            let ts = &self.seats[t as usize];
            if ts.quote_free < 0 || ts.base_free < 0 {
                return Err(MarketError::InsufficientBalance);
            }
        }
        out.dropped = BaseLots(req.lots.0 - filled - decremented - out.rested_lots.0);
        Ok((out, (paid, received)))
    }
}
