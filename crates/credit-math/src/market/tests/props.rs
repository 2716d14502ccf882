//! The engine against the reference model over random sequences of adversarial traders: dust
//! spam, seat churn (up to 24 seats, claims with duplicate hints), evictions of a small book,
//! frozen makers pulled, self-trades under every policy, batches, swaps, fee withdrawals,
//! expired orders pruned by the crank.
//! After every operation: same result, same events, same book in priority order, same seat
//! balances and order counts, same treasury; conservation of both assets; locks equal what the
//! resting orders need; the book never crosses; a refused operation changed nothing.
use super::model::Model;
use super::*;
use proptest::prelude::*;

const N: usize = 6;
const SEATS: u8 = 24;

#[derive(Clone, Debug)]
enum Op {
    Claim { owner: u8, hint: Option<u8> },
    Deposit { seat: u8, base: u64, quote: u64 },
    Withdraw { seat: u8, base: u64, quote: u64 },
    Place { seat: u8, bid: bool, kind: u8, price: u64, lots: u64, ttl: i64, st: u8, cap: Option<u64> },
    Cancel { seat: u8, bid: bool, nth: usize },
    CancelAll(u8),
    Freeze(u8),
    Batch { seat: u8, cancels: u8, places: Vec<(bool, u64, u64, i64)> },
    Swap { bid: bool, amount: u64, min_out: u64, price: u64 },
    WithdrawFees(u64),
    Prune { bid: bool, max: u32 },
    Wait(i64),
}

fn op() -> impl Strategy<Value = Op> {
    let place = (0..SEATS, any::<bool>(), 0u8..4, 95u64..106, 1u64..12, 0i64..30, 0u8..3)
        .prop_flat_map(|t| (Just(t), proptest::option::weighted(0.15, 1u64..3_000)))
        .prop_map(|((seat, bid, kind, price, lots, ttl, st), cap)| Op::Place {
            seat,
            bid,
            kind,
            price,
            lots,
            ttl,
            st,
            cap,
        });
    prop_oneof![
        1 => (0..SEATS, proptest::option::of(0..SEATS)).prop_map(|(owner, hint)| Op::Claim { owner, hint }),
        3 => (0..SEATS, 0u64..400, 0u64..60_000).prop_map(|(seat, base, quote)| Op::Deposit { seat, base, quote }),
        1 => (0..SEATS, 0u64..200, 0u64..30_000).prop_map(|(seat, base, quote)| Op::Withdraw { seat, base, quote }),
        10 => place,
        // dust spam: one lot, often below the minimum notional
        2 => (0..SEATS, any::<bool>(), 95u64..106).prop_map(|(seat, bid, price)| Op::Place {
            seat, bid, kind: 0, price, lots: 1, ttl: 0, st: 0, cap: None
        }),
        2 => (0..SEATS, any::<bool>(), 0usize..N).prop_map(|(seat, bid, nth)| Op::Cancel { seat, bid, nth }),
        1 => (0..SEATS).prop_map(Op::CancelAll),
        1 => (0..SEATS).prop_map(Op::Freeze),
        2 => (0..SEATS, 0u8..3, proptest::collection::vec((any::<bool>(), 95u64..106, 1u64..8, 0i64..20), 0..4))
            .prop_map(|(seat, cancels, places)| Op::Batch { seat, cancels, places }),
        2 => (any::<bool>(), 1u64..20_000, 0u64..3_000, 95u64..106)
            .prop_map(|(bid, amount, min_out, price)| Op::Swap { bid, amount, min_out, price }),
        1 => (1u64..500).prop_map(Op::WithdrawFees),
        2 => (any::<bool>(), 0u32..4).prop_map(|(bid, max)| Op::Prune { bid, max }),
        2 => (1i64..15).prop_map(Op::Wait),
    ]
}

fn side(bid: bool) -> Side {
    if bid {
        Side::Bid
    } else {
        Side::Ask
    }
}

