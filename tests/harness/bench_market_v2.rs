//! Market v2's representative cases for the compute-unit table, each measured with 10
//! resting orders and at full capacity (both sides full: 512): the cost must not grow with
//! the book's depth (`cu_budgets` holds each pair within 20%).
use compute_credits::state::V2_BOOK_CAPACITY;
use compute_credits::{MarketAsset, OrderSide, OrderType};
use solana_sdk::signature::Signer;

use crate::bench::{measure, Measurement};
use crate::context::TestContext;
use crate::fixtures::TokenKind;
use crate::loans::USD;
use crate::market::LOT;
use crate::market_v2::*;
use crate::market_v2_ix::*;

/// The market maker's ten orders (5 bids, 5 asks): the whole book at depth 10.
fn quotes() -> Vec<compute_credits::BatchPlaceArgs> {
    let bids = (0..5).map(|i| post(OrderSide::Bid, 210 + i, 1));
    bids.chain((0..5).map(|i| post(OrderSide::Ask, 280 + i, 1))).collect()
}

/// Adds resting orders of the filler seats until both sides hold `depth / 2` orders: bids at
/// $2.00-$2.44, asks at $2.55-$2.99, one lot each.
async fn fill_to(ctx: &mut TestContext, w: &V2World, fillers: &[usize], depth: usize) {
    let m = market_v2_state(ctx, &w.k.market).await;
    let (mut bids, mut asks) = (m.bids().len as usize, m.asks().len as usize);
    let mut counts: Vec<u32> = fillers.iter().map(|&i| m.seats[w.seats[i] as usize].order_count).collect();
    let mut n = (m.header().next_order_seq) as usize;
    while bids < depth / 2 || asks < depth / 2 {
        let f = counts.iter().position(|&c| c + 2 <= MAX_ORDERS_PER_SEAT).expect("filler seats left");
        let (t, seat) = (&w.traders[fillers[f]], w.seats[fillers[f]]);
        let mut ixs = vec![];
        for _ in 0..2 {
            let (side, price) = if bids < depth / 2 {
                bids += 1;
                (OrderSide::Bid, 200 + (n as u64 * 7) % 45)
            } else if asks < depth / 2 {
                asks += 1;
                (OrderSide::Ask, 255 + (n as u64 * 7) % 45)
            } else {
                break;
            };
            n += 1;
            ixs.push(place_order_v2(&w.k, &t.pubkey(), limit_v2(seat, side, OrderType::Limit, price, 1)));
        }
        counts[f] += ixs.len() as u32;
        let r = ctx.send(&ixs, &[&t.key]).await;
        assert!(r.is_ok(), "resting orders: {:?}", r.result);
    }
}

/// The seat's resting orders (it must have ten: its quotes), as a batch's cancel list.
async fn own_orders(
    ctx: &mut TestContext,
    k: &crate::market::MarketKeys,
    seat: u32,
) -> Vec<compute_credits::CancelArgs> {
    let m = market_v2_state(ctx, &k.market).await;
    let (bids, asks) = (m.bids(), m.asks());
    let sides = [(OrderSide::Bid, bids.orders()), (OrderSide::Ask, asks.orders())];
    let list: Vec<_> = sides
        .iter()
        .flat_map(|(side, orders)| {
            orders.iter().filter(|o| o.seat == seat).map(|o| compute_credits::CancelArgs {
                side: *side,
                price_ticks: o.price.0,
                seq: o.seq,
            })
        })
        .collect();
    assert_eq!(list.len(), 10, "the market maker rests its ten quotes");
    list
}

/// The market maker puts its ten quotes back (takers may have filled some), unmeasured.
async fn requote(
    ctx: &mut TestContext,
    k: &crate::market::MarketKeys,
    mk: &crate::fixtures::User,
    seat: u32,
) {
    let r = ctx.send(&[batch_orders(k, &mk.pubkey(), seat, true, vec![], quotes())], &[&mk.key]).await;
    assert!(r.is_ok(), "requote: {:?}", r.result);
}

