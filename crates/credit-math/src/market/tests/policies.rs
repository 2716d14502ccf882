//! One test per policy: eviction, the per-seat cap, the minimum notional, expired orders and
//! the step limits, self-trade, batch all or nothing, frozen owners, and what jamming costs.
use super::*;

fn market<const N: usize>() -> TestMarket<N> {
    TestMarket::new(PARAMS, LIMITS)
}

fn bids(t: &TestMarket<4>) -> Vec<(u64, u64, u32)> {
    t.bids.orders().iter().rev().map(|o| (o.price.0, o.lots.0, o.seat)).collect()
}

#[test]
fn a_full_side_evicts_its_worst_only_for_a_strictly_better_price() {
    let mut t = market::<4>();
    let seats: Vec<u32> = (0..5).map(|i| t.funded(i, 0, 100_000)).collect();
    for (i, price) in [(0, 100), (1, 98), (2, 99), (3, 98)] {
        t.place(seats[i], limit(Side::Bid, price, 3), 0).unwrap();
    }
    // the worst is the later 98 (seat 3); a bid at 98 is no better
    t.refused(MarketError::BookFull, |m, ev| m.place(seats[4], limit(Side::Bid, 98, 3), 0, ev).map(|_| ()));
    let mark = t.events.len();
    t.place(seats[4], limit(Side::Bid, 99, 3), 0).unwrap();
    assert_eq!(bids(&t), vec![(100, 3, 0), (99, 3, 2), (99, 3, 4), (98, 3, 1)]);
    // the evicted lock is free again; its seat holds no order
    assert_eq!(t.seat(seats[3]).quote_locked, QuoteAtoms(0));
    assert_eq!(t.seat(seats[3]).quote_free, QuoteAtoms(100_000));
    assert_eq!(t.seat(seats[3]).order_count, 0);
    let evicted = Event::OrderRemoved {
        seat: seats[3],
        side: Side::Bid,
        seq: 4,
        price: Ticks(98),
        lots: BaseLots(3),
        expiry: 0,
        reason: RemoveReason::Evicted,
    };
    assert_eq!(t.events_from(mark)[0], evicted);
    // the best end too: a new best evicts the worst
    t.place(seats[3], limit(Side::Bid, 105, 3), 0).unwrap();
    assert_eq!(bids(&t), vec![(105, 3, 3), (100, 3, 0), (99, 3, 2), (99, 3, 4)]);
}

#[test]
fn a_seat_rests_at_most_its_cap() {
    let mut t = market::<8>();
    let a = t.funded(1, 1_000, 100_000);
    for price in [90, 91, 92] {
        t.place(a, limit(Side::Bid, price, 4), 0).unwrap();
    }
    t.refused(MarketError::TooManyOrders, |m, ev| m.place(a, limit(Side::Ask, 120, 3), 0, ev).map(|_| ()));
    // a taker order that rests nothing is not capped
    assert!(t.place(a, kind(Side::Ask, OrderKind::ImmediateOrCancel, 120, 3), 0).is_ok());
    // freeing a slot (self-trade cancels its own bid) lets the remainder rest
    let out = t.place(a, limit(Side::Ask, 92, 4), 0).unwrap();
    assert_eq!(out.rested, Some(4));
    assert_eq!(t.seat(a).order_count, 3);
}

