//! The order book market: order kinds, settlement of both legs, fees, cancels, expiry, and a
//! reference model that checks the on-chain book and every balance over random sequences.
use compute_credits::error::CreditsError;
use compute_credits::{OrderArgs, OrderSide, OrderType};
use harness::market::*;
use harness::{assert_error, TestContext, TokenKind};
use solana_sdk::signature::Signer;

const STEPS: usize = 16;

fn fee_per_lot(price: u64, bps: u16) -> u64 {
    (price * TICK * u64::from(bps)).div_ceil(10_000)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Resting {
    seq: u64,
    trader: usize,
    price: u64,
    lots: u64,
    expiry: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Balances {
    credits: u64,
    quote: u64,
    base_free: u64,
    quote_free: u64,
    base_locked: u64,
    quote_locked: u64,
}

/// The reference: plain vectors, the best order found by scanning, balances moved by hand.
struct Model {
    next_seq: u64,
    bids: Vec<Resting>,
    asks: Vec<Resting>,
    traders: Vec<Balances>,
    treasury: u64,
}

#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    WouldCross,
    CannotFill,
}

impl Model {
    fn best(orders: &[Resting], bid_side: bool) -> Option<usize> {
        (0..orders.len()).min_by_key(|&i| {
            let o = orders[i];
            (if bid_side { u64::MAX - o.price } else { o.price }, o.seq)
        })
    }

    fn release(&mut self, bid_side: bool, o: Resting) {
        let t = &mut self.traders[o.trader];
        if bid_side {
            let lock = o.lots * (o.price * TICK + fee_per_lot(o.price, MAKER_FEE_BPS));
            t.quote_locked -= lock;
            t.quote_free += lock;
        } else {
            t.base_locked -= o.lots * LOT;
            t.base_free += o.lots * LOT;
        }
    }

    fn place(&mut self, trader: usize, a: OrderArgs, now: i64) -> Result<(), Refusal> {
        let bid = a.side == OrderSide::Bid;
        let crosses = |p: u64| if bid { p <= a.price_ticks } else { p >= a.price_ticks };
        let live = |o: &Resting| o.expiry == 0 || now < o.expiry;
        {
            let opp = if bid { &self.asks } else { &self.bids };
            if a.order_type == OrderType::PostOnly && opp.iter().any(|o| crosses(o.price) && live(o)) {
                return Err(Refusal::WouldCross);
            }
            if a.order_type == OrderType::FillOrKill {
                let mut sorted = opp.clone();
                sorted.sort_by_key(|o| (if bid { o.price } else { u64::MAX - o.price }, o.seq));
                let fillable: u64 = sorted
                    .iter()
                    .take(STEPS)
                    .take_while(|o| crosses(o.price))
                    .filter(|o| live(o) && o.trader != trader)
                    .map(|o| o.lots)
                    .sum();
                if fillable < a.lots {
                    return Err(Refusal::CannotFill);
                }
            }
        }
        let mut left = a.lots;
        for _ in 0..STEPS {
            let opp = if bid { &mut self.asks } else { &mut self.bids };
            let Some(i) = Self::best(opp, !bid) else { break };
            let o = opp[i];
            if left == 0 || !crosses(o.price) {
                break;
            }
            if !live(&o) || o.trader == trader {
                opp.remove(i);
                self.release(!bid, o);
                continue;
            }
            let q = left.min(o.lots);
            left -= q;
            if q == o.lots {
                opp.remove(i);
            } else {
                opp[i].lots -= q;
            }
            let notional = o.price * TICK * q;
            let (maker_fee, taker_fee) =
                (fee_per_lot(o.price, MAKER_FEE_BPS) * q, fee_per_lot(o.price, TAKER_FEE_BPS) * q);
            self.treasury += maker_fee + taker_fee;
            let (m, t) = (o.trader, trader);
            if bid {
                self.traders[m].base_locked -= q * LOT;
                self.traders[m].quote_free += notional - maker_fee;
                self.traders[t].quote -= notional + taker_fee;
                self.traders[t].credits += q * LOT;
            } else {
                self.traders[m].quote_locked -= notional + maker_fee;
                self.traders[m].base_free += q * LOT;
                self.traders[t].credits -= q * LOT;
                self.traders[t].quote += notional - taker_fee;
            }
        }
        let opp = if bid { &self.asks } else { &self.bids };
        let still = Self::best(opp, !bid).is_some_and(|i| crosses(opp[i].price));
        let rests = matches!(a.order_type, OrderType::Limit | OrderType::PostOnly);
        if rests && left > 0 && !still {
            let seq = self.next_seq;
            self.next_seq += 1;
            let o = Resting { seq, trader, price: a.price_ticks, lots: left, expiry: a.expiry };
            let t = &mut self.traders[trader];
            if bid {
                let lock = left * (a.price_ticks * TICK + fee_per_lot(a.price_ticks, MAKER_FEE_BPS));
                t.quote -= lock;
                t.quote_locked += lock;
                self.bids.push(o);
            } else {
                t.credits -= left * LOT;
                t.base_locked += left * LOT;
                self.asks.push(o);
            }
        }
        Ok(())
    }
}

async fn observed(
    ctx: &mut TestContext,
    w: &MarketWorld,
) -> (Vec<Balances>, u64, Vec<Resting>, Vec<Resting>) {
    let m = market_state(ctx, &w.k.market).await;
    let mut out = vec![];
    for t in &w.traders {
        let seat = m.seat_of(&t.pubkey()).map(|i| m.seats[i]).unwrap_or_default();
        out.push(Balances {
            credits: ctx.balance(t.credits).await,
            quote: ctx.balance(t.quote).await,
            base_free: seat.base_free,
            quote_free: seat.quote_free,
            base_locked: seat.base_locked,
            quote_locked: seat.quote_locked,
        });
    }
    let trader_of = |tag: &[u8; 32]| {
        let owner = m.seats[compute_credits::state::seat_of_tag(tag)].owner;
        w.traders.iter().position(|t| t.pubkey() == owner).unwrap()
    };
    let side = |s: &credit_math::book::BookSide<256>| {
        s.orders()
            .iter()
            .rev()
            .map(|o| Resting {
                seq: o.seq,
                trader: trader_of(&o.owner),
                price: o.price.0,
                lots: o.lots.0,
                expiry: o.expiry,
            })
            .collect::<Vec<_>>()
    };
    let b = m.book();
    (out, ctx.balance(w.k.treasury_quote).await, side(&b.bids), side(&b.asks))
}

fn sorted(v: &[Resting], bid_side: bool) -> Vec<Resting> {
    let mut v = v.to_vec();
    v.sort_by_key(|o| (if bid_side { u64::MAX - o.price } else { o.price }, o.seq));
    v
}

/// Deterministic pseudo-random numbers (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[tokio::test]
async fn random_order_flow_matches_the_reference_model() {
    for seed in [7u64, 1_234_567, 42_424_242] {
        let mut ctx = TestContext::start().await;
        let w = MarketWorld::new(&mut ctx, TokenKind::Token2022).await;
        let (balances, treasury, _, _) = observed(&mut ctx, &w).await;
        let mut model = Model { next_seq: 1, bids: vec![], asks: vec![], traders: balances, treasury };
        let mut rng = Rng(seed);
        let (treasury0, mut refusals, mut removals, mut pulls) = (treasury, 0, 0, 0);
        for step in 0..60 {
            let now = ctx.now().await;
            let trader = rng.next(3) as usize;
            match rng.next(10) {
                0 => {
                    ctx.advance_clock(1 + rng.next(20) as i64).await;
                }
                1 => {
                    // cancel one of this trader's resting orders, if any
                    let mine: Vec<(bool, u64, u64)> = model
                        .bids
                        .iter()
                        .map(|o| (true, o))
                        .chain(model.asks.iter().map(|o| (false, o)))
                        .filter(|(_, o)| o.trader == trader)
                        .map(|(b, o)| (b, o.price, o.seq))
                        .collect();
                    if let Some(&(bid, price, seq)) = mine.first() {
                        let side = if bid { OrderSide::Bid } else { OrderSide::Ask };
                        let t = &w.traders[trader];
                        ctx.send(&[cancel_order(&w.k, &t.pubkey(), side, price, seq)], &[&t.key])
                            .await
                            .unwrap();
                        let list = if bid { &mut model.bids } else { &mut model.asks };
                        let i = list.iter().position(|o| o.seq == seq).unwrap();
                        let o = list.remove(i);
                        model.release(bid, o);
                    }
                }
                2 => {
                    let t = &w.traders[trader];
                    if ctx.send(&[settle_funds(&w.k, t)], &[&t.key]).await.is_ok() {
                        let b = &mut model.traders[trader];
                        b.credits += b.base_free;
                        b.quote += b.quote_free;
                        b.base_free = 0;
                        b.quote_free = 0;
                    }
                }
                3 => {
                    // the guardian freezes the trader and pulls its orders in one transaction,
                    // then thaws it; with nothing resting the whole transaction is refused
                    let (t, g) = (&w.traders[trader], &w.f.guardian);
                    let (class, mint, program) = (&w.c.class, &w.c.mint, &w.c.program);
                    let freeze =
                        harness::builders::freeze_credits(&g.pubkey(), class, mint, &t.credits, program, 1);
                    let has_seat = market_state(&mut ctx, &w.k.market).await.seat_of(&t.pubkey()).is_some();
                    let r = ctx.send(&[freeze, cancel_frozen_orders(&w.k, &t.credits)], &[g]).await;
                    let mine = |o: &Resting| o.trader == trader;
                    if !model.bids.iter().chain(&model.asks).any(mine) {
                        assert_error(
                            &r,
                            if has_seat { CreditsError::OrderNotFound } else { CreditsError::NoSeat },
                        );
                    } else {
                        assert!(r.is_ok(), "step {step}: pull refused: {:?}\n{:#?}", r.result, r.logs);
                        let bids: Vec<Resting> = model.bids.iter().copied().filter(mine).collect();
                        let asks: Vec<Resting> = model.asks.iter().copied().filter(mine).collect();
                        model.bids.retain(|o| !mine(o));
                        model.asks.retain(|o| !mine(o));
                        bids.into_iter().for_each(|o| model.release(true, o));
                        asks.into_iter().for_each(|o| model.release(false, o));
                        let thaw =
                            harness::builders::thaw_credits(&g.pubkey(), class, mint, &t.credits, program, 1);
                        ctx.send(&[thaw], &[g]).await.unwrap();
                        pulls += 1;
                    }
                }
                _ => {
                    let side = if rng.next(2) == 0 { OrderSide::Bid } else { OrderSide::Ask };
                    let order_type = match rng.next(8) {
                        0 => OrderType::PostOnly,
                        1 => OrderType::ImmediateOrCancel,
                        2 => OrderType::FillOrKill,
                        _ => OrderType::Limit,
                    };
                    let expiry = if rng.next(4) == 0 { now + 1 + rng.next(30) as i64 } else { 0 };
                    let args = OrderArgs {
                        side,
                        order_type,
                        price_ticks: 245 + rng.next(11),
                        lots: 1 + rng.next(20),
                        expiry,
                    };
                    let r = w.place(&mut ctx, trader, args).await;
                    let resting_before = model.bids.len() + model.asks.len();
                    let verdict = model.place(trader, args, now);
                    removals += usize::from(model.bids.len() + model.asks.len() < resting_before);
                    refusals += usize::from(verdict.is_err());
                    match verdict {
                        Ok(()) => {
                            assert!(r.is_ok(), "step {step}: {args:?} refused: {:?}\n{:#?}", r.result, r.logs)
                        }
                        Err(Refusal::WouldCross) => assert_error(&r, CreditsError::WouldCross),
                        Err(Refusal::CannotFill) => assert_error(&r, CreditsError::CannotFillCompletely),
                    }
                }
            }
            let (balances, treasury, bids, asks) = observed(&mut ctx, &w).await;
            assert_eq!(balances, model.traders, "seed {seed} step {step}: balances");
            assert_eq!(treasury, model.treasury, "seed {seed} step {step}: fees");
            assert_eq!(bids, sorted(&model.bids, true), "seed {seed} step {step}: bids");
            assert_eq!(asks, sorted(&model.asks, false), "seed {seed} step {step}: asks");
            // every atom in the vaults belongs to a seat
            let vault_credits = ctx.balance(w.k.base_vault).await;
            let vault_quote = ctx.balance(w.k.quote_vault).await;
            assert_eq!(vault_credits, balances.iter().map(|b| b.base_free + b.base_locked).sum::<u64>());
            assert_eq!(vault_quote, balances.iter().map(|b| b.quote_free + b.quote_locked).sum::<u64>());
        }
        // the sequence exercised trading, refusals and orders leaving the book
        assert!(
            model.treasury > treasury0 && refusals > 0 && removals > 0 && pulls > 0,
            "seed {seed}: a dull sequence"
        );
    }
}

#[tokio::test]
async fn a_taker_fills_at_the_best_prices_first_and_both_legs_settle_at_once() {
    let mut ctx = TestContext::start().await;
    let w = MarketWorld::new(&mut ctx, TokenKind::Spl).await;
    // maker 0 asks 10 @ 2.52 then 10 @ 2.50; maker 1 asks 10 @ 2.50 later
    for (t, price) in [(0, 252), (0, 250), (1, 250)] {
        w.place(&mut ctx, t, order(OrderSide::Ask, OrderType::Limit, price, 10)).await.unwrap();
    }
    let taker = &w.traders[2];
    let (credits0, quote0, treasury0) = (
        ctx.balance(taker.credits).await,
        ctx.balance(taker.quote).await,
        ctx.balance(w.k.treasury_quote).await,
    );
    // a bid for 25 up to 2.51 takes both 2.50s (time priority: maker 0 first) and never the 2.52
    w.place(&mut ctx, 2, order(OrderSide::Bid, OrderType::ImmediateOrCancel, 251, 25)).await.unwrap();
    assert_eq!(ctx.balance(taker.credits).await - credits0, 20 * LOT);
    let notional = 20 * 250 * TICK;
    let taker_fee = 20 * fee_per_lot(250, TAKER_FEE_BPS);
    assert_eq!(quote0 - ctx.balance(taker.quote).await, notional + taker_fee);
    let maker_fee = 10 * fee_per_lot(250, MAKER_FEE_BPS);
    assert_eq!(ctx.balance(w.k.treasury_quote).await - treasury0, taker_fee + 2 * maker_fee);
    let m = market_state(&mut ctx, &w.k.market).await;
    let b = book(&m);
    assert_eq!(b.asks.len, 1);
    assert_eq!(b.asks.best().unwrap().price.0, 252);
    assert_eq!(b.bids.len, 0, "an IOC never rests");
    // makers withdraw their proceeds
    let maker = &w.traders[1];
    let before = ctx.balance(maker.quote).await;
    ctx.send(&[settle_funds(&w.k, maker)], &[&maker.key]).await.unwrap();
    assert_eq!(ctx.balance(maker.quote).await - before, 10 * 250 * TICK - maker_fee);
}

#[tokio::test]
async fn post_only_fill_or_kill_cancel_and_expiry() {
    let mut ctx = TestContext::start().await;
    let w = MarketWorld::new(&mut ctx, TokenKind::Spl).await;
    let now = ctx.now().await;
    let ask = OrderArgs { expiry: now + 100, ..order(OrderSide::Ask, OrderType::Limit, 250, 10) };
    w.place(&mut ctx, 0, ask).await.unwrap();
    let keys = [w.k.market, w.k.base_vault, w.k.quote_vault, w.traders[1].quote, w.traders[1].credits];
    // post-only at a crossing price; fill-or-kill beyond what rests
    let before = ctx.snapshot(&keys).await;
    let r = w.place(&mut ctx, 1, order(OrderSide::Bid, OrderType::PostOnly, 250, 1)).await;
    assert_error(&r, CreditsError::WouldCross);
    let r = w.place(&mut ctx, 1, order(OrderSide::Bid, OrderType::FillOrKill, 260, 11)).await;
    assert_error(&r, CreditsError::CannotFillCompletely);
    ctx.assert_unchanged(&before).await;
    // a post-only below the ask rests; its owner cancels it and takes the lock back
    w.place(&mut ctx, 1, order(OrderSide::Bid, OrderType::PostOnly, 249, 4)).await.unwrap();
    let seq = book(&*market_state(&mut ctx, &w.k.market).await).bids.best().unwrap().seq;
    let t1 = &w.traders[1];
    let stranger = &w.traders[2];
    let r =
        ctx.send(&[cancel_order(&w.k, &stranger.pubkey(), OrderSide::Bid, 249, seq)], &[&stranger.key]).await;
    assert_error(&r, CreditsError::NoSeat);
    // a trader with a seat cannot cancel another's order either
    let t0 = &w.traders[0];
    let before = ctx.snapshot(&[w.k.market]).await;
    let r = ctx.send(&[cancel_order(&w.k, &t0.pubkey(), OrderSide::Bid, 249, seq)], &[&t0.key]).await;
    assert_error(&r, CreditsError::OrderNotFound);
    ctx.assert_unchanged(&before).await;
    let quote_before = ctx.balance(t1.quote).await;
    ctx.send(&[cancel_order(&w.k, &t1.pubkey(), OrderSide::Bid, 249, seq)], &[&t1.key]).await.unwrap();
    ctx.send(&[settle_funds(&w.k, t1)], &[&t1.key]).await.unwrap();
    assert_eq!(
        ctx.balance(t1.quote).await,
        quote_before + 4 * (249 * TICK + fee_per_lot(249, MAKER_FEE_BPS))
    );
    let r = ctx.send(&[cancel_order(&w.k, &t1.pubkey(), OrderSide::Bid, 249, seq)], &[&t1.key]).await;
    assert_error(&r, CreditsError::OrderNotFound);
    // after its expiry the ask no longer trades: a taker's bid removes it and rests instead
    ctx.advance_clock(100).await;
    w.place(&mut ctx, 1, order(OrderSide::Bid, OrderType::Limit, 250, 2)).await.unwrap();
    let b = book(&*market_state(&mut ctx, &w.k.market).await);
    assert_eq!((b.asks.len, b.bids.len), (0, 1));
    // and the maker gets its credits back
    let credits_before = ctx.balance(t0.credits).await;
    ctx.send(&[settle_funds(&w.k, t0)], &[&t0.key]).await.unwrap();
    assert_eq!(ctx.balance(t0.credits).await, credits_before + 10 * LOT);
}

#[tokio::test]
async fn frozen_accounts_and_paused_markets_or_classes_refuse() {
    let mut ctx = TestContext::start().await;
    let w = MarketWorld::new(&mut ctx, TokenKind::Token2022).await;
    w.place(&mut ctx, 0, order(OrderSide::Ask, OrderType::Limit, 250, 10)).await.unwrap();
    let (t1, g) = (&w.traders[1], w.f.guardian.pubkey());
    let keys = [w.k.market, w.k.base_vault, w.k.quote_vault, t1.quote, t1.credits];
    // a frozen credit account can neither place nor receive
    ctx.send(
        &[harness::builders::freeze_credits(&g, &w.c.class, &w.c.mint, &t1.credits, &w.c.program, 1)],
        &[&w.f.guardian],
    )
    .await
    .unwrap();
    let before = ctx.snapshot(&keys).await;
    let r = w.place(&mut ctx, 1, order(OrderSide::Bid, OrderType::Limit, 250, 1)).await;
    assert_error(&r, CreditsError::CreditAccountFrozen);
    ctx.assert_unchanged(&before).await;
    ctx.send(
        &[harness::builders::thaw_credits(&g, &w.c.class, &w.c.mint, &t1.credits, &w.c.program, 1)],
        &[&w.f.guardian],
    )
    .await
    .unwrap();
    // a paused market takes no orders, but cancels and withdrawals still work
    ctx.send(&[set_market_paused(&g, &w.k, true)], &[&w.f.guardian]).await.unwrap();
    let before = ctx.snapshot(&keys).await;
    let r = w.place(&mut ctx, 1, order(OrderSide::Bid, OrderType::Limit, 250, 1)).await;
    assert_error(&r, CreditsError::MarketPaused);
    ctx.assert_unchanged(&before).await;
    let r = ctx.send(&[set_market_paused(&g, &w.k, false)], &[&w.f.guardian]).await;
    assert_error(&r, CreditsError::NotAdmin);
    let t0 = &w.traders[0];
    ctx.send(&[cancel_order(&w.k, &t0.pubkey(), OrderSide::Ask, 250, 1)], &[&t0.key]).await.unwrap();
    ctx.send(&[settle_funds(&w.k, t0)], &[&t0.key]).await.unwrap();
    ctx.send(&[set_market_paused(&w.f.admin.pubkey(), &w.k, false)], &[&w.f.admin]).await.unwrap();
    // a paused class: refused by the program (and by Token-2022 itself for any transfer)
    let ix = harness::builders::pause_class(&g, &w.c.class, &w.c.mint, &w.c.program);
    ctx.send(&[ix], &[&w.f.guardian]).await.unwrap();
    let r = w.place(&mut ctx, 1, order(OrderSide::Bid, OrderType::Limit, 250, 1)).await;
    assert_error(&r, CreditsError::ClassPaused);
}

#[tokio::test]
async fn a_frozen_makers_orders_are_pulled_in_the_freezes_transaction() {
    let mut ctx = TestContext::start().await;
    let w = MarketWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (t0, t1) = (&w.traders[0], &w.traders[1]);
    w.place(&mut ctx, 0, order(OrderSide::Ask, OrderType::Limit, 250, 10)).await.unwrap();
    w.place(&mut ctx, 0, order(OrderSide::Bid, OrderType::Limit, 240, 5)).await.unwrap();
    w.place(&mut ctx, 2, order(OrderSide::Ask, OrderType::Limit, 260, 4)).await.unwrap();
    let vaults = [w.k.base_vault, w.k.quote_vault];
    let vaults_before = ctx.snapshot(&vaults).await;
    // the guardian freezes the maker and pulls its orders in one transaction
    let g = &w.f.guardian;
    let freeze =
        harness::builders::freeze_credits(&g.pubkey(), &w.c.class, &w.c.mint, &t0.credits, &w.c.program, 7);
    ctx.send(&[freeze, cancel_frozen_orders(&w.k, &t0.credits)], &[g]).await.unwrap();
    let m = market_state(&mut ctx, &w.k.market).await;
    let b = book(&m);
    assert_eq!(b.bids.len, 0, "the frozen maker's bid is gone");
    let asks: Vec<(u64, u64)> = b.asks.orders().iter().map(|o| (o.price.0, o.lots.0)).collect();
    assert_eq!(asks, vec![(260, 4)], "only the other maker's ask rests");
    let seat = m.seats[m.seat_of(&t0.pubkey()).unwrap()];
    assert_eq!((seat.base_locked, seat.quote_locked), (0, 0));
    assert_eq!(seat.base_free, 10 * LOT);
    assert_eq!(seat.quote_free, 5 * (240 * TICK + fee_per_lot(240, MAKER_FEE_BPS)));
    // nothing left the vaults: the locks are free balances of the seat now
    ctx.assert_unchanged(&vaults_before).await;
    // a taker that would have hit the frozen maker's $2.50 ask fills only the other maker
    let credits_before = ctx.balance(t1.credits).await;
    w.place(&mut ctx, 1, order(OrderSide::Bid, OrderType::ImmediateOrCancel, 260, 10)).await.unwrap();
    assert_eq!(ctx.balance(t1.credits).await, credits_before + 4 * LOT);
    let m = market_state(&mut ctx, &w.k.market).await;
    assert_eq!(m.seats[m.seat_of(&t0.pubkey()).unwrap()], seat, "the frozen maker traded nothing");
    // the frozen account cannot take its credits back; after the thaw it can
    assert_error(&ctx.send(&[settle_funds(&w.k, t0)], &[&t0.key]).await, CreditsError::CreditAccountFrozen);
    let thaw =
        harness::builders::thaw_credits(&g.pubkey(), &w.c.class, &w.c.mint, &t0.credits, &w.c.program, 7);
    ctx.send(&[thaw], &[g]).await.unwrap();
    let credits_before = ctx.balance(t0.credits).await;
    ctx.send(&[settle_funds(&w.k, t0)], &[&t0.key]).await.unwrap();
    assert_eq!(ctx.balance(t0.credits).await, credits_before + 10 * LOT);
}

#[tokio::test]
async fn a_failing_leg_leaves_both_sides_unchanged() {
    let mut ctx = TestContext::start().await;
    let w = MarketWorld::new(&mut ctx, TokenKind::Spl).await;
    w.place(&mut ctx, 0, order(OrderSide::Ask, OrderType::Limit, 250, 10)).await.unwrap();
    // trader 2 empties its quote account: its bid's payment leg fails, so the credit leg and
    // the book do not move either
    let t2 = &w.traders[2];
    let all = ctx.balance(t2.quote).await;
    let ix = anchor_spl::token_2022::spl_token_2022::instruction::transfer_checked(
        &w.f.quote_program,
        &t2.quote,
        &w.f.quote_mint,
        &w.traders[1].quote,
        &t2.pubkey(),
        &[],
        all,
        6,
    )
    .unwrap();
    ctx.send(&[ix], &[&t2.key]).await.unwrap();
    let keys = [w.k.market, w.k.base_vault, w.k.quote_vault, t2.quote, t2.credits, w.k.treasury_quote];
    let before = ctx.snapshot(&keys).await;
    let r = w.place(&mut ctx, 2, order(OrderSide::Bid, OrderType::Limit, 250, 5)).await;
    assert!(r.result.is_err());
    ctx.assert_unchanged(&before).await;
}

#[tokio::test]
async fn seats_are_bounded_and_empty_ones_are_handed_over() {
    let mut ctx = TestContext::start().await;
    let w = MarketWorld::new(&mut ctx, TokenKind::Spl).await;
    // 64 traders each rest one bid: every seat is taken
    let mut bidders = vec![];
    for i in 0..64u64 {
        let t = w.f.user(&mut ctx, &w.c, 10 * 1_000_000).await;
        let ix = place_order(&w.k, &t, order(OrderSide::Bid, OrderType::Limit, 200 + i % 10, 1));
        ctx.send(&[ix], &[&t.key]).await.unwrap();
        bidders.push(t);
    }
    let late = w.f.user(&mut ctx, &w.c, 10 * 1_000_000).await;
    let keys = [w.k.market, late.quote];
    let before = ctx.snapshot(&keys).await;
    let r = ctx
        .send(&[place_order(&w.k, &late, order(OrderSide::Bid, OrderType::Limit, 201, 1))], &[&late.key])
        .await;
    assert_error(&r, CreditsError::SeatsFull);
    ctx.assert_unchanged(&before).await;
    // one of them cancels and withdraws: its empty seat goes to the newcomer
    let first = &bidders[0];
    let seq = book(&*market_state(&mut ctx, &w.k.market).await)
        .bids
        .orders()
        .iter()
        .find(|o| o.price.0 == 200 && compute_credits::state::seat_of_tag(&o.owner) == 0)
        .unwrap()
        .seq;
    ctx.send(&[cancel_order(&w.k, &first.pubkey(), OrderSide::Bid, 200, seq)], &[&first.key]).await.unwrap();
    ctx.send(&[settle_funds(&w.k, first)], &[&first.key]).await.unwrap();
    ctx.send(&[place_order(&w.k, &late, order(OrderSide::Bid, OrderType::Limit, 201, 1))], &[&late.key])
        .await
        .unwrap();
    let m = market_state(&mut ctx, &w.k.market).await;
    assert_eq!(m.seat_of(&late.pubkey()), Some(0));
    assert_eq!(m.seat_of(&first.pubkey()), None);
}

#[tokio::test]
async fn prefunded_vault_addresses_do_not_block_a_market() {
    let mut ctx = TestContext::start().await;
    let w = MarketWorld::new(&mut ctx, TokenKind::Token2022).await;
    let other = w.f.create_class(&mut ctx, TokenKind::Token2022).await;
    let market = ctx.keypair();
    let k = MarketKeys::new(&w.f, &other, market.pubkey());
    let griefer = ctx.payer().pubkey();
    for target in [k.base_vault, k.quote_vault] {
        let ix = anchor_lang::solana_program::system_instruction::transfer(&griefer, &target, 1_000_000);
        ctx.send(&[ix], &[]).await.unwrap();
    }
    let r = create_market_account(&mut ctx, &w.f, &market, &k, market_params()).await;
    assert!(r.is_ok(), "create_market: {:?}", r.result);
    // the vaults work: a maker's ask moves credits into the base vault
    let t = w.f.user(&mut ctx, &other, 100_000 * harness::loans::USD).await;
    w.f.buy(&mut ctx, &other, &t, 10 * LOT).await.unwrap();
    ctx.send(&[place_order(&k, &t, order(OrderSide::Ask, OrderType::Limit, 250, 10))], &[&t.key])
        .await
        .unwrap();
    assert_eq!(ctx.balance(k.base_vault).await, 10 * LOT);
}
