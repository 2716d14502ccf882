//! The order book's matching engine: price-time priority over a bounded, fixed-size book that a
//! zero-copy account can hold. Pure code, tested apart from the program (Phoenix's split).
//!
//! Units are typed so they cannot be mixed up: prices in [`Ticks`] (quote lots per base lot),
//! sizes in [`BaseLots`], notional in [`QuoteLots`]. Each side keeps its orders sorted from worst
//! to best, so the best order is the last element: taking it is O(1), and a new order is placed
//! by binary search and one `copy_within` (a memmove), so placing and matching cost the same,
//! up to the memmove, with 500 resting orders as with 10.
//!
//! Not yet wired into the program: the market instructions (issue 5) will hold two `BookSide`s
//! in a zero-copy account and settle each `Fill` through the token programs.
use bytemuck::{Pod, Zeroable};

/// Price in ticks: quote lots per base lot.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Pod, Zeroable)]
pub struct Ticks(pub u64);

/// Size in base lots (credits).
#[repr(transparent)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Pod, Zeroable)]
pub struct BaseLots(pub u64);

/// Notional in quote lots.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Pod, Zeroable)]
pub struct QuoteLots(pub u64);

impl Ticks {
    /// The notional of `lots` at this price; `None` on overflow.
    pub fn notional(self, lots: BaseLots) -> Option<QuoteLots> {
        crate::fixed::checked_mul_u64(self.0, lots.0).map(QuoteLots)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Bid,
    Ask,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderKind {
    /// Takes what crosses, rests the remainder.
    Limit,
    /// Refused if any of it would cross.
    PostOnly,
    /// Takes what crosses, never rests.
    ImmediateOrCancel,
    /// Fills completely at once, or nothing happens.
    FillOrKill,
}

/// A resting order. `repr(C)`, 64 bytes, no padding; `owner` is bytes 32..64.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct RestingOrder {
    pub price: Ticks,
    pub lots: BaseLots,
    /// Book-wide sequence number: time priority among equal prices.
    pub seq: u64,
    /// 0 = good until cancelled; otherwise the order is void from this unix time on.
    pub expiry: i64,
    pub owner: [u8; 32],
}

const _: () =
    assert!(std::mem::offset_of!(RestingOrder, owner) == 32 && std::mem::size_of::<RestingOrder>() == 64);

impl RestingOrder {
    pub fn is_expired(&self, now: i64) -> bool {
        self.expiry != 0 && now >= self.expiry
    }
}

/// One side of the book with room for `N` orders, worst first, best last.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BookSide<const N: usize> {
    pub len: u64,
    pub orders: [RestingOrder; N],
}

/// Why the engine refused an order. Nothing changed when it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookError {
    /// A post-only order would have crossed.
    WouldCross,
    /// A fill-or-kill order cannot be filled completely.
    CannotFillCompletely,
    /// No room to rest the remainder.
    BookFull,
    /// Zero size or price, or a notional that overflows.
    InvalidOrder,
}

/// A fill against a resting order, at the maker's price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill {
    pub maker: [u8; 32],
    pub maker_seq: u64,
    pub price: Ticks,
    pub lots: BaseLots,
    /// The maker's order was used up.
    pub maker_done: bool,
}

/// A resting order removed without a trade: expired, or the taker's own (self-trade
/// prevention cancels the resting order). Its escrow goes back to its owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Removed {
    pub order: RestingOrder,
    pub expired: bool,
}

/// What one order did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchOutcome {
    pub fills: Vec<Fill>,
    pub removed: Vec<Removed>,
    pub filled: BaseLots,
    pub quote: QuoteLots,
    /// Sequence number of the remainder if it rested.
    pub rested: Option<u64>,
    pub rested_lots: BaseLots,
}

