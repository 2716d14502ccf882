//! The plain data of a v2 market: what the program holds zero-copy in its growable account
//! (header, two book sides, then one `Seat` per trader). Every type is `repr(C)`, `Pod`, has no
//! padding (explicit `_reserved` bytes instead) and a pinned size.
use bytemuck::{Pod, Zeroable};

use super::MarketError;
use crate::book::{BaseLots, Side, Ticks};
use crate::fixed::BPS_ONE;
use crate::quantities::{CreditAtoms, QuoteAtoms};

/// Market parameters and counters. 80 bytes.
///
/// `base_total` / `quote_total` are every atom the market holds (what its vaults must hold):
/// seat balances (free and locked) plus, for quote, the treasury's fees. Each balance is part
/// of a total that fits a `u64`, so moving atoms between seats cannot overflow; the engine
/// checks the totals wherever atoms enter (deposit, swap input).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct MarketHeader {
    /// Credit atoms per base lot.
    pub lot_size: u64,
    /// Quote atoms per tick per lot: `price x tick_size` quote atoms buy one lot.
    pub tick_size: u64,
    /// The least notional (quote atoms, fees excluded) a resting order may have.
    pub min_order_notional: QuoteAtoms,
    /// Sequence number of the next resting order (time priority).
    pub next_order_seq: u64,
    /// Sequence number of the next event (market-wide).
    pub next_event_seq: u64,
    /// Fees owed to the treasury, held in the quote vault.
    pub treasury_fees: QuoteAtoms,
    pub base_total: CreditAtoms,
    pub quote_total: QuoteAtoms,
    pub seat_count: u32,
    pub max_orders_per_seat: u32,
    pub maker_fee_bps: u16,
    pub taker_fee_bps: u16,
    pub _reserved: [u8; 4],
}

const _: () = assert!(std::mem::size_of::<MarketHeader>() == 80);

/// What a market is created with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketParams {
    pub lot_size: u64,
    pub tick_size: u64,
    pub min_order_notional: QuoteAtoms,
    pub maker_fee_bps: u16,
    pub taker_fee_bps: u16,
    pub max_orders_per_seat: u32,
}

impl MarketHeader {
    /// A fresh header. Fees must be below 100% (a maker's fee comes out of its proceeds, a
    /// taker's out of its ask proceeds), sizes non-zero, and a seat must be allowed one order.
    pub fn new(p: MarketParams) -> Result<Self, MarketError> {
        let fees_ok = u64::from(p.maker_fee_bps) < BPS_ONE && u64::from(p.taker_fee_bps) < BPS_ONE;
        if p.lot_size == 0 || p.tick_size == 0 || p.max_orders_per_seat == 0 || !fees_ok {
            return Err(MarketError::InvalidParams);
        }
        Ok(Self {
            lot_size: p.lot_size,
            tick_size: p.tick_size,
            min_order_notional: p.min_order_notional,
            next_order_seq: 1,
            next_event_seq: 1,
            max_orders_per_seat: p.max_orders_per_seat,
            maker_fee_bps: p.maker_fee_bps,
            taker_fee_bps: p.taker_fee_bps,
            ..Self::default()
        })
    }
}

/// One trader's balances in the market. 72 bytes; the seat table grows by one per trader.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct Seat {
    pub owner: [u8; 32],
    pub base_free: CreditAtoms,
    /// What the seat's resting asks lock: `lots x lot_size`.
    pub base_locked: CreditAtoms,
    pub quote_free: QuoteAtoms,
    /// What the seat's resting bids lock: `lots x (price x tick_size + maker fee per lot)`.
    pub quote_locked: QuoteAtoms,
    /// Resting orders of this seat (both sides), at most `max_orders_per_seat`.
    pub order_count: u32,
    pub _reserved: [u8; 4],
}

const _: () = assert!(std::mem::size_of::<Seat>() == 72);

