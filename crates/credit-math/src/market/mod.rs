//! Market v2's state machine (docs/market-v2.md, "Engine"): pure code over plain data, so the
//! program can run it on its zero-copy, growable market account (Phoenix keeps its market the
//! same way: pure and tested apart from the program).
//!
//! The account is `MarketHeader`, two `BookSide<N>` (sorted worst to best), then a table of
//! `Seat`s that grows by one per trader. A [`MarketMut`] borrows those pieces and runs every
//! operation on them: `claim_seat`, `deposit`, `withdraw`, `withdraw_fees`, `place` (funded
//! from the seat's balance), `cancel`, `cancel_all`, `batch`, `swap` (a seatless taker) and
//! `remove_owner` (a frozen owner), and the crank `prune_expired`. Each appends the events it emits to the caller's buffer
//! (market-wide sequence numbers from the header) and returns what it did.
//!
//! **Refusals.** Every refusal is decided before anything changes: a refused call leaves the
//! header, the seats, the book and the event buffer bit-identical. `place` and `swap` walk the
//! book read-only first ([`walk`]), decide, then apply; `batch` runs its parts and, on a
//! refusal, undoes them exactly from the events they emitted (see `batch.rs`).
//!
//! **Arithmetic.** Amounts that are computed (notionals, fees, locks) are checked. Moves of
//! atoms between balances use plain operators: every balance is part of `base_total` /
//! `quote_total`, which fit a `u64` (checked where atoms enter), so they cannot overflow, and
//! a lock released is the lock taken (the reference-model tests check both after every step).
//!
//! **Cost.** `place`, `swap`: O(fills + removals) bounded by [`MatchLimits`], plus a binary
//! search and one memmove to rest (O(N) bytes moved at worst, as in v1), eviction included.
//! `cancel`: a binary search and a memmove. `cancel_all` and `remove_owner`: one pass over both
//! sides (O(N), a crank). `batch`: the sum of its parts. No allocation but the events pushed.
mod batch;
mod fees;
mod matching;
mod prune;
mod state;
mod types;
mod walk;

use crate::book::{BaseLots, OrderKind, Side, Ticks};
use crate::quantities::{CreditAtoms, QuoteAtoms};

pub use state::{BookSide, MarketHeader, MarketParams, Order, Seat};
pub use types::{
    BatchCancels, CancelRequest, Emitted, Event, MarketError, MatchLimits, OrderRequest, PlaceOutcome,
    RemoveReason, SelfTrade, SwapOutcome,
};

use fees::Params;
use walk::{opposite, Step};

/// The market's pieces, borrowed from account bytes (or from owned values in tests).
pub struct MarketMut<'a, const N: usize> {
    pub header: &'a mut MarketHeader,
    pub bids: &'a mut BookSide<N>,
    pub asks: &'a mut BookSide<N>,
    /// Seats by index: at least `header.seat_count` of them (one more for `claim_seat`).
    pub seats: &'a mut [Seat],
    pub limits: MatchLimits,
}

/// Appends `event` with the next event sequence number.
fn emit(header: &mut MarketHeader, events: &mut Vec<Emitted>, event: Event) {
    events.push(Emitted { seq: header.next_event_seq, event });
    header.next_event_seq += 1;
}

/// Moves `amount` of `side`'s locked asset back to the seat's free balance.
fn unlock(seat: &mut Seat, side: Side, amount: u64) {
    match side {
        Side::Bid => {
            seat.quote_locked.0 -= amount;
            seat.quote_free.0 += amount;
        }
        Side::Ask => {
            seat.base_locked.0 -= amount;
            seat.base_free.0 += amount;
        }
    }
}

/// Moves `amount` of `side`'s asset from the seat's free balance to its lock.
fn lock(seat: &mut Seat, side: Side, amount: u64) {
    match side {
        Side::Bid => {
            seat.quote_free.0 -= amount;
            seat.quote_locked.0 += amount;
        }
        Side::Ask => {
            seat.base_free.0 -= amount;
            seat.base_locked.0 += amount;
        }
    }
}

fn removed_event(side: Side, o: &Order, lots: u64, reason: RemoveReason) -> Event {
    Event::OrderRemoved {
        seat: o.seat,
        side,
        seq: o.seq,
        price: o.price,
        lots: BaseLots(lots),
        expiry: o.expiry,
        reason,
    }
}