/// An incoming order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderRequest {
    pub side: Side,
    pub kind: OrderKind,
    /// The worst price the owner accepts: a bid never pays more, an ask never receives less.
    pub limit: Ticks,
    pub lots: BaseLots,
    pub owner: [u8; 32],
    pub expiry: i64,
    /// The most notional this order may trade, in quote lots (`QuoteLots(u64::MAX)`: no cap).
    /// Matching stops once it is reached; the last fill is cut to the fewest lots that reach
    /// it (at most one lot beyond), and a capped order never rests. A liquidation sale uses it
    /// so that it sells only what covers the debt.
    pub max_quote: QuoteLots,
}

impl OrderRequest {
    /// No cap on the notional.
    pub const NO_QUOTE_CAP: QuoteLots = QuoteLots(u64::MAX);
}

/// Lots at `price` that reach `room` quote lots, rounded up (the fill that reaches a cap).
fn lots_to_reach(room: u64, price: Ticks) -> u64 {
    room.div_ceil(price.0.max(1))
}

/// What a dry run of the matching loop found.
struct Simulation {
    /// Lots the order would fill.
    lots: u64,
    /// The steps ran out while the book still crossed.
    crosses_after: bool,
    /// The quote cap would be reached.
    capped: bool,
}

// SAFETY: `BookSide<N>` is `repr(C)`: a `u64` then `[RestingOrder; N]` (64-byte `Pod`
// elements, alignment 8), so it has no padding and every bit pattern is valid, for every `N`.
// bytemuck's derive cannot see through the const generic; these are the only `unsafe` lines of
// the crate.
#[allow(unsafe_code)]
unsafe impl<const N: usize> Zeroable for BookSide<N> {}
#[allow(unsafe_code)]
unsafe impl<const N: usize> Pod for BookSide<N> {}
// SAFETY: `Book<N>` is `repr(C)`: a `u64` then two `BookSide<N>` (alignment 8, sizes multiples
// of 8): no padding, every bit pattern valid.
#[allow(unsafe_code)]
unsafe impl<const N: usize> Zeroable for Book<N> {}
#[allow(unsafe_code)]
unsafe impl<const N: usize> Pod for Book<N> {}

impl<const N: usize> Default for BookSide<N> {
    fn default() -> Self {
        Self { len: 0, orders: [RestingOrder::default(); N] }
    }
}

impl<const N: usize> BookSide<N> {
    pub fn orders(&self) -> &[RestingOrder] {
        &self.orders[..self.len as usize]
    }

    pub fn best(&self) -> Option<&RestingOrder> {
        self.orders().last()
    }

    /// `a` has priority over `b` on this side: better price, then earlier.
    fn before(side: Side, a: &RestingOrder, b: &RestingOrder) -> bool {
        match side {
            Side::Bid if a.price != b.price => a.price > b.price,
            Side::Ask if a.price != b.price => a.price < b.price,
            _ => a.seq < b.seq,
        }
    }

    /// Inserts `order` at its priority (binary search, one memmove).
    pub fn insert(&mut self, side: Side, order: RestingOrder) -> Result<(), BookError> {
        let len = self.len as usize;
        if len == N {
            return Err(BookError::BookFull);
        }
        // orders[..at] have lower priority than `order`; orders[at..] higher
        let at = self.orders[..len].partition_point(|o| Self::before(side, &order, o));
        self.orders.copy_within(at..len, at + 1);
        self.orders[at] = order;
        self.len += 1;
        Ok(())
    }

    /// Index of the order `(price, seq)`, by binary search.
    pub fn find(&self, side: Side, price: Ticks, seq: u64) -> Option<usize> {
        let key = RestingOrder { price, seq, ..Default::default() };
        let orders = self.orders();
        let at = orders.partition_point(|o| Self::before(side, &key, o));
        (at < orders.len() && orders[at].seq == seq && orders[at].price == price).then_some(at)
    }

    /// Removes the order at `at`; returns it.
    pub fn remove_at(&mut self, at: usize) -> RestingOrder {
        let len = self.len as usize;
        let order = self.orders[at];
        self.orders.copy_within(at + 1..len, at);
        self.len -= 1;
        self.orders[len - 1] = RestingOrder::default();
        order
    }