/// A resting order, naming its trader by seat index. 40 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct Order {
    pub price: Ticks,
    pub lots: BaseLots,
    /// Market-wide order sequence number: time priority among equal prices.
    pub seq: u64,
    /// 0 = good until cancelled; otherwise void from this unix time on.
    pub expiry: i64,
    pub seat: u32,
    pub _reserved: [u8; 4],
}

const _: () = assert!(std::mem::size_of::<Order>() == 40);

impl Order {
    pub fn is_expired(&self, now: i64) -> bool {
        self.expiry != 0 && now >= self.expiry
    }
}

/// `a` has priority over `b` on `side`: better price, then earlier (the order `BookSide::slot`
/// searches by; the test below holds them together).
#[cfg(test)]
pub(crate) fn before(side: Side, a: &Order, b: &Order) -> bool {
    match side {
        Side::Bid if a.price != b.price => a.price > b.price,
        Side::Ask if a.price != b.price => a.price < b.price,
        _ => a.seq < b.seq,
    }
}

/// `a` is a strictly better price than `b` on `side`.
pub(crate) fn better_price(side: Side, a: Ticks, b: Ticks) -> bool {
    match side {
        Side::Bid => a > b,
        Side::Ask => a < b,
    }
}

/// One side of the book with room for `N` orders, sorted worst first, best last: taking the
/// best is O(1), inserting is a binary search and one memmove. Slots past `len` are zero.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BookSide<const N: usize> {
    pub len: u64,
    pub orders: [Order; N],
}

// SAFETY: `BookSide<N>` is `repr(C)`: a `u64` then `[Order; N]` (40-byte `Pod` elements,
// alignment 8), so it has no padding and every bit pattern is valid, for every `N`. bytemuck's
// derive cannot see through the const generic.
#[allow(unsafe_code)]
unsafe impl<const N: usize> Zeroable for BookSide<N> {}
#[allow(unsafe_code)]
unsafe impl<const N: usize> Pod for BookSide<N> {}

impl<const N: usize> Default for BookSide<N> {
    fn default() -> Self {
        Self { len: 0, orders: [Order::default(); N] }
    }
}

impl<const N: usize> BookSide<N> {
    /// `8 + 40 N` bytes.
    pub const SIZE: usize = 8 + 40 * N;

    pub fn orders(&self) -> &[Order] {
        &self.orders[..self.len as usize]
    }

    pub fn is_full(&self) -> bool {
        self.len as usize == N
    }

    pub fn best(&self) -> Option<&Order> {
        self.orders().last()
    }

    pub fn worst(&self) -> Option<&Order> {
        self.orders().first()
    }

    /// The number of leading orders `worse` holds for (it must hold for a prefix of the side
    /// and for none after it). A binary search over the capacity `N` rounded up to a power of
    /// two, unrolled (`N` is a constant) over a shrinking slice, so each step is a load at a
    /// constant offset, a bound check and one comparison: every search costs about the same
    /// log2(N) + 1 short steps at every depth (std's `partition_point` costs about twice as
    /// much a step on SBF, where every instruction is a compute unit).
    #[inline(always)]
    fn partition(&self, worse: impl Fn(&Order) -> bool) -> usize {
        let orders = self.orders();
        let steps = N.next_power_of_two().trailing_zeros();
        // `rest` is `orders[base..]`: the answer is in `base..=base + 2h` before the step of
        // half `h`
        let mut rest = orders;
        for k in (0..steps).rev() {
            let h = 1usize << k;
            if rest.get(h - 1).is_some_and(&worse) {
                rest = &rest[h..];
            }
        }
        let last = usize::from(rest.first().is_some_and(&worse));
        orders.len() - rest.len() + last
    }

    /// Index at which `order` goes: `orders[..at]` have lower priority.
    fn slot(&self, side: Side, order: &Order) -> usize {
        // `before(side, order, o)`, with the side taken out of the loop
        let (price, seq) = (order.price, order.seq);
        match side {
            Side::Bid => self.partition(|o| price > o.price || (price == o.price && seq < o.seq)),
            Side::Ask => self.partition(|o| price < o.price || (price == o.price && seq < o.seq)),
        }
    }

