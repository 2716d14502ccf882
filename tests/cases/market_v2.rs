//! Market v2 end to end: orders funded from seat balances, fills settled in place, cancels,
//! batches, the frozen rule, with the vaults equal to the header's totals after every step.
use compute_credits::{MarketAsset, OrderSide, OrderType};
use harness::builders::{freeze_credits, thaw_credits};
use harness::market::{fee_per_lot, LOT, MAKER_FEE_BPS, TICK};
use harness::market_v2::*;
use harness::market_v2_ix::*;
use harness::{assert_error, TestContext, TokenKind};
use solana_sdk::signature::Signer;

const USD: u64 = 1_000_000;

#[tokio::test]
async fn orders_trade_from_seat_balances() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Spl, 2).await;
    w.fund(&mut ctx, 0, 0, 1_000 * USD).await;
    w.fund(&mut ctx, 1, 100 * LOT, 0).await;
    let (t0, t1, s0, s1, k) = (&w.traders[0], &w.traders[1], w.seats[0], w.seats[1], &w.k);
    let wallets = (ctx.balance(t0.quote).await, ctx.balance(t1.credits).await);

    // a resting bid locks price and maker fee
    let ix = place_order_v2(k, &t0.pubkey(), limit_v2(s0, OrderSide::Bid, OrderType::Limit, 250, 10));
    ctx.send(&[ix], &[&t0.key]).await.unwrap();
    assert_vaults_match(&mut ctx, k).await;
    let m = market_v2_state(&mut ctx, &k.market).await;
    let seq = m.bids().orders()[0].seq;
    assert_eq!((m.seats[0].quote_locked.0, m.seats[0].order_count), (bid_lock(250, 10), 1));

    // an IOC ask takes 4 lots at the maker's price, from the seller's balance
    let ix =
        place_order_v2(k, &t1.pubkey(), limit_v2(s1, OrderSide::Ask, OrderType::ImmediateOrCancel, 240, 4));
    ctx.send(&[ix], &[&t1.key]).await.unwrap();
    assert_vaults_match(&mut ctx, k).await;
    let m = market_v2_state(&mut ctx, &k.market).await;
    let notional = 4 * 250 * TICK;
    let (maker_fee, taker_fee) = (4 * fee_per_lot(250, MAKER_FEE_BPS), (notional * 30).div_ceil(10_000));
    assert_eq!(m.seats[1].base_free.0, 96 * LOT);
    assert_eq!(m.seats[1].quote_free.0, notional - taker_fee);
    assert_eq!((m.seats[0].base_free.0, m.seats[0].quote_locked.0), (4 * LOT, bid_lock(250, 6)));
    assert_eq!(m.seats[0].quote_free.0, 1_000 * USD - bid_lock(250, 10));
    assert_eq!(m.header().treasury_fees.0, maker_fee + taker_fee);
    assert_eq!(m.bids().orders()[0].lots.0, 6);
    assert_eq!((ctx.balance(t0.quote).await, ctx.balance(t1.credits).await), wallets, "no token moved");

    // cancelling returns the lock
    ctx.send(&[cancel_order_v2(k, &t0.pubkey(), s0, OrderSide::Bid, 250, seq)], &[&t0.key]).await.unwrap();
    let m = market_v2_state(&mut ctx, &k.market).await;
    assert_eq!((m.seats[0].quote_locked.0, m.seats[0].order_count, m.bids().len), (0, 0, 0));
    assert_vaults_match(&mut ctx, k).await;

    // cancel all, then a batch: cancel all and requote
    for price in [200, 210, 220] {
        let ix =
            place_order_v2(k, &t0.pubkey(), limit_v2(s0, OrderSide::Bid, OrderType::PostOnly, price, 10));
        ctx.send(&[ix], &[&t0.key]).await.unwrap();
    }
    ctx.send(&[cancel_all_orders(k, &t0.pubkey(), s0)], &[&t0.key]).await.unwrap();
    assert_eq!(market_v2_state(&mut ctx, &k.market).await.seats[0].order_count, 0);
    let places =
        vec![post(OrderSide::Bid, 230, 10), post(OrderSide::Bid, 231, 10), post(OrderSide::Ask, 300, 2)];
    ctx.send(&[batch_orders(k, &t0.pubkey(), s0, true, vec![], places.clone())], &[&t0.key]).await.unwrap();
    ctx.send(&[batch_orders(k, &t0.pubkey(), s0, true, vec![], places)], &[&t0.key]).await.unwrap();
    let m = market_v2_state(&mut ctx, &k.market).await;
    assert_eq!((m.seats[0].order_count, m.bids().len, m.asks().len), (3, 2, 1));
    assert_eq!(m.seats[0].quote_locked.0, bid_lock(230, 10) + bid_lock(231, 10));
    assert_eq!(m.seats[0].base_locked.0, 2 * LOT);
    assert_vaults_match(&mut ctx, k).await;

    // everyone leaves with what the seat holds
    ctx.send(&[cancel_all_orders(k, &t0.pubkey(), s0)], &[&t0.key]).await.unwrap();
    let m = market_v2_state(&mut ctx, &k.market).await;
    for (t, seat, s) in [(t0, s0, m.seats[0]), (t1, s1, m.seats[1])] {
        let mut ixs = vec![];
        if s.base_free.0 > 0 {
            ixs.push(withdraw(k, t, seat, MarketAsset::Credits, s.base_free.0));
        }
        if s.quote_free.0 > 0 {
            ixs.push(withdraw(k, t, seat, MarketAsset::Quote, s.quote_free.0));
        }
        ctx.send(&ixs, &[&t.key]).await.unwrap();
    }
    assert_vaults_match(&mut ctx, k).await;
    let h = market_v2_state(&mut ctx, &k.market).await.header();
    assert_eq!(
        (h.base_total.0, h.quote_total.0),
        (0, maker_fee + taker_fee),
        "only the treasury's fees remain"
    );
}