#[test]
fn minimum_notional_refuses_an_order_that_only_rests_and_drops_a_remainder() {
    let mut t = market::<8>();
    let a = t.funded(1, 1_000, 100_000);
    let b = t.funded(2, 1_000, 100_000);
    // 2 lots at 100 are 1,400 atoms < 2,000
    t.refused(MarketError::BelowMinimumNotional, |m, ev| {
        m.place(a, limit(Side::Bid, 100, 2), 0, ev).map(|_| ())
    });
    t.refused(MarketError::BelowMinimumNotional, |m, ev| {
        m.place(a, kind(Side::Bid, OrderKind::PostOnly, 100, 2), 0, ev).map(|_| ())
    });
    // a limit that filled something drops its sub-minimum remainder instead
    t.place(b, limit(Side::Ask, 100, 3), 0).unwrap();
    let out = t.place(a, limit(Side::Bid, 100, 5), 0).unwrap();
    assert_eq!((out.filled, out.rested, out.dropped), (BaseLots(3), None, BaseLots(2)));
    assert_eq!(t.bids.len, 0);
    // a taker order below the minimum is fine: only resting orders have one
    t.place(b, limit(Side::Ask, 100, 4), 0).unwrap();
    let out = t.place(a, kind(Side::Bid, OrderKind::ImmediateOrCancel, 100, 1), 0).unwrap();
    assert_eq!(out.filled, BaseLots(1));
    // ... and the maker's 3 lots left (2,100) still rest
    assert_eq!(t.asks.orders()[0].lots, BaseLots(3));
}

#[test]
fn expired_orders_are_removed_within_their_own_limit() {
    let limits = MatchLimits { max_fills: 1, max_removals: 3 };
    let mut t = TestMarket::<8>::new(PARAMS, limits);
    let maker = t.funded(1, 0, 1_000_000);
    let makers: Vec<u32> = (2..6).map(|i| t.funded(i, 0, 100_000)).collect();
    let taker = t.funded(9, 1_000, 0);
    // 4 expiring bids above one live bid
    for (i, &m) in makers.iter().enumerate() {
        let req = OrderRequest { expiry: 50, ..limit(Side::Bid, 104 - i as u64, 3) };
        t.place(m, req, 0).unwrap();
    }
    t.place(maker, limit(Side::Bid, 100, 10), 0).unwrap();
    // at 60: 3 removals allowed, so one expired bid remains on top and the book still
    // crosses: the taker's remainder is dropped, never rested
    let out = t.place(taker, limit(Side::Ask, 100, 5), 60).unwrap();
    assert_eq!((out.filled, out.rested, out.dropped), (BaseLots(0), None, BaseLots(5)));
    assert_eq!(t.bids.len, 2);
    let expired = t
        .events
        .iter()
        .filter(|e| matches!(e.event, Event::OrderRemoved { reason: RemoveReason::Expired, .. }));
    assert_eq!(expired.count(), 3);
    // the next taker removes the last one and fills: removals do not use up fills
    let out = t.place(taker, limit(Side::Ask, 100, 5), 60).unwrap();
    assert_eq!(out.filled, BaseLots(5));
    // one fill allowed: a second maker is not reached, the remainder is dropped
    let other = t.funded(7, 0, 100_000);
    t.place(other, limit(Side::Bid, 100, 5), 60).unwrap();
    let out = t.place(taker, limit(Side::Ask, 100, 10), 60).unwrap();
    assert_eq!((out.filled, out.dropped), (BaseLots(5), BaseLots(5)));
    // every expired lock went back to its seat
    assert!(makers.iter().all(|&m| t.seat(m).quote_locked == QuoteAtoms(0)));
}

/// A seat with a resting ask of 5 lots at 100 and one of 5 at 101 meets its own bid.
fn self_trade(policy: SelfTrade, lots: u64) -> (TestMarket<8>, u32, u32, PlaceOutcome) {
    let mut t = market::<8>();
    let a = t.funded(1, 1_000, 100_000);
    let b = t.funded(2, 1_000, 100_000);
    t.place(a, limit(Side::Ask, 100, 5), 0).unwrap();
    t.place(b, limit(Side::Ask, 101, 5), 0).unwrap();
    let req = OrderRequest { self_trade: policy, ..limit(Side::Bid, 101, lots) };
    let out = t.place(a, req, 0).unwrap();
    (t, a, b, out)
}

#[test]
fn self_trade_cancel_resting() {
    let (t, a, _, out) = self_trade(SelfTrade::CancelResting, 8);
    assert_eq!((out.filled, out.rested, out.dropped), (BaseLots(5), Some(3), BaseLots(0)));
    assert_eq!(t.seat(a).base_locked, CreditAtoms(0));
    assert_eq!(t.seat(a).base_free, CreditAtoms(1_050));
    assert!(t
        .events
        .iter()
        .any(|e| matches!(e.event, Event::OrderRemoved { reason: RemoveReason::SelfTrade, seq: 1, .. })));
}

