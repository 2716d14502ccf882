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

/// The sale floor of the harness's loans: $2.49 (price less confidence) less the 5% discount,
/// $2.3655 a lot, rounded up to 237 ticks.
const FLOOR: u64 = 237;

fn net_per_lot(price: u64) -> u64 {
    price * TICK - fee_per_lot(price, TAKER_FEE_BPS)
}

#[tokio::test]
async fn a_sale_pays_the_loan_down_and_sells_no_more_than_the_debt_needs() {
    let mut ctx = TestContext::start().await;
    let (w, k, mk, buyer) = defaulted_loan_and_bids(&mut ctx).await;
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    let debt = ledger(&mut ctx, &k.loan).await.debt().unwrap();
    let (lender0, borrower0, vault0) =
        (ctx.balance(w.lender.quote).await, ctx.balance(w.borrower.quote).await, ctx.balance(k.vault).await);

    // offered 45,000 GPU-hours down to $2.40: 20,000 fill at $2.45, then at $2.40 only what
    // nets the rest of the debt after the 0.30% taker fee
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, 240, 45_000);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    let sold = (vault0 - ctx.balance(k.vault).await) / LOT;
    let at_240 = sold - 20_000;
    let proceeds = 20_000 * net_per_lot(245) + at_240 * net_per_lot(240);
    assert!(proceeds >= debt, "the sale covers the debt");
    assert!(proceeds - net_per_lot(240) < debt, "one lot fewer would not have: no more than a lot beyond");
    assert!(sold < 45_000);
    assert_eq!(ctx.balance(w.lender.quote).await - lender0, debt);
    assert_eq!(ctx.balance(w.borrower.quote).await - borrower0, proceeds - debt);
    let loan = loan_state(&mut ctx, &k.loan).await;
    assert_eq!(loan.status(), LoanStatus::Liquidated);
    assert_eq!((loan.recovered, loan.credits_seized), (debt, sold * LOT));
    // the buyer's seat holds its credits; the loan took no seat
    let m = market_state(&mut ctx, &mk.market).await;
    let seat = m.seats[m.seat_of(&buyer.pubkey()).unwrap()];
    assert_eq!(seat.base_free, sold * LOT);
    assert!(m.seat_of(&k.loan).is_none());
    // the rest of the vault goes back to the borrower, its account thawed
    let left = ctx.balance(k.vault).await;
    let own = ctx.balance(w.borrower.credits).await;
    ctx.send(&[release_collateral(&k, &w.borrower.credits, &[w.borrower.credits])], &[]).await.unwrap();
    assert_eq!(ctx.balance(w.borrower.credits).await, own + left);
    assert!(!ctx.token_account(w.borrower.credits).await.frozen);
}

#[tokio::test]
async fn a_partial_sale_reduces_the_debt_and_keeps_the_hold() {
    let mut ctx = TestContext::start().await;
    let (w, k, mk, _buyer) = defaulted_loan_and_bids(&mut ctx).await;
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    let debt = ledger(&mut ctx, &k.loan).await.debt().unwrap();
    // only the bids at $2.45 or better: 20,000 GPU-hours
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, 245, 45_000);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    let l = ledger(&mut ctx, &k.loan).await;
    assert_eq!(l.debt().unwrap(), debt - 20_000 * net_per_lot(245));
    assert_eq!(l.status().unwrap(), LoanStatus::Defaulted);
    assert!(ctx.token_account(w.borrower.credits).await.frozen);
    assert_eq!(loan_state(&mut ctx, &k.loan).await.held_count, 1);
    // fill-or-kill beyond the book is refused whole; so is a sale that fills nothing
    let keys = [k.loan, k.vault, mk.market, mk.base_vault, mk.quote_vault, w.lender.quote];
    let before = ctx.snapshot(&keys).await;
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::FillOrKill, 245, 100_000);
    assert_error(&ctx.send(&[ix], &[&w.lender.key]).await, CreditsError::CannotFillCompletely);
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, 245, 100);
    assert_error(&ctx.send(&[ix], &[&w.lender.key]).await, CreditsError::NothingRecovered);
    ctx.assert_unchanged(&before).await;
}