#[tokio::test]
async fn a_frozen_owner_is_pulled_flagged_and_cleared_once_thawed() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Token2022, 2).await;
    w.fund(&mut ctx, 0, 50 * LOT, 500 * USD).await;
    let (t, seat, k) = (&w.traders[0], w.seats[0], &w.k);
    let ask = limit_v2(seat, OrderSide::Ask, OrderType::Limit, 300, 5);
    let bid = limit_v2(seat, OrderSide::Bid, OrderType::Limit, 200, 5);
    ctx.send(&[place_order_v2(k, &t.pubkey(), ask), place_order_v2(k, &t.pubkey(), bid)], &[&t.key])
        .await
        .unwrap();
    // no seat: nothing to pull, nothing changes (the other trader is frozen, holds no order)
    let g = &w.f.guardian;
    let u = w.f.user(&mut ctx, &w.c, 0).await;
    let freeze_u = freeze_credits(
        &g.pubkey(),
        &k.class,
        &k.credit_mint,
        (&u.pubkey(), &u.credits),
        &k.credit_program,
        1,
    );
    ctx.send(&[freeze_u], &[g]).await.unwrap();
    let before = ctx.snapshot(&[k.market]).await;
    ctx.send(&[cancel_frozen_orders_v2(k, &u.credits, &u.pubkey())], &[]).await.unwrap();
    ctx.assert_unchanged(&before).await;

    // the guardian freezes the trader and pulls its orders in the same transaction
    let freeze = freeze_credits(
        &g.pubkey(),
        &k.class,
        &k.credit_mint,
        (&t.pubkey(), &t.credits),
        &k.credit_program,
        1,
    );
    ctx.send(&[freeze, cancel_frozen_orders_v2(k, &t.credits, &t.pubkey())], &[g]).await.unwrap();
    let m = market_v2_state(&mut ctx, &k.market).await;
    let s = m.seats[seat as usize];
    assert_eq!(
        (s.order_count, s.base_locked.0, s.quote_locked.0, m.bids().len, m.asks().len),
        (0, 0, 0, 0, 0)
    );
    assert!(compute_credits::state::seat_is_frozen(&s));
    assert_vaults_match(&mut ctx, k).await;
    // pulling again changes nothing
    let before = ctx.snapshot(&[k.market]).await;
    ctx.send(&[cancel_frozen_orders_v2(k, &t.credits, &t.pubkey())], &[]).await.unwrap();
    ctx.assert_unchanged(&before).await;
    // flagged: no asks, no credit withdrawals; bids and quote still go
    let r = ctx.send(&[place_order_v2(k, &t.pubkey(), ask)], &[&t.key]).await;
    assert_error(&r, compute_credits::error::CreditsError::SeatFrozen);
    ctx.send(&[place_order_v2(k, &t.pubkey(), bid)], &[&t.key]).await.unwrap();
    ctx.send(&[withdraw(k, t, seat, MarketAsset::Quote, USD)], &[&t.key]).await.unwrap();
    // still held: the flag stays
    let r = ctx.send(&[clear_seat_freeze(k, &t.pubkey(), seat)], &[]).await;
    assert_error(&r, compute_credits::error::CreditsError::OwnerUnderHold);
    // thawed: still flagged until cleared, then credits leave
    let thaw =
        thaw_credits(&g.pubkey(), &k.class, &k.credit_mint, (&t.pubkey(), &t.credits), &k.credit_program, 1);
    ctx.send(&[thaw], &[g]).await.unwrap();
    let r = ctx.send(&[withdraw(k, t, seat, MarketAsset::Credits, LOT)], &[&t.key]).await;
    assert_error(&r, compute_credits::error::CreditsError::SeatFrozen);
    ctx.send(&[clear_seat_freeze(k, &t.pubkey(), seat)], &[]).await.unwrap();
    ctx.send(&[withdraw(k, t, seat, MarketAsset::Credits, LOT)], &[&t.key]).await.unwrap();
    ctx.send(&[place_order_v2(k, &t.pubkey(), ask)], &[&t.key]).await.unwrap();
    let r = ctx.send(&[clear_seat_freeze(k, &t.pubkey(), seat)], &[]).await;
    assert_error(&r, compute_credits::error::CreditsError::SeatNotFrozen);
    assert_vaults_match(&mut ctx, k).await;
}