#[test]
fn self_trade_cancel_taker() {
    let (t, a, _, out) = self_trade(SelfTrade::CancelTaker, 8);
    // nothing traded, nothing rests, its ask still rests
    assert_eq!((out.filled, out.rested, out.dropped), (BaseLots(0), None, BaseLots(8)));
    assert_eq!(t.asks.len, 2);
    assert_eq!(t.seat(a).quote_free, QuoteAtoms(100_000));
}

#[test]
fn self_trade_decrement_both() {
    // 8 lots against its own 5: both lose 5, 3 lots go on to the other maker
    let (t, a, b, out) = self_trade(SelfTrade::DecrementBoth, 8);
    assert_eq!((out.filled, out.rested, out.dropped), (BaseLots(3), None, BaseLots(0)));
    assert_eq!(t.seat(a).base_free, CreditAtoms(1_000 - 50 + 50 + 30));
    // the other maker's 2 lots left (1,414 atoms) were dust
    assert_eq!((t.seat(b).base_locked, t.seat(b).base_free), (CreditAtoms(0), CreditAtoms(970)));
    // 3 lots against its own 5: its ask keeps 2 lots (1,400 atoms), cancelled as dust
    let (t, a, _, out) = self_trade(SelfTrade::DecrementBoth, 3);
    assert_eq!(out.filled, BaseLots(0));
    let reasons: Vec<_> = t
        .events
        .iter()
        .filter_map(|e| match e.event {
            Event::OrderRemoved { reason, lots, .. } => Some((reason, lots.0)),
            _ => None,
        })
        .collect();
    assert_eq!(reasons, vec![(RemoveReason::SelfTrade, 3), (RemoveReason::Dust, 2)]);
    assert_eq!(t.seat(a).base_locked, CreditAtoms(0));
}

#[test]
fn batch_is_all_or_nothing() {
    let mut t = market::<8>();
    let a = t.funded(1, 1_000, 20_000);
    t.place(a, limit(Side::Bid, 95, 5), 0).unwrap();
    t.place(a, limit(Side::Ask, 105, 5), 0).unwrap();
    let post = |side, price, lots| kind(side, OrderKind::PostOnly, price, lots);
    let requote = [post(Side::Bid, 96, 5), post(Side::Ask, 104, 5), post(Side::Bid, 97, 30)];
    // the third order cannot be paid for: the cancels and the first two are undone
    t.refused(MarketError::InsufficientBalance, |m, ev| m.batch(a, BatchCancels::All, &requote, 0, ev));
    // a post-only that would cross an earlier order of the batch is refused
    let crossing = [post(Side::Bid, 100, 5), post(Side::Ask, 100, 5)];
    t.refused(MarketError::WouldCross, |m, ev| m.batch(a, BatchCancels::All, &crossing, 0, ev));
    // a cancel of an order that is not there
    let cancels = [
        CancelRequest { side: Side::Bid, price: Ticks(95), seq: 1 },
        CancelRequest { side: Side::Bid, price: Ticks(95), seq: 1 },
    ];
    t.refused(MarketError::OrderNotFound, |m, ev| m.batch(a, BatchCancels::These(&cancels), &[], 0, ev));
    // only post-only orders
    t.refused(MarketError::InvalidOrder, |m, ev| {
        m.batch(a, BatchCancels::None, &[limit(Side::Bid, 96, 5)], 0, ev)
    });
    let (mut m, ev) = t.m();
    m.batch(a, BatchCancels::These(&cancels[..1]), &requote[..2], 0, ev).unwrap();
    let book: Vec<_> =
        [&t.bids, &t.asks].iter().flat_map(|s| s.orders().iter().map(|o| (o.price.0, o.seq))).collect();
    assert_eq!(book, vec![(96, 3), (105, 2), (104, 4)]);
    assert_eq!(t.seat(a).order_count, 3);
}