    /// Removes every order of `owner`, keeping the others in priority order; returns how many
    /// went. One pass over the side: a crank, not a hot path.
    pub fn remove_owner(&mut self, owner: &[u8; 32]) -> usize {
        self.remove_owner_with(owner, |_| {})
    }

    /// [`BookSide::remove_owner`], calling `removed` with each order that goes.
    pub fn remove_owner_with(&mut self, owner: &[u8; 32], mut removed: impl FnMut(&RestingOrder)) -> usize {
        let len = self.len as usize;
        let key: [u64; 4] = bytemuck::cast(*owner);
        let mut kept = 0;
        for i in 0..len {
            // the owner read as four aligned words (bytes 32..64 of the order): no memcmp per
            // order; orders move only after a gap
            let words: &[u64; 8] = bytemuck::cast_ref(&self.orders[i]);
            let same = words[4] == key[0] && words[5] == key[1] && words[6] == key[2] && words[7] == key[3];
            if same {
                removed(&self.orders[i]);
            } else {
                if kept != i {
                    self.orders[kept] = self.orders[i];
                }
                kept += 1;
            }
        }
        self.orders[kept..len].fill(RestingOrder::default());
        self.len = kept as u64;
        len - kept
    }

    fn pop_best(&mut self) -> Option<RestingOrder> {
        let len = self.len as usize;
        if len == 0 {
            return None;
        }
        self.len -= 1;
        Some(std::mem::take(&mut self.orders[len - 1]))
    }
}

/// Both sides and the sequence counter.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Book<const N: usize> {
    pub next_seq: u64,
    pub bids: BookSide<N>,
    pub asks: BookSide<N>,
}

impl<const N: usize> Default for Book<N> {
    fn default() -> Self {
        Self { next_seq: 1, bids: BookSide::default(), asks: BookSide::default() }
    }
}

fn crosses(side: Side, limit: Ticks, resting: Ticks) -> bool {
    match side {
        Side::Bid => resting <= limit,
        Side::Ask => resting >= limit,
    }
}

impl<const N: usize> Book<N> {
    fn sides(&mut self, side: Side) -> (&mut BookSide<N>, &mut BookSide<N>) {
        match side {
            Side::Bid => (&mut self.bids, &mut self.asks),
            Side::Ask => (&mut self.asks, &mut self.bids),
        }
    }

    /// Dry run of the matching loop: the lots a taker would fill within `max_steps` visited
    /// orders (expired and own orders are visited and removed, not filled), whether the book
    /// would still cross afterwards, and whether the quote cap would be reached. With
    /// `own_counts`, the taker's own crossing orders count as fillable (a post-only order must
    /// not cross anything live).
    fn simulate(&self, req: &OrderRequest, now: i64, max_steps: usize, own_counts: bool) -> Simulation {
        let opposite = match req.side {
            Side::Bid => &self.asks,
            Side::Ask => &self.bids,
        };
        let mut sim = Simulation { lots: 0, crosses_after: false, capped: false };
        let mut quote = 0u64;
        for (visited, o) in opposite.orders().iter().rev().enumerate() {
            sim.capped = quote >= req.max_quote.0;
            if !crosses(req.side, req.limit, o.price) || sim.lots >= req.lots.0 || sim.capped {
                return sim;
            }
            if visited == max_steps {
                sim.crosses_after = true;
                return sim;
            }
            if !o.is_expired(now) && (own_counts || o.owner != req.owner) {
                let lots = o.lots.0.min(lots_to_reach(req.max_quote.0 - quote, o.price));
                sim.lots = sim.lots.saturating_add(lots);
                quote = quote.saturating_add(o.price.0.saturating_mul(lots));
            }
        }
        sim.capped = quote >= req.max_quote.0;
        sim
    }

