//! `prune_expired`, the permissionless crank that clears expired orders from a side of a v2
//! market: their locks return to their seats' free balances (one `OrderRemovedV2`, reason 1
//! expired, each; decoded on the `.so`), unexpired orders are never touched, and a call with
//! nothing expired is refused and changes nothing.
use anchor_lang::error::ErrorCode as AnchorError;
use compute_credits::error::CreditsError;
use compute_credits::events_v2::OrderRemovedV2;
use compute_credits::{OrderSide, OrderType, PlaceOrderV2Args};
use harness::loan_sales::*;
use harness::loans::*;
use harness::market::LOT;
use harness::market_v2::market_v2_state;
use harness::market_v2_ix::*;
use harness::{assert_error, Mode, TestContext, TokenKind};
use solana_sdk::signature::Signer;

fn expiring(seat: u32, side: OrderSide, price: u64, lots: u64, expiry: i64) -> PlaceOrderV2Args {
    PlaceOrderV2Args { expiry, ..limit_v2(seat, side, OrderType::Limit, price, lots) }
}

#[tokio::test]
async fn the_crank_frees_expired_orders_only_and_refuses_when_none_expired() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Token2022, 2).await;
    let k = &w.k;
    w.fund(&mut ctx, 0, 0, 10_000 * USD).await;
    w.fund(&mut ctx, 1, 0, 10_000 * USD).await;
    let (a, b) = (&w.traders[0], &w.traders[1]);
    let (sa, sb) = (w.seats[0], w.seats[1]);
    let now = ctx.now().await;
    let bids = [(a, sa, 240, now + 100), (b, sb, 241, 0), (a, sa, 242, now + 200), (b, sb, 243, now + 100)];
    for (t, seat, price, expiry) in bids {
        let ix = place_order_v2(k, &t.pubkey(), expiring(seat, OrderSide::Bid, price, 10, expiry));
        ctx.send(&[ix], &[&t.key]).await.unwrap();
    }
    let cranker = ctx.funded_keypair(1_000_000_000).await;
    let keys = [k.market];
    // nothing has expired yet; no ask at all; a limit of zero
    for (side, max, error) in [
        (OrderSide::Bid, 8, CreditsError::NothingToPrune),
        (OrderSide::Ask, 8, CreditsError::NothingToPrune),
        (OrderSide::Bid, 0, CreditsError::ZeroAmount),
    ] {
        let before = ctx.snapshot(&keys).await;
        assert_error(&ctx.send(&[prune_expired(k, side, max)], &[&cranker]).await, error);
        ctx.assert_unchanged(&before).await;
    }
    // another account in place of the market
    let ix = harness::builders::replace_account(prune_expired(k, OrderSide::Bid, 8), &k.market, &k.class);
    let before = ctx.snapshot(&keys).await;
    assert_error(&ctx.send(&[ix], &[&cranker]).await, AnchorError::AccountDiscriminatorMismatch);
    ctx.assert_unchanged(&before).await;

    // past the first expiry: two orders expired; a limit of one takes the worst (240) first
    ctx.advance_clock(100).await;
    let m0 = market_v2_state(&mut ctx, &k.market).await;
    let r = ctx.send(&[prune_expired(k, OrderSide::Bid, 1)], &[&cranker]).await;
    assert!(r.is_ok(), "{:?}", r.result);
    if ctx.mode == Mode::Sbf {
        let removed: Vec<OrderRemovedV2> = harness::events::events(&r.logs);
        assert_eq!(removed.len(), 1);
        assert_eq!((removed[0].price, removed[0].lots, removed[0].reason, removed[0].seat), (240, 10, 1, sa));
    }
    let m1 = market_v2_state(&mut ctx, &k.market).await;
    let prices: Vec<u64> = m1.bids().orders().iter().map(|o| o.price.0).collect();
    assert_eq!(prices, vec![241, 242, 243]);
    let (s0, s1) = (m0.seats[sa as usize], m1.seats[sa as usize]);
    assert_eq!(s1.quote_free.0 - s0.quote_free.0, bid_lock(240, 10));
    assert_eq!(s0.quote_locked.0 - s1.quote_locked.0, bid_lock(240, 10));
    assert_eq!(s1.order_count, s0.order_count - 1);
    // a large limit is clamped and takes only what has expired: 243; 241 (no expiry) and 242
    // (later) stay
    ctx.send(&[prune_expired(k, OrderSide::Bid, u32::MAX)], &[&cranker]).await.unwrap();
    let m2 = market_v2_state(&mut ctx, &k.market).await;
    assert_eq!(m2.bids().orders().iter().map(|o| o.price.0).collect::<Vec<_>>(), vec![241, 242]);
    assert_eq!(m2.seats[sb as usize].quote_free.0 - m1.seats[sb as usize].quote_free.0, bid_lock(243, 10));
    let before = ctx.snapshot(&keys).await;
    let r = ctx.send(&[prune_expired(k, OrderSide::Bid, 8)], &[&cranker]).await;
    assert_error(&r, CreditsError::NothingToPrune);
    ctx.assert_unchanged(&before).await;
    // a paused market is pruned all the same (it only unlocks)
    ctx.send(&[set_market_v2_paused(&w.f.admin.pubkey(), k, true)], &[&w.f.admin]).await.unwrap();
    ctx.advance_clock(100).await;
    ctx.send(&[prune_expired(k, OrderSide::Bid, 8)], &[&cranker]).await.unwrap();
    assert_eq!(market_v2_state(&mut ctx, &k.market).await.bids().len, 1);
    assert_vaults_match(&mut ctx, k).await;
}

/// An expired liquidation sale, pruned by the crank, leaves its credits free in the loan's seat;
/// anyone's settle then returns them to the loan's vault.
#[tokio::test]
async fn a_pruned_sale_goes_back_to_the_vault_on_anyones_settle() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (k, mk) = defaulted_loan_and_market(&mut ctx, &mut w).await;
    let vault0 = ctx.balance(k.vault).await;
    let expiry = ctx.now().await + 60;
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::Limit, 260, 80_000, expiry);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    let resting = loan_state(&mut ctx, &k.loan).await.sale_credits;
    assert!(resting > 0 && ctx.balance(k.vault).await == vault0 - resting);
    let cranker = w.f.user(&mut ctx, &w.c, 0).await;
    let r = ctx.send(&[prune_expired(&mk, OrderSide::Ask, 8)], &[&cranker.key]).await;
    assert_error(&r, CreditsError::NothingToPrune);
    w.advance(&mut ctx, 60, PRICE).await;
    ctx.send(&[prune_expired(&mk, OrderSide::Ask, 8)], &[&cranker.key]).await.unwrap();
    let m = market_v2_state(&mut ctx, &mk.market).await;
    let seat = m.seats.iter().find(|s| s.owner == k.loan.to_bytes()).unwrap();
    assert_eq!((seat.base_free.0, seat.base_locked.0, seat.order_count), (resting, 0, 0));
    let settle = settle_loan_sale(&cranker.pubkey(), &k, &mk, &w.borrower.quote, false);
    ctx.send(&[settle], &[&cranker.key]).await.unwrap();
    assert_eq!(ctx.balance(k.vault).await, vault0);
    let loan = loan_state(&mut ctx, &k.loan).await;
    assert_eq!((loan.sale_credits, loan.recovered), (0, 0));
    assert_eq!(resting % LOT, 0);
    assert_vaults_match(&mut ctx, &mk).await;
}
