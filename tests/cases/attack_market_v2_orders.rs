//! The v2 order instructions attacked (`place_order_v2`, `cancel_order_v2`,
//! `cancel_all_orders`, `batch_orders`, `cancel_frozen_orders_v2`, `clear_seat_freeze`,
//! `set_market_v2_paused`): each refused with its named error and nothing changed.
use anchor_lang::error::ErrorCode as AnchorError;
use compute_credits::error::CreditsError;
use compute_credits::{CancelArgs, OrderSide, OrderType};
use harness::builders::{freeze_credits, pause_class, replace_account, resume_class, without_signer};
use harness::market::LOT;
use harness::market_v2::*;
use harness::market_v2_ix::*;
use harness::{TestContext, TokenKind};
use solana_sdk::signature::Signer;

use harness::refused;

const USD: u64 = 1_000_000;
use OrderSide::{Ask, Bid};
use OrderType::{FillOrKill, ImmediateOrCancel, Limit, PostOnly};

#[tokio::test]
async fn place_cancel_and_batch_attacks() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Spl, 3).await;
    w.fund(&mut ctx, 0, 100 * LOT, 1_000 * USD).await;
    w.fund(&mut ctx, 1, 100 * LOT, 1_000 * USD).await;
    let (t, seat, u, k) = (&w.traders[0], w.seats[0], &w.traders[1], &w.k);
    // a resting ask at 300 (10 lots) of u, a resting bid at 200 of t
    let ix = place_order_v2(k, &u.pubkey(), limit_v2(w.seats[1], Ask, Limit, 300, 10));
    ctx.send(&[ix], &[&u.key]).await.unwrap();
    let ix = place_order_v2(k, &t.pubkey(), limit_v2(seat, Bid, Limit, 200, 10));
    ctx.send(&[ix], &[&t.key]).await.unwrap();
    let m = market_v2_state(&mut ctx, &k.market).await;
    let (bid_seq, ask_seq) = (m.bids().orders()[0].seq, m.asks().orders()[0].seq);
    let keys = [k.market, k.class];
    let place = |args| place_order_v2(k, &t.pubkey(), args);
    let bid = limit_v2(seat, Bid, Limit, 250, 10);
    for (ix, code) in [
        // another's seat, a seat that does not exist
        (place(limit_v2(w.seats[1], Bid, Limit, 250, 10)), CreditsError::NotSeatOwner),
        (place(limit_v2(99, Bid, Limit, 250, 10)), CreditsError::NoSeat),
        // more than the balance: a bid's lock, an ask's credits, a taker's cost
        (place(limit_v2(seat, Bid, Limit, 250, 5_000)), CreditsError::InsufficientBalance),
        (place(limit_v2(seat, Ask, Limit, 400, 101)), CreditsError::InsufficientBalance),
        // post-only crossing, fill-or-kill short, below the minimum notional, nothing
        (place(limit_v2(seat, Bid, PostOnly, 300, 1)), CreditsError::WouldCross),
        (place(limit_v2(seat, Bid, FillOrKill, 300, 11)), CreditsError::CannotFillCompletely),
        (place(limit_v2(seat, Bid, Limit, 50, 1)), CreditsError::BelowMinimumNotional),
        (place(limit_v2(seat, Bid, Limit, 250, 0)), CreditsError::InvalidOrder),
        (place(limit_v2(seat, Bid, ImmediateOrCancel, 0, 1)), CreditsError::InvalidOrder),
        // another class's account in the class's place
        (replace_account(place(bid), &k.class, &w.f.platform), CreditsError::WrongClass),
        // cancels: another's seat, an order that is not there, another seat's order
        (cancel_order_v2(k, &t.pubkey(), w.seats[1], Ask, 300, ask_seq), CreditsError::NotSeatOwner),
        (cancel_order_v2(k, &t.pubkey(), seat, Bid, 200, bid_seq + 7), CreditsError::OrderNotFound),
        (cancel_order_v2(k, &t.pubkey(), seat, Ask, 300, ask_seq), CreditsError::OrderNotFound),
        (cancel_all_orders(k, &t.pubkey(), w.seats[1]), CreditsError::NotSeatOwner),
        // a batch whose last part refuses undoes the earlier ones
        (
            batch_orders(k, &t.pubkey(), seat, true, vec![], vec![post(Bid, 210, 10), post(Bid, 300, 1)]),
            CreditsError::WouldCross,
        ),
        (
            batch_orders(
                k,
                &t.pubkey(),
                seat,
                false,
                vec![CancelArgs { side: Bid, price_ticks: 200, seq: bid_seq }],
                vec![post(Bid, 220, 10_000)],
            ),
            CreditsError::InsufficientBalance,
        ),
        (batch_orders(k, &t.pubkey(), w.seats[1], true, vec![], vec![]), CreditsError::NotSeatOwner),
    ] {
        refused(&mut ctx, ix, &[&t.key], code, &keys).await;
    }
    // the market in the wrong place, no signature
    refused(
        &mut ctx,
        replace_account(place(bid), &k.market, &k.class),
        &[&t.key],
        AnchorError::AccountDiscriminatorMismatch,
        &keys,
    )
    .await;
    refused(&mut ctx, without_signer(place(bid), &t.pubkey()), &[], AnchorError::AccountNotSigner, &keys)
        .await;
    let ix = without_signer(cancel_all_orders(k, &t.pubkey(), seat), &t.pubkey());
    refused(&mut ctx, ix, &[], AnchorError::AccountNotSigner, &keys).await;

    // a paused class: no orders; cancels (and batches of cancels only) stay open
    let (g, a) = (&w.f.guardian, &w.f.admin);
    ctx.send(&[pause_class(&g.pubkey(), &k.class, &k.credit_mint, &k.credit_program)], &[g]).await.unwrap();
    refused(&mut ctx, place(bid), &[&t.key], CreditsError::ClassPaused, &keys).await;
    let ix = batch_orders(k, &t.pubkey(), seat, true, vec![], vec![post(Bid, 210, 10)]);
    refused(&mut ctx, ix, &[&t.key], CreditsError::ClassPaused, &keys).await;
    let ix = batch_orders(
        k,
        &t.pubkey(),
        seat,
        false,
        vec![CancelArgs { side: Bid, price_ticks: 200, seq: bid_seq }],
        vec![],
    );
    ctx.send(&[ix], &[&t.key]).await.unwrap();
    ctx.send(&[resume_class(&a.pubkey(), &k.class, &k.credit_mint, &k.credit_program)], &[a]).await.unwrap();
    // a paused market, likewise; only the admin or guardian pauses, only the admin resumes
    refused(
        &mut ctx,
        set_market_v2_paused(&t.pubkey(), k, true),
        &[&t.key],
        CreditsError::NotAdminOrGuardian,
        &keys,
    )
    .await;
    ctx.send(&[set_market_v2_paused(&g.pubkey(), k, true)], &[g]).await.unwrap();
    refused(&mut ctx, set_market_v2_paused(&g.pubkey(), k, false), &[g], CreditsError::NotAdmin, &keys).await;
    refused(&mut ctx, place(bid), &[&t.key], CreditsError::MarketPaused, &keys).await;
    ctx.send(&[cancel_all_orders(k, &u.pubkey(), w.seats[1])], &[&u.key]).await.unwrap();
    ctx.send(&[set_market_v2_paused(&a.pubkey(), k, false)], &[a]).await.unwrap();
    ctx.send(&[place(bid)], &[&t.key]).await.unwrap();
    assert_vaults_match(&mut ctx, k).await;
}