    /// Matches `req` at `now`, visiting at most `max_steps` resting orders (bounding compute);
    /// the remainder of a limit order rests, unless the steps ran out while it still crosses
    /// (then it is dropped: `filled + rested_lots < lots`). Every refusal is decided before anything moves, so
    /// a refused order leaves the book unchanged.
    pub fn place(
        &mut self,
        req: OrderRequest,
        now: i64,
        max_steps: usize,
    ) -> Result<MatchOutcome, BookError> {
        // the largest price this order can trade at bounds every notional it creates
        let worst = match req.side {
            Side::Bid => req.limit,
            Side::Ask => self.bids.best().map_or(req.limit, |b| b.price.max(req.limit)),
        };
        if req.lots.0 == 0 || req.limit.0 == 0 || worst.notional(req.lots).is_none() {
            return Err(BookError::InvalidOrder);
        }
        let sim = self.simulate(&req, now, max_steps, false);
        let complete = sim.lots >= req.lots.0 || sim.capped;
        match req.kind {
            OrderKind::PostOnly if self.simulate(&req, now, usize::MAX, true).lots > 0 => {
                return Err(BookError::WouldCross)
            }
            OrderKind::FillOrKill if !complete => return Err(BookError::CannotFillCompletely),
            _ => {}
        }
        let rests = matches!(req.kind, OrderKind::Limit | OrderKind::PostOnly);
        let (own, _) = self.sides(req.side);
        if rests && !complete && !sim.crosses_after && own.len as usize == N {
            return Err(BookError::BookFull);
        }

        let mut out = MatchOutcome::default();
        let mut left = req.lots.0;
        let (_, opposite) = self.sides(req.side);
        for _ in 0..max_steps {
            let Some(best) = opposite.best().copied() else { break };
            if left == 0 || out.quote.0 >= req.max_quote.0 || !crosses(req.side, req.limit, best.price) {
                break;
            }
            if best.is_expired(now) || best.owner == req.owner {
                opposite.pop_best();
                out.removed.push(Removed { order: best, expired: best.is_expired(now) });
                continue;
            }
            let lots = left.min(best.lots.0).min(lots_to_reach(req.max_quote.0 - out.quote.0, best.price));
            left -= lots;
            let done = lots == best.lots.0;
            if done {
                opposite.pop_best();
            } else {
                let last = opposite.len as usize - 1;
                opposite.orders[last].lots.0 -= lots;
            }
            // the maker's price is no worse than the limit, whose notional was checked
            out.filled.0 += lots;
            out.quote.0 += best.price.0 * lots;
            out.fills.push(Fill {
                maker: best.owner,
                maker_seq: best.seq,
                price: best.price,
                lots: BaseLots(lots),
                maker_done: done,
            });
        }
        // out of steps while the book still crosses: the remainder is dropped rather than rested,
        // so the book never crosses
        let still_crosses = opposite.best().is_some_and(|b| crosses(req.side, req.limit, b.price));
        let capped = out.quote.0 >= req.max_quote.0;
        if rests && left > 0 && !still_crosses && !capped {
            let seq = self.next_seq;
            let order = RestingOrder {
                price: req.limit,
                lots: BaseLots(left),
                seq,
                expiry: req.expiry,
                owner: req.owner,
            };
            let (own, _) = self.sides(req.side);
            own.insert(req.side, order)?;
            self.next_seq += 1;
            out.rested = Some(seq);
            out.rested_lots = BaseLots(left);
        }
        Ok(out)
    }

    /// Removes all of `owner`'s resting orders on both sides (bids, asks removed).
    pub fn remove_owner(&mut self, owner: &[u8; 32]) -> (usize, usize) {
        (self.bids.remove_owner(owner), self.asks.remove_owner(owner))
    }

    /// Cancels the owner's order `(price, seq)` on `side`: a binary search, so a cancel costs
    /// the same in a full book as in an empty one.
    pub fn cancel(&mut self, side: Side, price: Ticks, seq: u64, owner: &[u8; 32]) -> Option<RestingOrder> {
        let (own, _) = self.sides(side);
        let at = own.find(side, price, seq)?;
        (own.orders[at].owner == *owner).then(|| own.remove_at(at))
    }
}

#[cfg(test)]
#[path = "book_tests.rs"]
mod tests;