    /// `slot` of a new order: its sequence number is above every resting one's (the market's
    /// `next_order_seq`), so it goes after every order of its price and only prices compare.
    fn slot_new(&self, side: Side, order: &Order) -> usize {
        let price = order.price;
        let at = match side {
            Side::Bid => self.partition(|o| o.price < price),
            Side::Ask => self.partition(|o| o.price > price),
        };
        debug_assert!(self.orders().iter().all(|o| o.seq < order.seq), "a new order's seq is the newest");
        debug_assert_eq!(at, self.slot(side, order));
        at
    }

    /// Inserts `order` at its priority (binary search, one memmove). The caller checked there
    /// is room (`!is_full()`).
    pub(crate) fn insert(&mut self, side: Side, order: Order) {
        let at = self.slot(side, &order);
        self.insert_at(at, order);
    }

    /// `insert` of a new order (its sequence number above every resting one's: `slot_new`).
    pub(crate) fn insert_new(&mut self, side: Side, order: Order) {
        let at = self.slot_new(side, &order);
        self.insert_at(at, order);
    }

    fn insert_at(&mut self, at: usize, order: Order) {
        let len = self.len as usize;
        self.orders.copy_within(at..len, at + 1);
        self.orders[at] = order;
        self.len += 1;
    }

    /// On a full side, removes the worst order and inserts the new `order` (which the caller
    /// checked is priced strictly better than the worst; its sequence number is the newest) in
    /// one memmove of the orders below its slot.
    pub(crate) fn evict_and_insert(&mut self, side: Side, order: Order) {
        let at = self.slot_evicting(side, &order);
        self.orders.copy_within(1..at, 0);
        self.orders[at - 1] = order;
    }

    /// `slot_new` on a full side for an order priced strictly better than the worst: its slot
    /// is one of `1..=N`. With `N` a power of two that is exactly log2(N) halvings over
    /// `orders[1..]` (one step fewer than a search of `0..=N`).
    fn slot_evicting(&self, side: Side, order: &Order) -> usize {
        debug_assert!(self.is_full() && better_price(side, order.price, self.orders[0].price));
        if !N.is_power_of_two() {
            return self.slot_new(side, order);
        }
        let price = order.price;
        let base = match side {
            Side::Bid => Self::halvings(&self.orders[1..], |o| o.price < price),
            Side::Ask => Self::halvings(&self.orders[1..], |o| o.price > price),
        };
        let at = 1 + base;
        debug_assert_eq!(at, self.slot(side, order));
        at
    }

    /// The partition point of `worse` over `above` (the `N - 1` orders above the worst of a
    /// full side) when it is at most `N - 1`: log2(N) halvings, `N` a power of two.
    #[inline(always)]
    fn halvings(above: &[Order], worse: impl Fn(&Order) -> bool) -> usize {
        // the answer is in `base..base + 2h` before the step of half `h`
        let mut base = 0;
        for k in (0..N.trailing_zeros()).rev() {
            let h = 1usize << k;
            if above.get(base + h - 1).is_some_and(&worse) {
                base += h;
            }
        }
        base
    }

    /// Index of the order `(price, seq)`, by binary search.
    pub fn find(&self, side: Side, price: Ticks, seq: u64) -> Option<usize> {
        let key = Order { price, seq, ..Order::default() };
        let at = self.slot(side, &key);
        let orders = self.orders();
        (at < orders.len() && orders[at].seq == seq && orders[at].price == price).then_some(at)
    }

    /// Removes the order at `at` (one memmove) and returns it.
    pub(crate) fn remove_at(&mut self, at: usize) -> Order {
        let len = self.len as usize;
        let order = self.orders[at];
        self.orders.copy_within(at + 1..len, at);
        self.orders[len - 1] = Order::default();
        self.len -= 1;
        order
    }

    /// Drops the `k` best orders (matching consumed them).
    pub(crate) fn truncate_top(&mut self, k: usize) {
        let len = self.len as usize;
        self.orders[len - k..len].fill(Order::default());
        self.len -= k as u64;
    }