#[tokio::test]
async fn per_seat_cap_and_frozen_rule_attacks() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Spl, 2).await;
    w.fund(&mut ctx, 0, 100 * LOT, 1_000 * USD).await;
    let (t, seat, k) = (&w.traders[0], w.seats[0], &w.k);
    for i in 0..u64::from(MAX_ORDERS_PER_SEAT) {
        let ix = place_order_v2(k, &t.pubkey(), limit_v2(seat, Bid, Limit, 100 + i, 10));
        ctx.send(&[ix], &[&t.key]).await.unwrap();
    }
    let ix = place_order_v2(k, &t.pubkey(), limit_v2(seat, Bid, Limit, 150, 10));
    refused(&mut ctx, ix, &[&t.key], CreditsError::TooManyOrders, &[k.market]).await;
    let ix = batch_orders(k, &t.pubkey(), seat, false, vec![], vec![post(Bid, 151, 10)]);
    refused(&mut ctx, ix, &[&t.key], CreditsError::TooManyOrders, &[k.market]).await;

    // the pull wants a frozen account of this class, and the owner's own seat record
    let ix = cancel_frozen_orders_v2(k, &t.credits, &t.pubkey());
    refused(&mut ctx, ix, &[], CreditsError::CreditAccountNotFrozen, &[k.market]).await;
    let other = w.f.create_class(&mut ctx, TokenKind::Spl).await;
    let foreign = w.f.user(&mut ctx, &other, 0).await;
    let ix = cancel_frozen_orders_v2(k, &foreign.credits, &foreign.pubkey());
    refused(&mut ctx, ix, &[], CreditsError::WrongClass, &[k.market]).await;
    let g = &w.f.guardian;
    let freeze = freeze_credits(
        &g.pubkey(),
        &k.class,
        &k.credit_mint,
        (&t.pubkey(), &t.credits),
        &k.credit_program,
        1,
    );
    ctx.send(&[freeze], &[g]).await.unwrap();
    let u = &w.traders[1];
    let ix = replace_account(
        cancel_frozen_orders_v2(k, &t.credits, &t.pubkey()),
        &seat_record(&k.market, &t.pubkey()),
        &seat_record(&k.market, &u.pubkey()),
    );
    refused(&mut ctx, ix, &[], AnchorError::ConstraintSeeds, &[k.market]).await;
    ctx.send(&[cancel_frozen_orders_v2(k, &t.credits, &t.pubkey())], &[]).await.unwrap();
    // flagged: an ask, a batch with an ask, a credit withdrawal are refused
    let ix = place_order_v2(k, &t.pubkey(), limit_v2(seat, Ask, Limit, 300, 10));
    refused(&mut ctx, ix, &[&t.key], CreditsError::SeatFrozen, &[k.market]).await;
    let ix = batch_orders(k, &t.pubkey(), seat, false, vec![], vec![post(Bid, 101, 10), post(Ask, 300, 10)]);
    refused(&mut ctx, ix, &[&t.key], CreditsError::SeatFrozen, &[k.market]).await;
    // clearing: a seat that does not exist, someone else's holds record, still held
    refused(&mut ctx, clear_seat_freeze(k, &t.pubkey(), 9), &[], CreditsError::NoSeat, &[k.market]).await;
    let ix = replace_account(
        clear_seat_freeze(k, &t.pubkey(), seat),
        &harness::builders::owner_holds_pda(&k.credit_mint, &t.pubkey()),
        &harness::builders::owner_holds_pda(&k.credit_mint, &u.pubkey()),
    );
    refused(&mut ctx, ix, &[], CreditsError::WrongHoldAccount, &[k.market]).await;
    refused(
        &mut ctx,
        clear_seat_freeze(k, &t.pubkey(), seat),
        &[],
        CreditsError::OwnerUnderHold,
        &[k.market],
    )
    .await;
    refused(
        &mut ctx,
        clear_seat_freeze(k, &u.pubkey(), w.seats[1]),
        &[],
        CreditsError::SeatNotFrozen,
        &[k.market],
    )
    .await;
}
