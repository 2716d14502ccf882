//! Layout, money to the atom, order kinds, swaps, seats and balances.
use super::*;

type M = TestMarket<8>;

fn market() -> M {
    TestMarket::new(PARAMS, LIMITS)
}

#[test]
fn layout_is_pinned_and_zero_is_empty() {
    assert_eq!(std::mem::size_of::<MarketHeader>(), 80);
    assert_eq!(std::mem::size_of::<Seat>(), 72);
    assert_eq!(std::mem::size_of::<Order>(), 40);
    assert_eq!(std::mem::size_of::<BookSide<256>>(), BookSide::<256>::SIZE);
    assert_eq!(BookSide::<256>::SIZE, 8 + 256 * 40);
    let side: BookSide<4> = bytemuck::Zeroable::zeroed();
    assert_eq!(side.len, 0);
    // a header is only made with sane parameters
    for bad in [
        MarketParams { lot_size: 0, ..PARAMS },
        MarketParams { tick_size: 0, ..PARAMS },
        MarketParams { max_orders_per_seat: 0, ..PARAMS },
        MarketParams { taker_fee_bps: 10_000, ..PARAMS },
        MarketParams { maker_fee_bps: 10_000, ..PARAMS },
    ] {
        assert_eq!(MarketHeader::new(bad), Err(MarketError::InvalidParams));
    }
}

#[test]
fn fill_moves_money_to_the_atom_and_dust_remainder_is_cancelled() {
    let mut t = market();
    let maker = t.funded(1, 50, 0);
    let taker = t.funded(2, 0, 10_000);
    t.place(maker, limit(Side::Ask, 100, 5), 0).unwrap();
    assert_eq!(t.seat(maker).base_locked, CreditAtoms(50));
    let mark = t.events.len();
    let out = t.place(taker, kind(Side::Bid, OrderKind::ImmediateOrCancel, 100, 3), 0).unwrap();
    // 3 lots x 100 ticks x 7 atoms = 2,100; taker fee ceil(2,100 x 40 / 10^4) = ceil(8.4) = 9;
    // maker fee 3 x ceil(700 x 25 / 10^4) = 3 x 2 = 6
    assert_eq!((out.filled, out.notional, out.taker_fee), (BaseLots(3), QuoteAtoms(2_100), QuoteAtoms(9)));
    assert_eq!(t.seat(taker).quote_free, QuoteAtoms(10_000 - 2_109));
    assert_eq!(t.seat(taker).base_free, CreditAtoms(30));
    assert_eq!(t.seat(maker).quote_free, QuoteAtoms(2_100 - 6));
    assert_eq!(t.header.treasury_fees, QuoteAtoms(15));
    // the maker's 2 lots left are 1,400 atoms < 2,000: cancelled as dust, credits back
    assert_eq!((t.seat(maker).base_locked, t.seat(maker).base_free), (CreditAtoms(0), CreditAtoms(20)));
    assert_eq!(t.asks.len, 0);
    assert_eq!(t.seat(maker).order_count, 0);
    let fill = Event::Fill {
        maker_seat: maker,
        maker_side: Side::Ask,
        maker_seq: 1,
        taker_seat: Some(taker),
        price: Ticks(100),
        lots: BaseLots(3),
        maker_fee: QuoteAtoms(6),
        taker_fee: QuoteAtoms(9),
    };
    let dust = Event::OrderRemoved {
        seat: maker,
        side: Side::Ask,
        seq: 1,
        price: Ticks(100),
        lots: BaseLots(2),
        expiry: 0,
        reason: RemoveReason::Dust,
    };
    assert_eq!(t.events_from(mark), vec![fill, dust]);
    // event sequence numbers are market-wide and consecutive
    assert!(t.events.windows(2).all(|w| w[1].seq == w[0].seq + 1));
}

