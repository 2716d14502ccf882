//! The order book market: order kinds, settlement of both legs, fees, cancels, expiry, frozen
//! and paused cases, seats. The random-sequence model is in `market_model.rs`.
use compute_credits::error::CreditsError;
use compute_credits::{OrderArgs, OrderSide, OrderType};
use harness::market::*;
use harness::{assert_error, TestContext, TokenKind};
use solana_sdk::signature::Signer;

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
        &[harness::builders::freeze_credits(
            &g,
            &w.c.class,
            &w.c.mint,
            (&t1.pubkey(), &t1.credits),
            &w.c.program,
            1,
        )],
        &[&w.f.guardian],
    )
    .await
    .unwrap();
    let before = ctx.snapshot(&keys).await;
    let r = w.place(&mut ctx, 1, order(OrderSide::Bid, OrderType::Limit, 250, 1)).await;
    assert_error(&r, CreditsError::CreditAccountFrozen);
    ctx.assert_unchanged(&before).await;
    ctx.send(
        &[harness::builders::thaw_credits(
            &g,
            &w.c.class,
            &w.c.mint,
            (&t1.pubkey(), &t1.credits),
            &w.c.program,
            1,
        )],
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
    let freeze = harness::builders::freeze_credits(
        &g.pubkey(),
        &w.c.class,
        &w.c.mint,
        (&t0.pubkey(), &t0.credits),
        &w.c.program,
        7,
    );
    let resting: Vec<u64> = {
        let m = market_state(&mut ctx, &w.k.market).await;
        let b = book(&m);
        let tag = compute_credits::state::seat_tag(m.seat_of(&t0.pubkey()).unwrap());
        b.bids.orders().iter().chain(b.asks.orders()).filter(|o| o.owner == tag).map(|o| o.seq).collect()
    };
    let r = ctx.send(&[freeze, cancel_frozen_orders(&w.k, &t0.credits)], &[g]).await.unwrap();
    // one event per pulled order (on the .so, where the program's logs are recorded), so an
    // indexer rebuilds the book from events alone
    if ctx.mode == harness::Mode::Sbf {
        let removed = harness::events::events::<compute_credits::events::OrderRemoved>(&r.logs);
        let mut seqs: Vec<u64> = removed.iter().map(|e| e.seq).collect();
        seqs.sort_unstable();
        let mut want = resting.clone();
        want.sort_unstable();
        assert_eq!(seqs, want);
        assert!(removed.iter().all(|e| e.owner == t0.pubkey() && e.reason == 3 && e.market == w.k.market));
    } else {
        assert!(r.logs.iter().all(|l| !l.starts_with("Program data: ")), "a builtin records no logs");
    }
    assert_eq!(resting.len(), 2);
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
    // the frozen owner takes its quote back but not its credits; after the thaw it can
    let quote_before = ctx.balance(t0.quote).await;
    ctx.send(&[settle_funds(&w.k, t0)], &[&t0.key]).await.unwrap();
    assert_eq!(ctx.balance(t0.quote).await, quote_before + seat.quote_free);
    let m = market_state(&mut ctx, &w.k.market).await;
    let kept = m.seats[m.seat_of(&t0.pubkey()).unwrap()];
    assert_eq!((kept.base_free, kept.quote_free), (seat.base_free, 0));
    // with only credits left, nothing moves and the refusal says why
    assert_error(&ctx.send(&[settle_funds(&w.k, t0)], &[&t0.key]).await, CreditsError::CreditAccountFrozen);
    let thaw = harness::builders::thaw_credits(
        &g.pubkey(),
        &w.c.class,
        &w.c.mint,
        (&t0.pubkey(), &t0.credits),
        &w.c.program,
        7,
    );
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
