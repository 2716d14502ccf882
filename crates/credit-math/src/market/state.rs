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

    /// Index at which `order` goes: `orders[..at]` have lower priority.
    fn slot(&self, side: Side, order: &Order) -> usize {
        // `before(side, order, o)`, with the side taken out of the loop (the binary search's
        // comparisons are most of a cancel's and an insert's cost)
        let (price, seq) = (order.price, order.seq);
        match side {
            Side::Bid => {
                self.orders().partition_point(|o| price > o.price || (price == o.price && seq < o.seq))
            }
            Side::Ask => {
                self.orders().partition_point(|o| price < o.price || (price == o.price && seq < o.seq))
            }
        }
    }

    /// Inserts `order` at its priority (binary search, one memmove). The caller checked there
    /// is room (`!is_full()`).
    pub(crate) fn insert(&mut self, side: Side, order: Order) {
        let len = self.len as usize;
        let at = self.slot(side, &order);
        self.orders.copy_within(at..len, at + 1);
        self.orders[at] = order;
        self.len += 1;
    }

    /// On a full side, removes the worst order and inserts `order` (which the caller checked
    /// is priced strictly better than the worst) in one memmove of the orders below its slot.
    /// Returns the evicted order.
    pub(crate) fn evict_and_insert(&mut self, side: Side, order: Order) -> Order {
        let at = self.slot(side, &order);
        let evicted = self.orders[0];
        self.orders.copy_within(1..at, 0);
        self.orders[at - 1] = order;
        evicted
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
