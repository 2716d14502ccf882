//! The engine against a reference model: a plain vector searched for the best order each time,
//! over random sequences of every order kind, cancels, expiries and self-trades.
use super::*;
use proptest::prelude::*;

const N: usize = 8;

fn owner(i: u8) -> [u8; 32] {
    [i; 32]
}

/// The obvious implementation: unsorted vectors, best found by scanning.
#[derive(Default)]
struct Model {
    next_seq: u64,
    bids: Vec<RestingOrder>,
    asks: Vec<RestingOrder>,
}

impl Model {
    fn new() -> Self {
        Model { next_seq: 1, ..Default::default() }
    }

    fn best_index(orders: &[RestingOrder], side: Side) -> Option<usize> {
        (0..orders.len()).min_by_key(|&i| {
            let o = &orders[i];
            let price_key = match side {
                Side::Bid => u64::MAX - o.price.0,
                Side::Ask => o.price.0,
            };
            (price_key, o.seq)
        })
    }

    fn place(&mut self, req: OrderRequest, now: i64, max_steps: usize) -> Result<MatchOutcome, BookError> {
        let snapshot = (self.next_seq, self.bids.clone(), self.asks.clone());
        let result = self.place_inner(req, now, max_steps);
        if result.is_err() {
            (self.next_seq, self.bids, self.asks) = snapshot;
        }
        result
    }

