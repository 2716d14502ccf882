//! The borrower's withdrawals and vault redemptions see the loan as it is now: the ledger is
//! accrued and re-measured first, so a loan that no keeper has cranked cannot be emptied while
//! it is overdue or under water. And the borrower is never its own provider.
use compute_credits::error::CreditsError;
use compute_credits::{LoanKind, OfferTerms};
use credit_math::ledger::LoanStatus;
use harness::builders::{provider_pda, register_provider};
use harness::loans::*;
use harness::{refused, TestContext, TokenKind};
use solana_sdk::signature::Signer;

/// $100,000 of compute financing without a maintenance ratio (immediate access).
fn no_maintenance() -> OfferTerms {
    OfferTerms {
        principal: 100_000 * USD,
        periods: 12,
        maintenance_bps: 0,
        liquidation_bps: 0,
        initial_bps: 0,
        ..seed_terms(0, LoanKind::ComputeFinancing, 1)
    }
}

#[tokio::test]
async fn an_overdue_loan_nobody_cranked_cannot_be_withdrawn_from_or_consumed() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let covered = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 0), 0).await;
    let open_access = w.originate(&mut ctx, no_maintenance(), 0).await;
    let provider = w.f.provider(&mut ctx, &w.c).await;
    // past the first installment's grace period and cure window, unpaid; no keeper has run
    let due = ledger(&mut ctx, &covered.loan).await.due_ts(1).unwrap();
    let due = due.max(ledger(&mut ctx, &open_access.loan).await.due_ts(1).unwrap());
    let now = ctx.now().await;
    w.advance(&mut ctx, due + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    let b = &w.borrower;
    for (k, with_feed) in [(&covered, true), (&open_access, true), (&open_access, false)] {
        assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Current, "stored status, uncranked");
        let keys =
            [k.loan, k.vault, b.credits, k.class, k.credit_mint, provider_pda(&k.class, &provider.pubkey())];
        // a withdrawal of a single credit, and a redemption; with or without a price (a default
        // from time alone needs none)
        let ix = withdraw_collateral(k, &b.credits, USD, with_feed);
        refused(&mut ctx, ix, &[&b.key], CreditsError::LoanNotCurrent, &keys).await;
        let ix = redeem_from_vault(k, &provider.pubkey(), USD, [4; 32], with_feed);
        refused(&mut ctx, ix, &[&b.key, &provider], CreditsError::LoanNotCurrent, &keys).await;
    }
    // what the re-measurement saw is what the keeper records
    for k in [&covered, &open_access] {
        w.crank(&mut ctx, k).await.unwrap();
        assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Defaulted);
    }
}

#[tokio::test]
async fn an_under_water_loan_nobody_cranked_is_not_current() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 0), 0).await;
    // the price falls 12%: 537,848 GPU-hours at $2.19 are $1.178M, below 120% of $1M, above 110%
    w.set_price(&mut ctx, 220_000_000).await;
    let b = &w.borrower;
    let keys = [k.loan, k.vault, b.credits];
    let ix = withdraw_collateral(&k, &b.credits, 1, true);
    refused(&mut ctx, ix, &[&b.key], CreditsError::LoanNotCurrent, &keys).await;
    w.crank(&mut ctx, &k).await.unwrap();
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::MarginCall);
}

#[tokio::test]
async fn a_loan_past_its_first_due_date_within_grace_still_allows_withdrawal() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 0), 0).await;
    let provider = w.f.provider(&mut ctx, &w.c).await;
    let before = ledger(&mut ctx, &k.loan).await;
    assert_eq!(before.periods_accrued, 0);
    // one second past the first due date: the installment is due, not late
    let due = before.due_ts(1).unwrap();
    let now = ctx.now().await;
    w.advance(&mut ctx, due + 1 - now, PRICE).await;
    let in_vault = ctx.balance(k.vault).await;
    let b = &w.borrower;
    ctx.send(&[withdraw_collateral(&k, &b.credits, 1_000 * USD, true)], &[&b.key]).await.unwrap();
    let ix = redeem_from_vault(&k, &provider.pubkey(), 1_000 * USD, [5; 32], true);
    ctx.send(&[ix], &[&b.key, &provider]).await.unwrap();
    assert_eq!(ctx.balance(k.vault).await, in_vault - 2_000 * USD);
    assert_eq!(ctx.balance(b.credits).await, 1_000 * USD);
    // the accrual the withdrawal ran is recorded: the installment the crank would have charged
    let mut expect = before;
    expect.accrue(due + 1).unwrap();
    let after = ledger(&mut ctx, &k.loan).await;
    assert_eq!(after.periods_accrued, 1);
    assert_eq!(after.arrears_since, due);
    assert_eq!((after.interest_due, after.principal_due), (expect.interest_due, expect.principal_due));
    assert!(after.interest_due > 0);
    assert_eq!(after.status().unwrap(), LoanStatus::Current);
    assert_eq!(after.coverage_status, LoanStatus::Current as u8);
}

#[tokio::test]
async fn a_borrower_cannot_redeem_its_vault_as_its_own_provider() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 0), 0).await;
    // the borrower is (also) a registered provider of the class
    let (admin, borrower) = (w.f.admin.pubkey(), w.borrower.pubkey());
    ctx.send(&[register_provider(&admin, &k.class, &borrower)], &[&w.f.admin]).await.unwrap();
    let keys = [k.loan, k.vault, k.class, k.credit_mint, provider_pda(&k.class, &borrower)];
    let ix = redeem_from_vault(&k, &borrower, 1_000 * USD, [6; 32], true);
    refused(&mut ctx, ix, &[&w.borrower.key], CreditsError::SelfRedemption, &keys).await;
    // the same amount with another provider is fine
    let provider = w.f.provider(&mut ctx, &w.c).await;
    let ix = redeem_from_vault(&k, &provider.pubkey(), 1_000 * USD, [6; 32], true);
    ctx.send(&[ix], &[&w.borrower.key, &provider]).await.unwrap();
}
