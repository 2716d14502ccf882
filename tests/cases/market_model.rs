//! A reference model of the market (plain vectors, the best order found by scanning, balances
//! moved by hand) that checks the on-chain book, every balance and the fees over random
//! sequences of orders, cancels, withdrawals, freezes and time.
use compute_credits::error::CreditsError;
use compute_credits::{OrderArgs, OrderSide, OrderType};
use harness::market::*;
use harness::{assert_error, TestContext, TokenKind};
use solana_sdk::signature::Signer;

/// `MAX_MATCH_STEPS`: resting orders one order may visit.
const STEPS: usize = 16;

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
                    // then thaws it; with nothing resting the pull is a no-op
                    let (t, g) = (&w.traders[trader], &w.f.guardian);
                    let (class, mint, program) = (&w.c.class, &w.c.mint, &w.c.program);
                    let freeze = harness::builders::freeze_credits(
                        &g.pubkey(),
                        class,
                        mint,
                        (&t.pubkey(), &t.credits),
                        program,
                        1,
                    );
                    let r = ctx.send(&[freeze, cancel_frozen_orders(&w.k, &t.credits)], &[g]).await;
                    assert!(r.is_ok(), "step {step}: pull refused: {:?}\n{:#?}", r.result, r.logs);
                    let mine = |o: &Resting| o.trader == trader;
                    {
                        let bids: Vec<Resting> = model.bids.iter().copied().filter(mine).collect();
                        let asks: Vec<Resting> = model.asks.iter().copied().filter(mine).collect();
                        model.bids.retain(|o| !mine(o));
                        model.asks.retain(|o| !mine(o));
                        bids.into_iter().for_each(|o| model.release(true, o));
                        asks.into_iter().for_each(|o| model.release(false, o));
                        let thaw = harness::builders::thaw_credits(
                            &g.pubkey(),
                            class,
                            mint,
                            (&t.pubkey(), &t.credits),
                            program,
                            1,
                        );
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