/// Applies one step of a walk by a taker on `taker_side`.
fn apply_step(
    header: &mut MarketHeader,
    seats: &mut [Seat],
    events: &mut Vec<Emitted>,
    taker_side: Side,
    taker_seat: Option<u32>,
    step: Step,
) {
    let maker_side = opposite(taker_side);
    match step {
        Step::Removed { order, lots, reason, gone, release } => {
            let s = &mut seats[order.seat as usize];
            unlock(s, maker_side, release);
            s.order_count -= u32::from(gone);
            emit(header, events, removed_event(maker_side, &order, lots, reason));
        }
        Step::Fill { order, lots, base, notional, maker_fee, taker_fee, gone } => {
            let s = &mut seats[order.seat as usize];
            match maker_side {
                // the maker sold: its credits go, the price less its fee comes in
                Side::Ask => {
                    s.base_locked.0 -= base;
                    s.quote_free.0 += notional - maker_fee;
                }
                // the maker bought: its lock pays price and fee, the credits come in
                Side::Bid => {
                    s.quote_locked.0 -= notional + maker_fee;
                    s.base_free.0 += base;
                }
            }
            s.order_count -= u32::from(gone);
            let event = Event::Fill {
                maker_seat: order.seat,
                maker_side,
                maker_seq: order.seq,
                taker_seat,
                price: order.price,
                lots: BaseLots(lots),
                maker_fee: QuoteAtoms(maker_fee),
                taker_fee: QuoteAtoms(taker_fee),
            };
            emit(header, events, event);
        }
    }
}

impl<'a, const N: usize> MarketMut<'a, N> {
    pub fn new(
        header: &'a mut MarketHeader,
        bids: &'a mut BookSide<N>,
        asks: &'a mut BookSide<N>,
        seats: &'a mut [Seat],
        limits: MatchLimits,
    ) -> Self {
        Self { header, bids, asks, seats, limits }
    }

    fn check_seat(&self, seat: u32) -> Result<usize, MarketError> {
        let i = seat as usize;
        if seat < self.header.seat_count && i < self.seats.len() {
            Ok(i)
        } else {
            Err(MarketError::InvalidSeat)
        }
    }

    fn side_mut(&mut self, side: Side) -> &mut BookSide<N> {
        match side {
            Side::Bid => self.bids,
            Side::Ask => self.asks,
        }
    }

    /// Appends a seat for `owner` at index `seat_count` (the program grew the account so that
    /// `seats` has that slot) and returns its index. Uniqueness is the caller's (a PDA per
    /// owner, or an index): O(1), no search. With `existing`, the index the caller says the
    /// owner may already hold, a seat there of the same owner refuses (`DuplicateSeat`).
    pub fn claim_seat(
        &mut self,
        owner: [u8; 32],
        existing: Option<u32>,
        events: &mut Vec<Emitted>,
    ) -> Result<u32, MarketError> {
        if let Some(i) = existing {
            if self.check_seat(i).is_ok_and(|i| self.seats[i].owner == owner) {
                return Err(MarketError::DuplicateSeat);
            }
        }
        let seat = self.header.seat_count;
        if seat as usize >= self.seats.len() {
            return Err(MarketError::NoSeatSpace);
        }
        let next = seat.checked_add(1).ok_or(MarketError::Overflow)?;
        self.seats[seat as usize] = Seat { owner, ..Seat::default() };
        self.header.seat_count = next;
        emit(self.header, events, Event::SeatClaimed { seat, owner });
        Ok(seat)
    }

    /// Credits the seat's free balances (the program moved the tokens into the vaults).
    pub fn deposit(
        &mut self,
        seat: u32,
        base: CreditAtoms,
        quote: QuoteAtoms,
        events: &mut Vec<Emitted>,
    ) -> Result<(), MarketError> {
        let i = self.check_seat(seat)?;
        if base.is_zero() && quote.is_zero() {
            return Err(MarketError::ZeroAmount);
        }
        let base_total = self.header.base_total.checked_add(base).map_err(|_| MarketError::Overflow)?;
        let quote_total = self.header.quote_total.checked_add(quote).map_err(|_| MarketError::Overflow)?;
        self.header.base_total = base_total;
        self.header.quote_total = quote_total;
        let s = &mut self.seats[i];
        s.base_free.0 += base.0;
        s.quote_free.0 += quote.0;
        emit(self.header, events, Event::Deposit { seat, base, quote });
        Ok(())
    }