struct Run {
    t: TestMarket<N>,
    model: Model,
    /// Credit atoms and quote atoms that entered less those that left (deposits, swaps,
    /// withdrawals, fee withdrawals): what the vaults hold.
    base_in: i128,
    quote_in: i128,
}

impl Run {
    /// Compares everything after an operation whose results were `got` / `want`.
    fn check<T: PartialEq + core::fmt::Debug>(
        &mut self,
        before: &TestMarket<N>,
        mark: usize,
        model_mark: usize,
        got: Result<T, MarketError>,
        want: Result<T, MarketError>,
        now: i64,
    ) -> Result<(), TestCaseError> {
        prop_assert_eq!(&got, &want);
        if got.is_err() {
            assert_unchanged(before, &self.t);
        }
        prop_assert_eq!(&self.t.events[mark..], &self.model.events[model_mark..]);
        let (t, m) = (&self.t, &self.model);
        prop_assert_eq!(t.header.next_event_seq, m.next_event_seq);
        prop_assert_eq!(t.header.next_order_seq, m.next_order_seq);
        prop_assert_eq!(t.header.seat_count as usize, m.seats.len());
        prop_assert_eq!(i128::from(t.header.treasury_fees.0), m.treasury);
        for (s, book) in [(Side::Bid, &t.bids), (Side::Ask, &t.asks)] {
            let engine: Vec<_> =
                book.orders().iter().rev().map(|o| (o.price.0, o.lots.0, o.seq, o.expiry, o.seat)).collect();
            let model: Vec<_> =
                m.sorted(s).into_iter().map(|o| (o.price, o.lots, o.seq, o.expiry, o.seat)).collect();
            prop_assert_eq!(engine, model, "{:?} side", s);
            prop_assert!(book.orders[book.len as usize..].iter().all(|o| *o == Order::default()));
        }
        let p = fees::Params::of(&t.header);
        let (mut base_sum, mut quote_sum) = (0i128, i128::from(t.header.treasury_fees.0));
        for (i, (s, ms)) in t.seats.iter().zip(&m.seats).enumerate() {
            prop_assert_eq!(s.owner, ms.owner);
            let got = (s.base_free.0, s.base_locked.0, s.quote_free.0, s.quote_locked.0);
            let want = (ms.base_free, ms.base_locked, ms.quote_free, ms.quote_locked);
            prop_assert_eq!((got.0 as i128, got.1 as i128, got.2 as i128, got.3 as i128), want, "seat {}", i);
            prop_assert_eq!(s.order_count as usize, m.orders_of(i as u32));
            // locks are exactly what the seat's resting orders need
            let need = |side: Side, book: &BookSide<N>| -> u64 {
                book.orders()
                    .iter()
                    .filter(|o| o.seat == i as u32)
                    .map(|o| p.lock(side, o.price, o.lots).unwrap())
                    .sum()
            };
            prop_assert_eq!(s.quote_locked.0, need(Side::Bid, &t.bids));
            prop_assert_eq!(s.base_locked.0, need(Side::Ask, &t.asks));
            base_sum += i128::from(s.base_free.0 + s.base_locked.0);
            quote_sum += i128::from(s.quote_free.0 + s.quote_locked.0);
        }
        // conservation: the seats and the treasury hold exactly what entered less what left
        prop_assert_eq!(base_sum, self.base_in);
        prop_assert_eq!(quote_sum, self.quote_in);
        prop_assert_eq!(i128::from(t.header.base_total.0), self.base_in);
        prop_assert_eq!(i128::from(t.header.quote_total.0), self.quote_in);
        // the book never crosses, and nothing rests below the minimum notional
        if let (Some(b), Some(a)) = (t.bids.best(), t.asks.best()) {
            prop_assert!(b.price < a.price, "crossed book");
        }
        for o in t.bids.orders().iter().chain(t.asks.orders()) {
            prop_assert!(!p.is_dust(o.price, o.lots).unwrap(), "dust rests");
        }
        let _ = now;
        Ok(())
    }
}