#[test]
fn a_resting_bid_locks_exactly_what_its_fills_and_cancel_need() {
    let mut t = market();
    let bidder = t.funded(1, 0, 10_000);
    let seller = t.funded(2, 100, 0);
    t.place(bidder, limit(Side::Bid, 101, 6), 0).unwrap();
    // 6 x (707 + ceil(707 x 25 / 10^4) = 2) = 4,254
    assert_eq!(t.seat(bidder).quote_locked, QuoteAtoms(6 * 709));
    t.place(seller, kind(Side::Ask, OrderKind::ImmediateOrCancel, 101, 3), 0).unwrap();
    // the lock paid 3 x 709; the seller nets 2,121 less ceil(8.484) = 9
    assert_eq!(t.seat(bidder).quote_locked, QuoteAtoms(3 * 709));
    assert_eq!(t.seat(bidder).base_free, CreditAtoms(30));
    assert_eq!(t.seat(seller).quote_free, QuoteAtoms(2_121 - 9));
    assert_eq!(t.header.treasury_fees, QuoteAtoms(6 + 9));
    let (mut m, ev) = t.m();
    m.cancel(bidder, Side::Bid, Ticks(101), 1, ev).unwrap();
    assert_eq!(t.seat(bidder).quote_locked, QuoteAtoms(0));
    assert_eq!(t.seat(bidder).quote_free, QuoteAtoms(10_000 - 3 * 709));
}

#[test]
fn order_kinds_post_only_ioc_fok() {
    let mut t = market();
    let a = t.funded(1, 1_000, 0);
    let b = t.funded(2, 0, 100_000);
    t.place(a, limit(Side::Ask, 100, 5), 0).unwrap();
    t.place(a, limit(Side::Ask, 102, 5), 0).unwrap();
    t.refused(MarketError::WouldCross, |m, ev| {
        m.place(b, kind(Side::Bid, OrderKind::PostOnly, 100, 5), 0, ev).map(|_| ())
    });
    t.refused(MarketError::CannotFillCompletely, |m, ev| {
        m.place(b, kind(Side::Bid, OrderKind::FillOrKill, 101, 6), 0, ev).map(|_| ())
    });
    // IOC takes what crosses and drops the rest
    let out = t.place(b, kind(Side::Bid, OrderKind::ImmediateOrCancel, 101, 7), 0).unwrap();
    assert_eq!((out.filled, out.rested, out.dropped), (BaseLots(5), None, BaseLots(2)));
    // FOK fills completely at once
    let out = t.place(b, kind(Side::Bid, OrderKind::FillOrKill, 102, 5), 0).unwrap();
    assert_eq!(out.filled, BaseLots(5));
    // post-only rests when nothing crosses
    let out = t.place(b, kind(Side::Bid, OrderKind::PostOnly, 99, 5), 0).unwrap();
    assert_eq!(out.rested, Some(3));
}

#[test]
fn quote_cap_stops_a_sale_and_it_never_rests() {
    let mut t = market();
    let bidder = t.funded(1, 0, 100_000);
    let seller = t.funded(2, 1_000, 0);
    t.place(bidder, limit(Side::Bid, 100, 10), 0).unwrap();
    // a cap of 450 quote lots at 100 ticks: the fewest lots reaching it are 5 (500)
    let req = OrderRequest { max_quote: QuoteLots(450), ..limit(Side::Ask, 100, 9) };
    let out = t.place(seller, req, 0).unwrap();
    assert_eq!((out.filled, out.rested, out.dropped), (BaseLots(5), None, BaseLots(4)));
    // a capped FOK counts as complete
    let req = OrderRequest { max_quote: QuoteLots(300), ..kind(Side::Ask, OrderKind::FillOrKill, 100, 9) };
    assert_eq!(t.place(seller, req, 0).unwrap().filled, BaseLots(3));
}