    /// Debits the seat's free balances (the program then pays the tokens out). Locked
    /// balances stay: cancel first.
    pub fn withdraw(
        &mut self,
        seat: u32,
        base: CreditAtoms,
        quote: QuoteAtoms,
        events: &mut Vec<Emitted>,
    ) -> Result<(), MarketError> {
        let i = self.check_seat(seat)?;
        if base.is_zero() && quote.is_zero() {
            return Err(MarketError::ZeroAmount);
        }
        let s = &mut self.seats[i];
        if base > s.base_free || quote > s.quote_free {
            return Err(MarketError::InsufficientBalance);
        }
        s.base_free.0 -= base.0;
        s.quote_free.0 -= quote.0;
        self.header.base_total.0 -= base.0;
        self.header.quote_total.0 -= quote.0;
        emit(self.header, events, Event::Withdraw { seat, base, quote });
        Ok(())
    }

    /// Pays the treasury out of its fee balance.
    pub fn withdraw_fees(
        &mut self,
        amount: QuoteAtoms,
        events: &mut Vec<Emitted>,
    ) -> Result<(), MarketError> {
        if amount.is_zero() {
            return Err(MarketError::ZeroAmount);
        }
        if amount > self.header.treasury_fees {
            return Err(MarketError::InsufficientBalance);
        }
        self.header.treasury_fees.0 -= amount.0;
        self.header.quote_total.0 -= amount.0;
        emit(self.header, events, Event::FeesWithdrawn { amount });
        Ok(())
    }

    /// Cancels the seat's order `(price, seq)` on `side`: a binary search and a memmove.
    pub fn cancel(
        &mut self,
        seat: u32,
        side: Side,
        price: Ticks,
        seq: u64,
        events: &mut Vec<Emitted>,
    ) -> Result<(), MarketError> {
        let i = self.check_seat(seat)?;
        let p = Params::of(self.header);
        self.cancel_checked(i, seat, &p, side, price, seq, events)
    }

    /// `cancel` for the checked seat `seat` (index `i`) with the market's parameters `p` (a
    /// batch checks and reads them once).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn cancel_checked(
        &mut self,
        i: usize,
        seat: u32,
        p: &Params,
        side: Side,
        price: Ticks,
        seq: u64,
        events: &mut Vec<Emitted>,
    ) -> Result<(), MarketError> {
        let book = self.side_mut(side);
        let at = book.find(side, price, seq).ok_or(MarketError::OrderNotFound)?;
        let order = book.orders[at];
        if order.seat != seat {
            return Err(MarketError::OrderNotFound);
        }
        let release = p.lock(side, order.price, order.lots)?;
        book.remove_at(at);
        let s = &mut self.seats[i];
        unlock(s, side, release);
        s.order_count -= 1;
        emit(self.header, events, removed_event(side, &order, order.lots.0, RemoveReason::Cancelled));
        Ok(())
    }

    /// Cancels every order of the seat; returns how many. One pass over each side.
    pub fn cancel_all(&mut self, seat: u32, events: &mut Vec<Emitted>) -> Result<u32, MarketError> {
        self.pull(seat, RemoveReason::Cancelled, events)
    }

    /// Pulls every order of a frozen owner's seat (their locks become free, where the freeze
    /// keeps the credits); returns how many.
    pub fn remove_owner(&mut self, seat: u32, events: &mut Vec<Emitted>) -> Result<u32, MarketError> {
        self.pull(seat, RemoveReason::OwnerFrozen, events)
    }

    fn pull(
        &mut self,
        seat: u32,
        reason: RemoveReason,
        events: &mut Vec<Emitted>,
    ) -> Result<u32, MarketError> {
        let i = self.check_seat(seat)?;
        if self.seats[i].order_count == 0 {
            return Ok(0);
        }
        let p = Params::of(self.header);
        let mut pulled = 0;
        for side in [Side::Bid, Side::Ask] {
            let book = match side {
                Side::Bid => &mut *self.bids,
                Side::Ask => &mut *self.asks,
            };
            let (header, s) = (&mut *self.header, &mut self.seats[i]);
            pulled += book.remove_seat_with(seat, |o| {
                // a resting order's lock was computed when it was placed: it fits
                let release = p.lock(side, o.price, o.lots).expect("lock of a resting order");
                unlock(s, side, release);
                emit(header, events, removed_event(side, o, o.lots.0, reason));
            });
        }
        self.seats[i].order_count -= pulled;
        Ok(pulled)
    }
}

#[cfg(test)]
mod tests;
