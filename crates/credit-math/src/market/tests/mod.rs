//! Tests of the v2 engine: unit tests per policy (`unit.rs`, `policies.rs`), and the engine
//! against a reference model over random adversarial sequences (`model.rs`, `props.rs`).
use super::*;
pub(super) use crate::book::QuoteLots;

mod model;
mod policies;
mod props;
mod unit;

/// An owned market: what the program's account holds, as values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TestMarket<const N: usize> {
    pub header: MarketHeader,
    pub bids: Box<BookSide<N>>,
    pub asks: Box<BookSide<N>>,
    pub seats: Vec<Seat>,
    pub limits: MatchLimits,
    pub events: Vec<Emitted>,
}

pub(super) const LIMITS: MatchLimits = MatchLimits { max_fills: 8, max_removals: 16 };

/// Lot 10 atoms, tick 7 atoms (one lot at 100 ticks: 700 atoms), fees 25 / 40 bps, minimum
/// notional 2,000 atoms, 3 orders a seat.
pub(super) const PARAMS: MarketParams = MarketParams {
    lot_size: 10,
    tick_size: 7,
    min_order_notional: QuoteAtoms(2_000),
    maker_fee_bps: 25,
    taker_fee_bps: 40,
    max_orders_per_seat: 3,
};

impl<const N: usize> TestMarket<N> {
    pub fn new(params: MarketParams, limits: MatchLimits) -> Self {
        Self {
            header: MarketHeader::new(params).unwrap(),
            bids: Box::default(),
            asks: Box::default(),
            seats: Vec::new(),
            limits,
            events: Vec::new(),
        }
    }

    pub fn m(&mut self) -> (MarketMut<'_, N>, &mut Vec<Emitted>) {
        let m =
            MarketMut::new(&mut self.header, &mut self.bids, &mut self.asks, &mut self.seats, self.limits);
        (m, &mut self.events)
    }

    /// `claim_seat` the way the program runs it: grow the table by one slot, then claim (a
    /// refused claim fails the transaction, so the slot goes again).
    pub fn claim(&mut self, owner: [u8; 32], hint: Option<u32>) -> Result<u32, MarketError> {
        self.seats.push(Seat::default());
        let (mut m, ev) = self.m();
        let r = m.claim_seat(owner, hint, ev);
        if r.is_err() {
            self.seats.pop();
        }
        r
    }

    /// A seat with `base` credit atoms and `quote` quote atoms.
    pub fn funded(&mut self, owner: u8, base: u64, quote: u64) -> u32 {
        let seat = self.claim([owner; 32], None).unwrap();
        let (mut m, ev) = self.m();
        m.deposit(seat, CreditAtoms(base), QuoteAtoms(quote), ev).unwrap();
        seat
    }

    pub fn place(&mut self, seat: u32, req: OrderRequest, now: i64) -> Result<PlaceOutcome, MarketError> {
        let (mut m, ev) = self.m();
        m.place(seat, req, now, ev)
    }

    /// Runs `f`, which must be refused with `want`, and checks that nothing changed.
    pub fn refused(
        &mut self,
        want: MarketError,
        f: impl FnOnce(&mut MarketMut<'_, N>, &mut Vec<Emitted>) -> Result<(), MarketError>,
    ) {
        let before = self.clone();
        let (mut m, ev) = self.m();
        assert_eq!(f(&mut m, ev), Err(want));
        assert_unchanged(&before, self);
    }

    pub fn seat(&self, i: u32) -> &Seat {
        &self.seats[i as usize]
    }

    /// Events since index `from`, without their sequence numbers.
    pub fn events_from(&self, from: usize) -> Vec<Event> {
        self.events[from..].iter().map(|e| e.event).collect()
    }
}

/// Header, both sides, the seats and the event buffer are bit-identical.
pub(super) fn assert_unchanged<const N: usize>(before: &TestMarket<N>, after: &TestMarket<N>) {
    assert_eq!(bytemuck::bytes_of(&before.header), bytemuck::bytes_of(&after.header), "header changed");
    assert_eq!(bytemuck::bytes_of(&*before.bids), bytemuck::bytes_of(&*after.bids), "bids changed");
    assert_eq!(bytemuck::bytes_of(&*before.asks), bytemuck::bytes_of(&*after.asks), "asks changed");
    assert_eq!(
        bytemuck::cast_slice::<Seat, u8>(&before.seats),
        bytemuck::cast_slice::<Seat, u8>(&after.seats),
        "seats changed"
    );
    assert_eq!(before.events, after.events, "events emitted");
}

pub(super) fn limit(side: Side, price: u64, lots: u64) -> OrderRequest {
    OrderRequest::new(side, OrderKind::Limit, Ticks(price), BaseLots(lots))
}

pub(super) fn kind(side: Side, kind: OrderKind, price: u64, lots: u64) -> OrderRequest {
    OrderRequest::new(side, kind, Ticks(price), BaseLots(lots))
}