#[test]
fn a_frozen_owner_loses_its_orders_and_keeps_its_balances() {
    let mut t = market::<8>();
    let a = t.funded(1, 1_000, 100_000);
    let b = t.funded(2, 1_000, 100_000);
    t.place(a, limit(Side::Bid, 95, 5), 0).unwrap();
    t.place(b, limit(Side::Bid, 96, 5), 0).unwrap();
    t.place(a, limit(Side::Ask, 105, 5), 0).unwrap();
    let mark = t.events.len();
    let (mut m, ev) = t.m();
    assert_eq!(m.remove_owner(a, ev), Ok(2));
    assert_eq!(t.events_from(mark).len(), 2);
    assert!(t
        .events_from(mark)
        .iter()
        .all(|e| matches!(e, Event::OrderRemoved { reason: RemoveReason::OwnerFrozen, .. })));
    let s = t.seat(a);
    assert_eq!(
        (s.base_free, s.base_locked, s.quote_free, s.quote_locked),
        (CreditAtoms(1_000), CreditAtoms(0), QuoteAtoms(100_000), QuoteAtoms(0))
    );
    assert_eq!(t.bids.orders().iter().map(|o| o.seat).collect::<Vec<_>>(), vec![b]);
    assert_eq!(t.bids.orders[1], Order::default());
}

/// Jamming a side of `BOOK` orders in v1 took 256 one-tick, one-lot bids (~$2.56, refundable).
/// In v2 a jammer must hold every slot with an order of at least the minimum notional, priced
/// better than the honest bid it wants to keep out (else that bid evicts its worst), from
/// `BOOK / max_orders_per_seat` seats.
#[test]
fn jamming_a_side_costs_capacity_times_the_minimum_notional() {
    const BOOK: usize = 256;
    const DOLLAR: u64 = 1_000_000;
    // USDC quote, $0.01 ticks per lot, $10 minimum order, 16 orders a seat
    let params = MarketParams {
        lot_size: 1_000_000,
        tick_size: 10_000,
        min_order_notional: QuoteAtoms(10 * DOLLAR),
        maker_fee_bps: 10,
        taker_fee_bps: 20,
        max_orders_per_seat: 16,
    };
    let mut t = TestMarket::<BOOK>::new(params, LIMITS);
    let honest = t.funded(0, 0, 1_000 * DOLLAR);
    // the honest best bid: $1.50 a credit
    t.place(honest, limit(Side::Bid, 150, 100), 0).unwrap();
    // the jammer's cheapest jam: one tick above, the fewest lots reaching $10 each
    let price = 151u64;
    let lots = (10 * DOLLAR).div_ceil(price * 10_000);
    let jam_seats = BOOK / 16;
    let mut jammers = vec![];
    for j in 0..jam_seats {
        let s = t.funded(1 + j as u8, 0, 1_000 * DOLLAR);
        for _ in 0..16 {
            t.place(s, limit(Side::Bid, price, lots), 0).unwrap();
        }
        jammers.push(s);
    }
    // the honest bid was evicted by the 256th jam order; the side is the jammer's
    assert_eq!(t.bids.len as usize, BOOK);
    assert!(t.bids.orders().iter().all(|o| o.seat != honest));
    let locked: u64 = jammers.iter().map(|&s| t.seat(s).quote_locked.0).sum();
    // 7 lots ($10.57) x ($1.51 + $0.00151 maker fee) per order
    assert_eq!(lots, 7);
    assert_eq!(locked, BOOK as u64 * lots * (price * 10_000 + 1_510));
    assert!(locked >= BOOK as u64 * 10 * DOLLAR);
    // $2,708 locked (plus 16 seats' rent) against v1's $2.56: over 1,000x
    assert_eq!(locked / DOLLAR, 2_708);
    let v1 = 256 * 10_000;
    assert!(locked / v1 >= 1_000);
    // and the jam is only a price: one tick better evicts the worst jam order
    t.place(honest, limit(Side::Bid, price + 1, lots), 0).unwrap();
    assert_eq!(t.bids.best().unwrap().seat, honest);
}