/// The reproduced attack: the lender bids one tick for the whole vault and sells the vault
/// into its own bid in the same transaction. The floor refuses it; at the floor the lender
/// buys no more than nets the debt, and the rest of the vault stays the borrower's.
#[tokio::test]
async fn the_lender_cannot_buy_the_collateral_below_the_floor() {
    use compute_credits::OrderSide;
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let terms = compute_credits::OfferTerms {
        principal: 100_000 * USD,
        apr_bps: 1_200,
        periods: 12,
        borrower_tier: 0,
        ..seed_terms(0, LoanKind::ComputeFinancing, 1)
    };
    let k = w.originate(&mut ctx, terms, 0).await;
    let mk = open_market(&mut ctx, &w.f, &w.c).await;
    let due = ledger(&mut ctx, &k.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    w.advance(&mut ctx, due + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    let vault0 = ctx.balance(k.vault).await;
    let vault_lots = vault0 / LOT;
    // the lender's own account on the market, funded for the whole vault at the floor
    let funds = vault_lots * (FLOOR * TICK + fee_per_lot(FLOOR, MAKER_FEE_BPS));
    ctx.mint_to(&w.f.quote_mint, &w.f.quote_program, &w.lender.quote, funds).await;
    let keys = [k.loan, k.vault, mk.market, mk.base_vault, mk.quote_vault, w.lender.quote, w.borrower.quote];
    for price in [1, FLOOR - 1] {
        let bid = place_order(&mk, &w.lender, order(OrderSide::Bid, OrderType::Limit, price, vault_lots));
        let sale =
            sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, price, vault_lots);
        let before = ctx.snapshot(&keys).await;
        let r = ctx.send(&[bid, sale], &[&w.lender.key]).await;
        assert_error(&r, CreditsError::SaleBelowFloor);
        ctx.assert_unchanged(&before).await;
    }
    // at the floor: the lender buys what nets the debt, no more
    let bid = place_order(&mk, &w.lender, order(OrderSide::Bid, OrderType::Limit, FLOOR, vault_lots));
    let sale = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, FLOOR, vault_lots);
    ctx.send(&[bid, sale], &[&w.lender.key]).await.unwrap();
    let loan = loan_state(&mut ctx, &k.loan).await;
    let (sold, debt) = (loan.credits_seized / LOT, loan.debt_at_recovery);
    assert_eq!((loan.status(), loan.recovered), (LoanStatus::Liquidated, debt));
    let (net, fewer) = (sold * net_per_lot(FLOOR), (sold - 1) * net_per_lot(FLOOR));
    assert!(net >= debt && fewer < debt, "sold {sold}: {net} / {fewer} against {debt}");
    assert_eq!(ctx.balance(k.vault).await, vault0 - sold * LOT);
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
    // and the credits cannot leave the market, neither into the frozen account nor into a
    // fresh one: the lender's hold reaches the borrower's market balances
    let r = ctx.send(&[settle_funds(&mk, &w.borrower)], &[&w.borrower.key]).await;
    assert_error(&r, CreditsError::CreditAccountFrozen);
    let fresh = harness::fixtures::User {
        key: w.borrower.key.insecure_clone(),
        quote: w.borrower.quote,
        credits: ctx.token_account_for(&w.borrower.pubkey(), &w.c.mint, &w.c.program).await,
    };
    let keys = [mk.market, mk.base_vault, fresh.credits];
    let before = ctx.snapshot(&keys).await;
    let r = ctx.send(&[settle_funds(&mk, &fresh)], &[&w.borrower.key]).await;
    assert_error(&r, CreditsError::OwnerUnderHold);
    ctx.assert_unchanged(&before).await;
}