pub async fn measure_market_v2(mode: crate::Mode) -> Vec<Measurement> {
    let mut out = vec![];
    let ctx = &mut TestContext::start_in(mode).await;
    let mut w = V2World::new(ctx, TokenKind::Token2022, 0).await;
    let t = w.f.user(ctx, &w.c, 100_000 * USD).await;
    w.f.buy(ctx, &w.c, &t, 1_000 * LOT).await.unwrap();
    let r = ctx.send(&[claim_seat(&w.k, &t.pubkey())], &[&t.key]).await;
    out.push(measure("claim_seat", &r));
    w.traders.push(t);
    w.seats.push(0);
    let (m, mm) = (0, w.add_trader(ctx).await);
    w.fund(ctx, m, 500 * LOT, 10_000 * USD).await;
    w.fund(ctx, mm, 500 * LOT, 10_000 * USD).await;
    let mut fillers = vec![];
    for _ in 0..V2_BOOK_CAPACITY * 2 / MAX_ORDERS_PER_SEAT as usize + 1 {
        let i = w.add_trader(ctx).await;
        w.fund(ctx, i, 20 * LOT, 100 * USD).await;
        fillers.push(i);
    }
    let taker = w.f.user(ctx, &w.c, 10_000 * USD).await;
    let (k, t, seat, mk, mseat) = (w.k, w.traders[m].clone(), w.seats[m], w.traders[mm].clone(), w.seats[mm]);
    ctx.send(&[batch_orders(&k, &mk.pubkey(), mseat, false, vec![], quotes())], &[&mk.key]).await.unwrap();
    for (depth, label) in [(10, "10 resting"), (2 * V2_BOOK_CAPACITY, "512 resting, full")] {
        let name = |op: &str| -> &'static str { Box::leak(format!("{op}, {label})").into_boxed_str()) };
        fill_to(ctx, &w, &fillers, depth).await;
        // a bid between the sides rests (at full capacity: evicting the worst bid)
        let ix = place_order_v2(&k, &t.pubkey(), limit_v2(seat, OrderSide::Bid, OrderType::Limit, 222, 1));
        let r = ctx.send(&[ix], &[&t.key]).await;
        out.push(measure(name("place_order_v2 (rests from balance"), &r));
        let state = market_v2_state(ctx, &k.market).await;
        let own = state.bids().orders().iter().find(|o| o.seat == seat).copied().expect("the bid rests");
        let ix = cancel_order_v2(&k, &t.pubkey(), seat, OrderSide::Bid, 222, own.seq);
        let r = ctx.send(&[ix], &[&t.key]).await;
        out.push(measure(name("cancel_order_v2 (own order"), &r));
        fill_to(ctx, &w, &fillers, depth).await;
        // an IOC bid takes the best ask, then one that takes the five best
        for (lots, op) in [
            (1, "place_order_v2 (takes 1 fill from balance"),
            (5, "place_order_v2 (takes 5 fills from balance"),
        ] {
            let ix = place_order_v2(
                &k,
                &t.pubkey(),
                limit_v2(seat, OrderSide::Bid, OrderType::ImmediateOrCancel, 299, lots),
            );
            let r = ctx.send(&[ix], &[&t.key]).await;
            out.push(measure(name(op), &r));
            requote(ctx, &k, &mk, mseat).await;
            fill_to(ctx, &w, &fillers, depth).await;
        }
        // a swap that buys the best ask: its price and the taker fee
        let best = market_v2_state(ctx, &k.market).await.asks().best().copied().expect("asks rest");
        let cost = best.price.0 * crate::market::TICK;
        let ix = swap(&k, &taker, OrderSide::Bid, cost + (cost * 30).div_ceil(10_000), LOT, best.price.0);
        let r = ctx.send(&[ix], &[&taker.key]).await;
        out.push(measure(name("swap (1 fill"), &r));
        requote(ctx, &k, &mk, mseat).await;
        fill_to(ctx, &w, &fillers, depth).await;
        // the market maker requotes: cancels its ten orders, named by (side, price, sequence
        // number): a binary search each, so flat in the book's depth; places ten
        let ix = batch_orders(&k, &mk.pubkey(), mseat, false, own_orders(ctx, &k, mseat).await, quotes());
        let r = ctx.send(&[ix], &[&mk.key]).await;
        out.push(measure(name("batch_orders (cancel its 10 + place 10"), &r));
        if depth > 10 {
            // the same with the `cancel_all` flag: one pass over both sides (O(book))
            let ix = batch_orders(&k, &mk.pubkey(), mseat, true, vec![], quotes());
            let r = ctx.send(&[ix], &[&mk.key]).await;
            out.push(measure(
                "batch_orders (cancel_all flag + place 10, 512 resting, full: scans the book)",
                &r,
            ));
        }
        for (ix, op) in [
            (deposit(&k, &t, seat, MarketAsset::Credits, LOT), "deposit (credits"),
            (deposit(&k, &t, seat, MarketAsset::Quote, USD), "deposit (quote"),
            (withdraw(&k, &t, seat, MarketAsset::Credits, LOT), "withdraw (credits"),
            (withdraw(&k, &t, seat, MarketAsset::Quote, USD), "withdraw (quote"),
        ] {
            let r = ctx.send(&[ix], &[&t.key]).await;
            out.push(measure(name(op), &r));
        }
    }
    let r = ctx.send(&[cancel_all_orders(&k, &mk.pubkey(), mseat)], &[&mk.key]).await;
    out.push(measure("cancel_all_orders (10 orders, 512 resting)", &r));
    // the guardian freezes a filler (16 resting orders) and pulls them
    let (g, f) = (&w.f.guardian, &w.traders[fillers[0]]);
    let ix = crate::builders::freeze_credits(
        &g.pubkey(),
        &k.class,
        &k.credit_mint,
        (&f.pubkey(), &f.credits),
        &k.credit_program,
        1,
    );
    ctx.send(&[ix], &[g]).await.unwrap();
    let r = ctx.send(&[cancel_frozen_orders_v2(&k, &f.credits, &f.pubkey())], &[]).await;
    out.push(measure("cancel_frozen_orders_v2 (16 orders, full book)", &r));
    let fees = market_v2_state(ctx, &k.market).await.header().treasury_fees.0;
    let r = ctx.send(&[withdraw_market_fees(&k, &w.f.treasury_quote, fees)], &[]).await;
    out.push(measure("withdraw_market_fees", &r));
    // creating a market: its own transaction (allocation + initialisation)
    let other = w.f.create_class(ctx, TokenKind::Token2022).await;
    let market = ctx.keypair();
    let k2 = market_v2_keys(&w.f, &other, market.pubkey());
    let r = create_market_v2_account(ctx, &w.f.admin, &market, &k2, market_v2_params()).await;
    out.push(measure("create_market_v2 (with the account allocation)", &r));
    out
}