#[test]
fn swap_exact_input_with_minimum_output() {
    let mut t = market();
    let maker = t.funded(1, 1_000, 0);
    t.place(maker, limit(Side::Ask, 100, 10), 0).unwrap();
    // 5,000 quote atoms buy q lots with 700 q + ceil(2.8 q) <= 5,000: q = 7 (4,900 + 20)
    let before = t.clone();
    let (mut m, ev) = t.m();
    assert_eq!(m.swap(Side::Bid, 5_000, 71, Ticks(100), 0, ev), Err(MarketError::SlippageExceeded));
    assert_unchanged(&before, &t);
    let (mut m, ev) = t.m();
    let s = m.swap(Side::Bid, 5_000, 70, Ticks(100), 0, ev).unwrap();
    assert_eq!((s.taken_in, s.paid_out, s.lots), (4_920, 70, BaseLots(7)));
    assert_eq!(t.header.quote_total, QuoteAtoms(4_920));
    assert_eq!(t.header.base_total, CreditAtoms(1_000 - 70));
    assert_eq!(t.header.treasury_fees, QuoteAtoms(20 + 7 * 2));
    // selling: 25 atoms are 2 lots; the odd 5 atoms stay with the seller
    let bidder = t.funded(2, 0, 10_000);
    t.place(bidder, limit(Side::Bid, 99, 4), 0).unwrap();
    let (mut m, ev) = t.m();
    let s = m.swap(Side::Ask, 25, 1_000, Ticks(99), 0, ev).unwrap();
    // 2 x 693 = 1,386 less ceil(5.544) = 6
    assert_eq!((s.taken_in, s.paid_out), (20, 1_380));
    let (mut m, ev) = t.m();
    assert_eq!(m.swap(Side::Ask, 9, 0, Ticks(99), 0, ev), Err(MarketError::InvalidOrder));
}

#[test]
fn seats_balances_and_withdrawals() {
    let mut t = market();
    let a = t.claim([1; 32], None).unwrap();
    // a hint that finds the same owner refuses; a wrong hint does not (uniqueness is the
    // program's: a PDA per owner)
    let before = t.clone();
    assert_eq!(t.claim([1; 32], Some(a)), Err(MarketError::DuplicateSeat));
    assert_unchanged(&before, &t);
    let b = t.claim([2; 32], Some(a)).unwrap();
    assert_eq!((a, b, t.header.seat_count), (0, 1, 2));
    // no slot provided for a new seat
    let (mut m, ev) = t.m();
    assert_eq!(m.claim_seat([3; 32], None, ev), Err(MarketError::NoSeatSpace));
    t.refused(MarketError::InvalidSeat, |m, ev| m.deposit(2, CreditAtoms(1), QuoteAtoms(0), ev));
    t.refused(MarketError::ZeroAmount, |m, ev| m.deposit(a, CreditAtoms(0), QuoteAtoms(0), ev));
    let (mut m, ev) = t.m();
    m.deposit(a, CreditAtoms(100), QuoteAtoms(5_000), ev).unwrap();
    t.place(a, limit(Side::Ask, 100, 5), 0).unwrap();
    // only free balances leave
    t.refused(MarketError::InsufficientBalance, |m, ev| m.withdraw(a, CreditAtoms(51), QuoteAtoms(0), ev));
    let (mut m, ev) = t.m();
    m.withdraw(a, CreditAtoms(50), QuoteAtoms(5_000), ev).unwrap();
    assert_eq!((t.header.base_total, t.header.quote_total), (CreditAtoms(50), QuoteAtoms(0)));
    t.refused(MarketError::Overflow, |m, ev| m.deposit(b, CreditAtoms(u64::MAX), QuoteAtoms(0), ev));
    t.refused(MarketError::InsufficientBalance, |m, ev| m.withdraw_fees(QuoteAtoms(1), ev));
}