fn run(ops: Vec<Op>, params: MarketParams, limits: MatchLimits) -> Result<(), TestCaseError> {
    let mut r = Run {
        t: TestMarket::<N>::new(params, limits),
        model: Model::new(params, N, limits),
        base_in: 0,
        quote_in: 0,
    };
    let mut now = 1_000i64;
    let setup = (0..8u8).flat_map(|i| {
        [Op::Claim { owner: i, hint: None }, Op::Deposit { seat: i, base: 400, quote: 60_000 }]
    });
    for op in setup.chain(ops) {
        let before = r.t.clone();
        let (mark, model_mark) = (r.t.events.len(), r.model.events.len());
        let seats = r.t.header.seat_count.max(1);
        // an existing seat, now and then one past the end
        let pick = |s: u8| if s + 1 < SEATS { u32::from(s) % seats } else { seats };
        match op {
            Op::Claim { owner, hint } => {
                let hint = hint.map(|h| u32::from(h) % seats);
                let got = r.t.claim([owner; 32], hint);
                let want = r.model.claim([owner; 32], hint);
                r.check(&before, mark, model_mark, got, want, now)?;
            }
            Op::Deposit { seat, base, quote } => {
                let seat = pick(seat);
                let (mut m, ev) = r.t.m();
                let got = m.deposit(seat, CreditAtoms(base), QuoteAtoms(quote), ev);
                let want = r.model.deposit(seat, base, quote);
                if got.is_ok() {
                    r.base_in += i128::from(base);
                    r.quote_in += i128::from(quote);
                }
                r.check(&before, mark, model_mark, got, want, now)?;
            }
            Op::Withdraw { seat, base, quote } => {
                let seat = pick(seat);
                let (mut m, ev) = r.t.m();
                let got = m.withdraw(seat, CreditAtoms(base), QuoteAtoms(quote), ev);
                let want = r.model.withdraw(seat, base, quote);
                if got.is_ok() {
                    r.base_in -= i128::from(base);
                    r.quote_in -= i128::from(quote);
                }
                r.check(&before, mark, model_mark, got, want, now)?;
            }
            Op::Place { seat, bid, kind: k, price, lots, ttl, st, cap } => {
                let seat = pick(seat);
                let kind = [
                    OrderKind::Limit,
                    OrderKind::PostOnly,
                    OrderKind::ImmediateOrCancel,
                    OrderKind::FillOrKill,
                ][k as usize];
                let self_trade =
                    [SelfTrade::CancelResting, SelfTrade::CancelTaker, SelfTrade::DecrementBoth][st as usize];
                let req = OrderRequest {
                    expiry: if ttl == 0 { 0 } else { now + ttl },
                    self_trade,
                    max_quote: cap.map_or(OrderRequest::NO_QUOTE_CAP, QuoteLots),
                    ..OrderRequest::new(side(bid), kind, Ticks(price), BaseLots(lots))
                };
                let got = r.t.place(seat, req, now);
                let want = r.model.place(seat, req, now);
                r.check(&before, mark, model_mark, got, want, now)?;
            }
            Op::Cancel { seat, bid, nth } => {
                let seat = pick(seat);
                let s = side(bid);
                // an order of the book: this seat's or (a wrong-owner attempt) someone else's
                let target = r.model.sorted(s).get(nth).map(|o| (o.price, o.seq)).unwrap_or((100, 1));
                let (mut m, ev) = r.t.m();
                let got = m.cancel(seat, s, Ticks(target.0), target.1, ev);
                let want = r.model.cancel(seat, s, target.0, target.1);
                r.check(&before, mark, model_mark, got, want, now)?;
            }
            Op::CancelAll(seat) | Op::Freeze(seat) => {
                let seat = pick(seat);
                let reason = if matches!(op, Op::Freeze(_)) {
                    RemoveReason::OwnerFrozen
                } else {
                    RemoveReason::Cancelled
                };
                let (mut m, ev) = r.t.m();
                let got = if reason == RemoveReason::OwnerFrozen {
                    m.remove_owner(seat, ev)
                } else {
                    m.cancel_all(seat, ev)
                };
                let want = r.model.pull(seat, reason);
                r.check(&before, mark, model_mark, got, want, now)?;
            }
            Op::Batch { seat, cancels, places } => {
                let seat = pick(seat);
                // this seat's orders, and one that does not exist
                let mut list: Vec<CancelRequest> = [Side::Bid, Side::Ask]
                    .into_iter()
                    .flat_map(|s| {
                        r.model.sorted(s).into_iter().filter(|o| o.seat == seat).map(move |o| (s, o))
                    })
                    .map(|(side, o)| CancelRequest { side, price: Ticks(o.price), seq: o.seq })
                    .collect();
                if places.len() == 3 {
                    list.push(CancelRequest { side: Side::Bid, price: Ticks(1), seq: 999_999 });
                }
                let cancels = match cancels {
                    0 => BatchCancels::None,
                    1 => BatchCancels::All,
                    _ => BatchCancels::These(&list),
                };
                let places: Vec<OrderRequest> = places
                    .iter()
                    .map(|&(bid, price, lots, ttl)| OrderRequest {
                        expiry: if ttl == 0 { 0 } else { now + ttl },
                        ..kind(side(bid), OrderKind::PostOnly, price, lots)
                    })
                    .collect();
                let (mut m, ev) = r.t.m();
                let got = m.batch(seat, cancels, &places, now, ev);
                let want = r.model.batch(seat, cancels, &places, now);
                r.check(&before, mark, model_mark, got, want, now)?;
            }
            Op::Swap { bid, amount, min_out, price } => {
                let (mut m, ev) = r.t.m();
                let got = m.swap(side(bid), amount, min_out, Ticks(price), now, ev);
                let want = r.model.swap(side(bid), amount, min_out, price, now);
                if let Ok(s) = got {
                    prop_assert!(s.taken_in <= amount && s.paid_out >= min_out);
                    let (base, quote) = if bid {
                        (-i128::from(s.paid_out), i128::from(s.taken_in))
                    } else {
                        (i128::from(s.taken_in), -i128::from(s.paid_out))
                    };
                    r.base_in += base;
                    r.quote_in += quote;
                }
                r.check(&before, mark, model_mark, got, want, now)?;
            }
            Op::WithdrawFees(amount) => {
                let (mut m, ev) = r.t.m();
                let got = m.withdraw_fees(QuoteAtoms(amount), ev);
                let want = r.model.withdraw_fees(amount);
                if got.is_ok() {
                    r.quote_in -= i128::from(amount);
                }
                r.check(&before, mark, model_mark, got, want, now)?;
            }
            Op::Prune { bid, max } => {
                let (mut m, ev) = r.t.m();
                let got = m.prune_expired(side(bid), max, now, ev);
                let want = r.model.prune_expired(side(bid), max, now);
                if got == Ok(0) {
                    assert_unchanged(&before, &r.t);
                }
                r.check(&before, mark, model_mark, got, want, now)?;
            }
            Op::Wait(dt) => now += dt,
        }
    }
    Ok(())
}

fn params() -> impl Strategy<Value = MarketParams> {
    (1u64..20, 1u64..12, 0u64..400, 0u16..80, 0u16..120, 1u32..5).prop_map(
        |(lot_size, tick_size, min, maker_fee_bps, taker_fee_bps, max_orders_per_seat)| MarketParams {
            lot_size,
            tick_size,
            min_order_notional: QuoteAtoms(min * tick_size),
            maker_fee_bps,
            taker_fee_bps,
            max_orders_per_seat,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn engine_matches_the_reference_model(
        ops in proptest::collection::vec(op(), 1..120),
        params in params(),
        max_fills in 1u32..5,
        extra_removals in 0u32..5,
    ) {
        run(ops, params, MatchLimits { max_fills, max_removals: max_fills + extra_removals })?;
    }
}
