//! The market instructions' representative cases for the compute-unit table, each measured
//! with 10 and with 500 resting orders: the book's cost must not grow with its depth.
use compute_credits::{OrderSide, OrderType};
use solana_sdk::signature::Signer;

use crate::bench::{measure, Measurement};
use crate::context::TestContext;
use crate::fixtures::TokenKind;
use crate::market::*;

/// Fills the book to `depth` resting orders, half bids below 250 ticks, half asks above.
async fn fill_book(ctx: &mut TestContext, w: &MarketWorld, from: usize, depth: usize) {
    for i in from..depth {
        let (side, price) = if i % 2 == 0 {
            (OrderSide::Bid, 200 + (i as u64 * 7) % 45)
        } else {
            (OrderSide::Ask, 255 + (i as u64 * 7) % 45)
        };
        let r = w.place(ctx, i % 3, order(side, OrderType::Limit, price, 1)).await;
        assert!(r.is_ok(), "resting order {i}: {:?}", r.result);
    }
}

pub async fn measure_market(mode: crate::Mode) -> Vec<Measurement> {
    let mut out = vec![];
    let ctx = &mut TestContext::start_in(mode).await;
    let w = MarketWorld::new(ctx, TokenKind::Token2022).await;
    let mut placed = 0;
    for (depth, names) in [
        (
            10,
            [
                "place_order (rests, 10 resting)",
                "place_order (takes 1 fill, 10 resting)",
                "cancel_order (own order, 10 resting)",
            ],
        ),
        (
            500,
            [
                "place_order (rests, 500 resting)",
                "place_order (takes 1 fill, 500 resting)",
                "cancel_order (own order, 500 resting)",
            ],
        ),
    ] {
        fill_book(ctx, &w, placed, depth).await;
        placed = depth;
        // a bid between the sides rests in the middle of the book's order
        let r = w.place(ctx, 0, order(OrderSide::Bid, OrderType::Limit, 222, 1)).await;
        out.push(measure(names[0], &r));
        let seq = book(&*market_state(ctx, &w.k.market).await).next_seq - 1;
        // an IOC bid takes the best ask
        let r = w.place(ctx, 1, order(OrderSide::Bid, OrderType::ImmediateOrCancel, 300, 1)).await;
        out.push(measure(names[1], &r));
        let t = &w.traders[0];
        let r = ctx.send(&[cancel_order(&w.k, &t.pubkey(), OrderSide::Bid, 222, seq)], &[&t.key]).await;
        out.push(measure(names[2], &r));
        // keep the depth: one more ask replaces the one taken
        fill_book(ctx, &w, depth, depth + 1).await;
    }
    // the guardian blocks trader 2 (a third of the 500 resting orders) and pulls its orders
    let (g, t) = (&w.f.guardian, &w.traders[2]);
    let ix = crate::builders::freeze_credits(
        &g.pubkey(),
        &w.c.class,
        &w.c.mint,
        (&t.pubkey(), &t.credits),
        &w.c.program,
        1,
    );
    ctx.send(&[ix], &[g]).await.result.unwrap();
    let r = ctx.send(&[cancel_frozen_orders(&w.k, &t.credits)], &[]).await;
    out.push(measure("cancel_frozen_orders (a third of 500 resting)", &r));
    let t = &w.traders[1];
    let r = ctx.send(&[settle_funds(&w.k, t)], &[&t.key]).await;
    out.push(measure("settle_funds", &r));
    let g = &w.f.guardian;
    let r = ctx.send(&[set_market_paused(&g.pubkey(), &w.k, true)], &[g]).await;
    out.push(measure("set_market_paused", &r));
    // creating a market: measured on its own transaction (allocation + initialisation)
    let other = w.f.create_class(ctx, TokenKind::Token2022).await;
    let market = ctx.keypair();
    let k = MarketKeys::new(&w.f, &other, market.pubkey());
    let r = create_market_account(ctx, &w.f, &market, &k, market_params()).await;
    out.push(measure("create_market (with the account allocation)", &r));
    out
}