    fn place_inner(
        &mut self,
        req: OrderRequest,
        now: i64,
        max_steps: usize,
    ) -> Result<MatchOutcome, BookError> {
        let opp_side = if req.side == Side::Bid { Side::Ask } else { Side::Bid };
        let crosses = |p: Ticks| if req.side == Side::Bid { p <= req.limit } else { p >= req.limit };
        let max_bid = self.bids.iter().map(|o| o.price).max().unwrap_or(req.limit).max(req.limit);
        let worst = if req.side == Side::Bid { req.limit } else { max_bid };
        if req.lots.0 == 0 || req.limit.0 == 0 || worst.0.checked_mul(req.lots.0).is_none() {
            return Err(BookError::InvalidOrder);
        }
        if req.kind == OrderKind::PostOnly {
            let opp = if req.side == Side::Bid { &self.asks } else { &self.bids };
            if opp.iter().any(|o| crosses(o.price) && !o.is_expired(now)) {
                return Err(BookError::WouldCross);
            }
        }
        let mut out = MatchOutcome::default();
        let mut left = req.lots.0;
        for _ in 0..max_steps {
            let opp = if req.side == Side::Bid { &mut self.asks } else { &mut self.bids };
            let Some(i) = Self::best_index(opp, opp_side) else { break };
            let best = opp[i];
            if left == 0 || out.quote.0 >= req.max_quote.0 || !crosses(best.price) {
                break;
            }
            if best.is_expired(now) || best.owner == req.owner {
                opp.remove(i);
                out.removed.push(Removed { order: best, expired: best.is_expired(now) });
                continue;
            }
            // the fewest lots that reach the quote cap, rounded up
            let room = req.max_quote.0 - out.quote.0;
            let lots = left.min(best.lots.0).min(room.div_ceil(best.price.0));
            left -= lots;
            let done = lots == best.lots.0;
            if done {
                opp.remove(i);
            } else {
                opp[i].lots.0 -= lots;
            }
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
        let capped = out.quote.0 >= req.max_quote.0;
        if req.kind == OrderKind::FillOrKill && left > 0 && !capped {
            return Err(BookError::CannotFillCompletely);
        }
        let opp = if req.side == Side::Bid { &self.asks } else { &self.bids };
        let still_crosses = Self::best_index(opp, opp_side).is_some_and(|i| crosses(opp[i].price));
        if matches!(req.kind, OrderKind::Limit | OrderKind::PostOnly) && left > 0 && !still_crosses && !capped
        {
            let own = if req.side == Side::Bid { &mut self.bids } else { &mut self.asks };
            if own.len() == N {
                return Err(BookError::BookFull);
            }
            let seq = self.next_seq;
            own.push(RestingOrder {
                price: req.limit,
                lots: BaseLots(left),
                seq,
                expiry: req.expiry,
                owner: req.owner,
            });
            self.next_seq += 1;
            out.rested = Some(seq);
            out.rested_lots = BaseLots(left);
        }
        Ok(out)
    }

    /// Orders of a side in priority order, best first.
    fn sorted(&self, side: Side) -> Vec<RestingOrder> {
        let mut v = if side == Side::Bid { self.bids.clone() } else { self.asks.clone() };
        v.sort_by_key(|o| {
            let price_key = if side == Side::Bid { u64::MAX - o.price.0 } else { o.price.0 };
            (price_key, o.seq)
        });
        v
    }
}

fn engine_sorted(side: &BookSide<N>) -> Vec<RestingOrder> {
    side.orders().iter().rev().copied().collect()
}

#[derive(Clone, Debug)]
enum Op {
    Place { bid: bool, kind: u8, price: u64, lots: u64, owner: u8, ttl: i64, cap: Option<u64> },
    Cancel { bid: bool, nth: usize, owner: u8 },
    RemoveOwner(u8),
    Wait(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (any::<bool>(), 0u8..4, 95u64..106, 1u64..50, 0u8..4, 0i64..30, proptest::option::weighted(0.2, 1u64..3_000))
            .prop_map(|(bid, kind, price, lots, owner, ttl, cap)| Op::Place { bid, kind, price, lots, owner, ttl, cap }),
        1 => (any::<bool>(), 0usize..N, 0u8..4).prop_map(|(bid, nth, owner)| Op::Cancel { bid, nth, owner }),
        1 => (1i64..20).prop_map(Op::Wait),
        1 => (0u8..4).prop_map(Op::RemoveOwner),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn engine_matches_the_reference_model(ops in proptest::collection::vec(op(), 1..80), max_steps in 1usize..6) {
        let mut book = Book::<N>::default();
        let mut model = Model::new();
        let mut now = 1_000i64;
        for op in ops {
            match op {
                Op::Place { bid, kind, price, lots, owner: o, ttl, cap } => {
                    let kind = [OrderKind::Limit, OrderKind::PostOnly, OrderKind::ImmediateOrCancel, OrderKind::FillOrKill][kind as usize];
                    let side = if bid { Side::Bid } else { Side::Ask };
                    let expiry = if ttl == 0 { 0 } else { now + ttl };
                    let max_quote = cap.map_or(OrderRequest::NO_QUOTE_CAP, QuoteLots);
                    let req = OrderRequest { side, kind, limit: Ticks(price), lots: BaseLots(lots), owner: owner(o), expiry, max_quote };
                    let before = book;
                    let got = book.place(req, now, max_steps);
                    let want = model.place(req, now, max_steps);
                    prop_assert_eq!(&got, &want);
                    if got.is_err() {
                        prop_assert_eq!(book, before, "a refused order changed the book");
                    }
                    if let Ok(out) = got {
                        // never a worse price than the limit; fills add up
                        for f in &out.fills {
                            let within = if bid { f.price.0 <= price } else { f.price.0 >= price };
                            prop_assert!(within, "filled beyond the limit");
                        }
                        prop_assert_eq!(out.fills.iter().map(|f| f.lots.0).sum::<u64>(), out.filled.0);
                        prop_assert!(out.filled.0 + out.rested_lots.0 <= lots);
                        if let Some(cap) = cap {
                            // a capped order overshoots its cap by less than one lot and never rests
                            let last = out.fills.last().map_or(0, |f| f.price.0);
                            prop_assert!(out.quote.0 < cap + last);
                            if out.quote.0 >= cap {
                                prop_assert_eq!(out.rested, None);
                            }
                        }
                    }
                }
                Op::Cancel { bid, nth, owner: o } => {
                    let side = if bid { Side::Bid } else { Side::Ask };
                    let list = model.sorted(side);
                    if let Some(target) = list.get(nth) {
                        let got = book.cancel(side, target.price, target.seq, &owner(o));
                        let own = if bid { &mut model.bids } else { &mut model.asks };
                        let want = if target.owner == owner(o) {
                            let i = own.iter().position(|x| x.seq == target.seq).unwrap();
                            Some(own.remove(i))
                        } else {
                            None
                        };
                        prop_assert_eq!(got, want);
                    }
                }
                Op::RemoveOwner(o) => {
                    let (bids, asks) = (model.bids.len(), model.asks.len());
                    model.bids.retain(|x| x.owner != owner(o));
                    model.asks.retain(|x| x.owner != owner(o));
                    let want = (bids - model.bids.len(), asks - model.asks.len());
                    prop_assert_eq!(book.remove_owner(&owner(o)), want);
                    // the tail past `len` is cleared: nothing of the removed orders lingers
                    for side in [&book.bids, &book.asks] {
                        prop_assert!(side.orders[side.len as usize..].iter().all(|x| *x == RestingOrder::default()));
                    }
                }
                Op::Wait(dt) => now += dt,
            }
            prop_assert_eq!(engine_sorted(&book.bids), model.sorted(Side::Bid));
            prop_assert_eq!(engine_sorted(&book.asks), model.sorted(Side::Ask));
            // never a crossed book among live orders
            if let (Some(b), Some(a)) = (book.bids.best(), book.asks.best()) {
                if !b.is_expired(now) && !a.is_expired(now) && b.owner != a.owner {
                    prop_assert!(b.price < a.price, "crossed book");
                }
            }
        }
    }
}

#[test]
fn price_time_priority_and_order_kinds() {
    let mut book = Book::<N>::default();
    let ask = |price, lots, o: u8| OrderRequest {
        side: Side::Ask,
        kind: OrderKind::Limit,
        limit: Ticks(price),
        lots: BaseLots(lots),
        owner: owner(o),
        expiry: 0,
        max_quote: OrderRequest::NO_QUOTE_CAP,
    };
    book.place(ask(101, 5, 1), 0, 8).unwrap();
    book.place(ask(100, 5, 2), 0, 8).unwrap();
    book.place(ask(100, 5, 3), 0, 8).unwrap();
    // a taker bid at 100 fills the earlier of the two 100s first, never the 101
    let bid = OrderRequest {
        side: Side::Bid,
        kind: OrderKind::ImmediateOrCancel,
        limit: Ticks(100),
        lots: BaseLots(7),
        owner: owner(9),
        expiry: 0,
        max_quote: OrderRequest::NO_QUOTE_CAP,
    };
    let out = book.place(bid, 0, 8).unwrap();
    assert_eq!(out.fills.iter().map(|f| (f.maker[0], f.lots.0)).collect::<Vec<_>>(), vec![(2, 5), (3, 2)]);
    assert_eq!(out.quote, QuoteLots(700));
    assert_eq!(out.rested, None);
    // post-only that would cross is refused; fill-or-kill beyond the book is refused
    let post = OrderRequest { kind: OrderKind::PostOnly, limit: Ticks(101), ..bid };
    assert_eq!(book.place(post, 0, 8), Err(BookError::WouldCross));
    let fok = OrderRequest { kind: OrderKind::FillOrKill, limit: Ticks(101), lots: BaseLots(9), ..bid };
    assert_eq!(book.place(fok, 0, 8), Err(BookError::CannotFillCompletely));
    let fok = OrderRequest { lots: BaseLots(8), ..fok };
    assert_eq!(book.place(fok, 0, 8).unwrap().filled, BaseLots(8));
    assert_eq!(book.asks.len, 0);
}

#[test]
fn expiry_self_trade_and_capacity() {
    let mut book = Book::<2>::default();
    let bid = |price, o: u8, expiry| OrderRequest {
        side: Side::Bid,
        kind: OrderKind::Limit,
        limit: Ticks(price),
        lots: BaseLots(1),
        owner: owner(o),
        expiry,
        max_quote: OrderRequest::NO_QUOTE_CAP,
    };
    book.place(bid(10, 1, 50), 0, 4).unwrap();
    book.place(bid(9, 2, 0), 0, 4).unwrap();
    assert_eq!(book.place(bid(8, 3, 0), 0, 4), Err(BookError::BookFull));
    // an ask by owner 2 at time 60: the expired bid is removed, its own bid is cancelled
    let ask = OrderRequest {
        side: Side::Ask,
        kind: OrderKind::ImmediateOrCancel,
        limit: Ticks(9),
        lots: BaseLots(1),
        owner: owner(2),
        expiry: 0,
        max_quote: OrderRequest::NO_QUOTE_CAP,
    };
    let out = book.place(ask, 60, 4).unwrap();
    assert_eq!(out.filled, BaseLots(0));
    assert_eq!(
        out.removed.iter().map(|r| (r.order.owner[0], r.expired)).collect::<Vec<_>>(),
        vec![(1, true), (2, false)]
    );
    assert_eq!(book.bids.len, 0);
    assert_eq!(book.cancel(Side::Bid, Ticks(10), 1, &owner(1)), None);
}

#[test]
fn large_book_stays_sorted() {
    let mut book = Box::new(Book::<512>::default());
    for i in 0..500u64 {
        let price = 1_000 + (i * 7919) % 300;
        let req = OrderRequest {
            side: Side::Bid,
            kind: OrderKind::Limit,
            limit: Ticks(price),
            lots: BaseLots(1),
            owner: owner(1),
            expiry: 0,
            max_quote: OrderRequest::NO_QUOTE_CAP,
        };
        book.place(req, 0, 16).unwrap();
    }
    let orders = book.bids.orders();
    assert_eq!(orders.len(), 500);
    assert!(orders
        .windows(2)
        .all(|w| (w[0].price, u64::MAX - w[0].seq) <= (w[1].price, u64::MAX - w[1].seq)));
    assert_eq!(std::mem::size_of::<RestingOrder>(), 64);
    assert_eq!(std::mem::size_of::<Book<256>>(), 8 + 2 * (8 + 256 * 64));
    // zero bytes are an empty book (what a freshly allocated account holds)
    let zeroed: Book<4> = bytemuck::Zeroable::zeroed();
    assert_eq!((zeroed.bids.len, zeroed.asks.len), (0, 0));
}