    /// Removes every order of `seat`, keeping the others in priority order, calling `removed`
    /// with each (worst first). One pass over the side: O(len), a crank rather than a hot path.
    pub(crate) fn remove_seat_with(&mut self, seat: u32, mut removed: impl FnMut(&Order)) -> u32 {
        let len = self.len as usize;
        let mut kept = 0;
        for i in 0..len {
            if self.orders[i].seat == seat {
                removed(&self.orders[i]);
            } else {
                if kept != i {
                    self.orders[kept] = self.orders[i];
                }
                kept += 1;
            }
        }
        self.orders[kept..len].fill(Order::default());
        self.len = kept as u64;
        (len - kept) as u32
    }
}

#[cfg(test)]
mod slot_tests {
    use super::*;

    /// `partition` is std's `partition_point` at every length of sides of several capacities
    /// (powers of two and not), for every prefix length of a monotone predicate.
    fn partition_matches_std<const N: usize>() {
        let mut book = BookSide::<N>::default();
        for len in 0..=N {
            book.len = len as u64;
            for (i, o) in book.orders.iter_mut().enumerate() {
                *o = Order { price: Ticks(i as u64 + 1), ..Order::default() };
            }
            for cut in 0..=len as u64 + 1 {
                let worse = |o: &Order| o.price.0 <= cut;
                assert_eq!(
                    book.partition(worse),
                    book.orders().partition_point(worse),
                    "N {N} len {len} cut {cut}"
                );
            }
        }
    }

    #[test]
    fn partition_is_std_partition_point_at_every_length() {
        partition_matches_std::<1>();
        partition_matches_std::<2>();
        partition_matches_std::<3>();
        partition_matches_std::<5>();
        partition_matches_std::<8>();
        partition_matches_std::<13>();
        partition_matches_std::<64>();
        partition_matches_std::<256>();
    }

    /// A new order (the newest sequence number) goes where `slot` puts it, on both sides, at
    /// every price around the resting ones (ties included), and a full side evicts into the
    /// same priority order as a removal of the worst and an insert.
    #[test]
    fn new_orders_go_to_their_slot_and_eviction_is_remove_then_insert() {
        for side in [Side::Bid, Side::Ask] {
            let mut book = BookSide::<8>::default();
            for (i, price) in [5u64, 7, 7, 9, 12, 12, 15].iter().enumerate() {
                book.insert(side, Order { price: Ticks(*price), seq: 10 + i as u64, ..Order::default() });
            }
            for price in 1..18 {
                let o = Order { price: Ticks(price), seq: 100, ..Order::default() };
                assert_eq!(book.slot_new(side, &o), book.slot(side, &o), "{side:?} {price}");
                let mut full = book;
                full.insert_new(side, Order { price: Ticks(price), seq: 99, ..Order::default() });
                assert!(full.is_full());
                let worst = full.orders[0];
                if !better_price(side, o.price, worst.price) {
                    continue;
                }
                let mut want = full;
                want.remove_at(0);
                want.insert(side, o);
                let mut got = full;
                got.evict_and_insert(side, o);
                assert_eq!(got, want, "{side:?} {price}");
            }
        }
    }

    /// `slot` is the partition point of `before` on both sides, at every price and sequence
    /// number around the resting ones (ties in price included).
    #[test]
    fn slot_is_the_partition_point_of_before() {
        for side in [Side::Bid, Side::Ask] {
            let mut book = BookSide::<32>::default();
            for (i, price) in [5u64, 7, 7, 7, 9, 12, 12, 15].iter().enumerate() {
                let o = Order { price: Ticks(*price), seq: 10 + 2 * i as u64, ..Order::default() };
                book.insert(side, o);
            }
            for price in 0..18 {
                for seq in 0..30 {
                    let key = Order { price: Ticks(price), seq, ..Order::default() };
                    let want = book.orders().partition_point(|o| before(side, &key, o));
                    assert_eq!(book.slot(side, &key), want, "{side:?} {price} {seq}");
                }
            }
        }
    }
}