#[test]
fn invalid_orders_are_refused_unchanged() {
    let mut t = market();
    let a = t.funded(1, 1_000, 1_000_000);
    for req in [
        limit(Side::Bid, 100, 0),
        limit(Side::Bid, 0, 5),
        OrderRequest { expiry: 10, ..limit(Side::Bid, 100, 5) },
        OrderRequest { max_quote: QuoteLots(0), ..limit(Side::Bid, 100, 5) },
        limit(Side::Bid, u64::MAX / 8, 5),
        limit(Side::Ask, 100, u64::MAX / 8),
    ] {
        t.refused(MarketError::InvalidOrder, |m, ev| m.place(a, req, 10, ev).map(|_| ()));
    }
    t.refused(MarketError::InvalidSeat, |m, ev| m.place(7, limit(Side::Bid, 100, 5), 0, ev).map(|_| ()));
    t.refused(MarketError::InsufficientBalance, |m, ev| {
        m.place(a, limit(Side::Bid, 100, 2_000), 0, ev).map(|_| ())
    });
    t.refused(MarketError::OrderNotFound, |m, ev| m.cancel(a, Side::Bid, Ticks(100), 1, ev));
}

#[test]
fn prune_removes_expired_orders_worst_first_up_to_its_limit() {
    let mut t = market();
    let a = t.funded(1, 0, 100_000);
    let b = t.funded(2, 0, 100_000);
    let with_expiry = |price, expiry| OrderRequest { expiry, ..limit(Side::Bid, price, 3) };
    // worst to best: 97 (expires 10), 98 (never), 99 (expires 20), 100 (expires 10)
    t.place(a, with_expiry(97, 10), 0).unwrap();
    t.place(b, with_expiry(98, 0), 0).unwrap();
    t.place(a, with_expiry(99, 20), 0).unwrap();
    t.place(b, with_expiry(100, 10), 0).unwrap();
    let (free_a, free_b) = (t.seat(a).quote_free, t.seat(b).quote_free);
    // nothing expired yet: nothing happens; a limit of zero is refused
    let before = t.clone();
    let (mut m, ev) = t.m();
    assert_eq!(m.prune_expired(Side::Bid, 8, 9, ev), Ok(0));
    assert_unchanged(&before, &t);
    t.refused(MarketError::ZeroAmount, |m, ev| m.prune_expired(Side::Bid, 0, 30, ev).map(|_| ()));
    // the other side has none
    let (mut m, ev) = t.m();
    assert_eq!(m.prune_expired(Side::Ask, 8, 30, ev), Ok(0));
    // at 15, two have expired: with a limit of one, the worst goes first
    let mark = t.events.len();
    let (mut m, ev) = t.m();
    assert_eq!(m.prune_expired(Side::Bid, 1, 15, ev), Ok(1));
    assert_eq!(
        t.events_from(mark),
        vec![Event::OrderRemoved {
            seat: a,
            side: Side::Bid,
            seq: 1,
            price: Ticks(97),
            lots: BaseLots(3),
            expiry: 10,
            reason: RemoveReason::Expired,
        }]
    );
    // its lock is back: 3 lots x (97 x 7 + ceil(679 x 25 / 10^4) = 2) = 2,043
    assert_eq!(t.seat(a).quote_free.0, free_a.0 + 2_043);
    assert_eq!(t.seat(a).order_count, 1);
    let (mut m, ev) = t.m();
    assert_eq!(m.prune_expired(Side::Bid, 8, 15, ev), Ok(1));
    assert_eq!(t.seat(b).quote_free.0, free_b.0 + 3 * (700 + 2));
    // the unexpired ones stay, in order
    let left: Vec<_> = t.bids.orders().iter().map(|o| o.price.0).collect();
    assert_eq!(left, vec![98, 99]);
    let (mut m, ev) = t.m();
    assert_eq!(m.prune_expired(Side::Bid, 8, 20, ev), Ok(1));
    assert_eq!(t.bids.orders().iter().map(|o| o.price.0).collect::<Vec<_>>(), vec![98]);
}
