//! Liquidation sales: the lender of a defaulted loan sells collateral on the market; fills pay
//! the loan down through its waterfall, any surplus goes to the borrower.
use compute_credits::error::CreditsError;
use compute_credits::{LoanKind, OrderType};
use credit_math::ledger::LoanStatus;
use harness::loans::*;
use harness::market::*;
use harness::{assert_error, TestContext, TokenKind};

async fn defaulted_loan_and_bids(
    ctx: &mut TestContext,
) -> (LoanWorld, LoanKeys, MarketKeys, harness::fixtures::User) {
    let mut w = LoanWorld::new(ctx, TokenKind::Token2022).await;
    let (k, mk, buyer) = defaulted_loan_with_bids(ctx, &mut w).await;
    (w, k, mk, buyer)
}

#[tokio::test]
async fn a_sale_pays_the_loan_down_and_returns_the_surplus() {
    let mut ctx = TestContext::start().await;
    let (w, k, mk, buyer) = defaulted_loan_and_bids(&mut ctx).await;
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    let debt = ledger(&mut ctx, &k.loan).await.debt().unwrap();
    let (lender0, borrower0, vault0) =
        (ctx.balance(w.lender.quote).await, ctx.balance(w.borrower.quote).await, ctx.balance(k.vault).await);

    // sell 45,000 GPU-hours down to $2.40: 20,000 @ 2.45 + 25,000 @ 2.40, less the 0.30% taker fee
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, 240, 45_000);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    let gross = 20_000 * 245 * TICK + 25_000 * 240 * TICK;
    let fee = 20_000 * (245 * TICK * 30).div_ceil(10_000) + 25_000 * (240 * TICK * 30).div_ceil(10_000);
    let proceeds = gross - fee;
    assert!(proceeds > debt, "the sale covers the debt");
    assert_eq!(ctx.balance(w.lender.quote).await - lender0, debt);
    assert_eq!(ctx.balance(w.borrower.quote).await - borrower0, proceeds - debt);
    assert_eq!(ctx.balance(k.vault).await, vault0 - 45_000 * LOT);
    let loan = loan_state(&mut ctx, &k.loan).await;
    assert_eq!(loan.status(), LoanStatus::Liquidated);
    assert_eq!((loan.recovered, loan.credits_seized), (debt, 45_000 * LOT));
    // the buyer's seat holds its credits
    let m = market_state(&mut ctx, &mk.market).await;
    let seat = m.seats[m.seat_of(&buyer.pubkey()).unwrap()];
    assert_eq!(seat.base_free, 45_000 * LOT);
    // the rest of the vault goes back to the borrower, thawed
    let left = ctx.balance(k.vault).await;
    let own = ctx.balance(w.borrower.credits).await;
    ctx.send(&[release_collateral(&k, &w.borrower.credits)], &[]).await.unwrap();
    assert_eq!(ctx.balance(w.borrower.credits).await, own + left);
    assert!(!ctx.token_account(w.borrower.credits).await.frozen);
}

#[tokio::test]
async fn a_partial_sale_reduces_the_debt_and_keeps_the_vault_frozen() {
    let mut ctx = TestContext::start().await;
    let (w, k, mk, _buyer) = defaulted_loan_and_bids(&mut ctx).await;
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    let debt = ledger(&mut ctx, &k.loan).await.debt().unwrap();
    // only the bids at $2.45 or better: 20,000 GPU-hours
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, 245, 45_000);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    let proceeds = 20_000 * 245 * TICK - 20_000 * (245 * TICK * 30).div_ceil(10_000);
    let l = ledger(&mut ctx, &k.loan).await;
    assert_eq!(l.debt().unwrap(), debt - proceeds);
    assert_eq!(l.status().unwrap(), LoanStatus::Defaulted);
    assert!(ctx.token_account(k.vault).await.frozen);
    // fill-or-kill beyond the book is refused whole
    let keys = [k.loan, k.vault, mk.market, mk.base_vault, mk.quote_vault, w.lender.quote];
    let before = ctx.snapshot(&keys).await;
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::FillOrKill, 200, 100_000);
    assert_error(&ctx.send(&[ix], &[&w.lender.key]).await, CreditsError::CannotFillCompletely);
    ctx.assert_unchanged(&before).await;
}

#[tokio::test]
async fn sale_attacks() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 1), 0).await;
    let mk = open_market(&mut ctx, &w.f, &w.c).await;
    let keys = [k.loan, k.vault, mk.market, mk.base_vault, mk.quote_vault, w.lender.quote, w.borrower.quote];
    let sell = |t| sell_collateral(&k, &mk, &w.borrower.quote, t, 240, 10);
    // a current loan cannot be sold
    let before = ctx.snapshot(&keys).await;
    let r = ctx.send(&[sell(OrderType::ImmediateOrCancel)], &[&w.lender.key]).await;
    assert_error(&r, CreditsError::LoanNotEnforceable);
    // a vault owner that is not the market's
    let ix = sell(OrderType::ImmediateOrCancel);
    let ix = harness::builders::replace_account(ix, &mk.authority, &market_authority(&mk.class));
    assert_error(&ctx.send(&[ix], &[&w.lender.key]).await, CreditsError::WrongMarketAccount);
    // a sale never rests
    for t in [OrderType::Limit, OrderType::PostOnly] {
        assert_error(&ctx.send(&[sell(t)], &[&w.lender.key]).await, CreditsError::SaleMustNotRest);
    }
    // only the lender, surplus only to the borrower
    let mut by_borrower = sell(OrderType::ImmediateOrCancel);
    by_borrower.accounts[0].pubkey = w.borrower.pubkey();
    assert_error(&ctx.send(&[by_borrower], &[&w.borrower.key]).await, CreditsError::NotLender);
    let stranger = w.f.user(&mut ctx, &w.c, 0).await;
    let ix = sell_collateral(&k, &mk, &stranger.quote, OrderType::ImmediateOrCancel, 240, 10);
    assert_error(&ctx.send(&[ix], &[&w.lender.key]).await, CreditsError::WrongLoanAccount);
    ctx.assert_unchanged(&before).await;
}

#[tokio::test]
async fn the_lenders_freeze_also_pulls_the_borrowers_resting_orders() {
    use compute_credits::OrderSide;
    let mut ctx = TestContext::start().await;
    let (w, k, mk, _buyer) = defaulted_loan_and_bids(&mut ctx).await;
    // the borrower buys 100 GPU-hours and offers them above the bids
    w.f.buy(&mut ctx, &w.c, &w.borrower, 100 * LOT).await.unwrap();
    let ask = place_order(&mk, &w.borrower, order(OrderSide::Ask, OrderType::Limit, 300, 100));
    ctx.send(&[ask], &[&w.borrower.key]).await.unwrap();
    // the lender freezes the collateral and the borrower's account, and pulls its ask, at once
    let freeze = freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits);
    ctx.send(&[freeze, cancel_frozen_orders(&mk, &w.borrower.credits)], &[&w.lender.key]).await.unwrap();
    let m = market_state(&mut ctx, &mk.market).await;
    assert_eq!(book(&m).asks.len, 0, "the borrower's ask is gone");
    assert_eq!(book(&m).bids.len, 2, "the buyer's bids stay");
    let seat = m.seats[m.seat_of(&w.borrower.pubkey()).unwrap()];
    assert_eq!((seat.base_free, seat.base_locked), (100 * LOT, 0));
    // and the credits cannot leave the market into the frozen account
    let r = ctx.send(&[settle_funds(&mk, &w.borrower)], &[&w.borrower.key]).await;
    assert_error(&r, CreditsError::CreditAccountFrozen);
}
