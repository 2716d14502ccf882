//! Freeze holds: every freeze has a holder (the guardian, a specific loan); a thaw lifts only
//! its own hold; an account thaws when none remains; a wallet under any hold gets no credits out
//! of the program's custody. Also: enforcing a default by time alone without a usable price.
use compute_credits::error::CreditsError;
use compute_credits::LoanKind;
use credit_math::ledger::LoanStatus;
use harness::builders::{freeze_credits, freeze_hold_pda, owner_holds_pda, thaw_credits};
use harness::fixtures::User;
use harness::loans::*;
use harness::{assert_error, TestContext, TokenKind};
use solana_sdk::signature::Signer;

async fn default_loan(ctx: &mut TestContext, w: &mut LoanWorld, loan_id: u64) -> LoanKeys {
    let k = w.originate(ctx, seed_terms(loan_id, LoanKind::ComputeFinancing, 1), 0).await;
    let due = ledger(ctx, &k.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    if now < due + i64::from(GRACE + CURE) + 1 {
        w.advance(ctx, due + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    }
    k
}

fn guardian(w: &LoanWorld, user: &User, hold: bool) -> solana_sdk::instruction::Instruction {
    let (g, c) = (w.f.guardian.pubkey(), &w.c);
    let (owner, account) = (user.pubkey(), user.credits);
    if hold {
        freeze_credits(&g, &c.class, &c.mint, (&owner, &account), &c.program, 7)
    } else {
        thaw_credits(&g, &c.class, &c.mint, (&owner, &account), &c.program, 7)
    }
}

/// The reproduced attack: the guardian froze a borrower's account; the borrower's loan
/// defaulted, the lender froze the same account, the borrower cured and the loan was repaid.
/// Before holds, the loan's release thawed the account and so lifted the guardian's freeze.
#[tokio::test]
async fn a_loan_cannot_lift_the_guardians_freeze() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let k = default_loan(&mut ctx, &mut w, 0).await;
    let b = w.borrower.key.insecure_clone();
    ctx.send(&[guardian(&w, &w.borrower, true)], &[&w.f.guardian]).await.unwrap();
    // the lender's hold on an account the guardian already holds
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    let hold =
        ctx.anchor_account::<compute_credits::state::FreezeHold>(freeze_hold_pda(&w.borrower.credits)).await;
    assert_eq!((hold.guardian, hold.loans), (1, 1));
    let owner = ctx
        .anchor_account::<compute_credits::state::OwnerHolds>(owner_holds_pda(&k.credit_mint, &b.pubkey()))
        .await;
    assert_eq!(owner.holds, 2);

    // the borrower pays everything off
    w.repay(&mut ctx, &k, u64::MAX).await.unwrap();
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Repaid);
    // the loan lifts its own hold: the account stays frozen under the guardian's
    ctx.send(&[thaw_collateral(&k, &[w.borrower.credits])], &[]).await.unwrap();
    assert!(ctx.token_account(w.borrower.credits).await.frozen);
    let hold =
        ctx.anchor_account::<compute_credits::state::FreezeHold>(freeze_hold_pda(&w.borrower.credits)).await;
    assert_eq!((hold.guardian, hold.loans), (1, 0));
    // the vault's credits do not go to a wallet under a hold, not even into a fresh account
    let fresh = ctx.token_account_for(&b.pubkey(), &w.c.mint, &w.c.program).await;
    let keys = [k.loan, k.vault, fresh, w.borrower.credits];
    let before = ctx.snapshot(&keys).await;
    let r = ctx.send(&[release_collateral(&k, &fresh, &[])], &[]).await;
    assert_error(&r, CreditsError::OwnerUnderHold);
    ctx.assert_unchanged(&before).await;
    // only the guardian lifts its hold; then the loan closes and the credits go back
    ctx.send(&[guardian(&w, &w.borrower, false)], &[&w.f.guardian]).await.unwrap();
    assert!(!ctx.token_account(w.borrower.credits).await.frozen);
    let in_vault = ctx.balance(k.vault).await;
    ctx.send(&[release_collateral(&k, &fresh, &[])], &[]).await.unwrap();
    assert_eq!(ctx.balance(fresh).await, in_vault);
}

#[tokio::test]
async fn the_guardians_thaw_leaves_a_loans_hold_and_two_loans_hold_separately() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let first = default_loan(&mut ctx, &mut w, 0).await;
    let second = default_loan(&mut ctx, &mut w, 0).await;
    let lender = w.lender.pubkey();
    for k in [&first, &second] {
        ctx.send(&[freeze_collateral(k, &lender, &w.borrower.credits)], &[&w.lender.key]).await.unwrap();
    }
    // the guardian holds it too, then lets go: the loans' holds remain
    ctx.send(&[guardian(&w, &w.borrower, true)], &[&w.f.guardian]).await.unwrap();
    ctx.send(&[guardian(&w, &w.borrower, false)], &[&w.f.guardian]).await.unwrap();
    assert!(ctx.token_account(w.borrower.credits).await.frozen);
    // a guardian thaw with no guardian hold left is refused
    let r = ctx.send(&[guardian(&w, &w.borrower, false)], &[&w.f.guardian]).await;
    assert_error(&r, CreditsError::NotHeld);

    // the first loan is repaid: anyone lifts its hold; the second loan's hold keeps it frozen
    w.repay(&mut ctx, &first, u64::MAX).await.unwrap();
    ctx.send(&[thaw_collateral(&first, &[w.borrower.credits])], &[]).await.unwrap();
    assert!(ctx.token_account(w.borrower.credits).await.frozen);
    // ...and the first loan's credits wait in its vault: the borrower is still under a hold
    let keys = [first.loan, first.vault, w.borrower.credits];
    let before = ctx.snapshot(&keys).await;
    let r = ctx.send(&[release_collateral(&first, &w.borrower.credits, &[])], &[]).await;
    assert_error(&r, CreditsError::OwnerUnderHold);
    ctx.assert_unchanged(&before).await;
    // the second loan is repaid too: its release lifts the last hold and returns its credits
    w.repay(&mut ctx, &second, u64::MAX).await.unwrap();
    ctx.send(&[release_collateral(&second, &w.borrower.credits, &[w.borrower.credits])], &[]).await.unwrap();
    assert!(!ctx.token_account(w.borrower.credits).await.frozen);
    ctx.send(&[release_collateral(&first, &w.borrower.credits, &[])], &[]).await.unwrap();
    assert!(ctx.account(first.loan).await.is_none() && ctx.account(second.loan).await.is_none());
}

#[tokio::test]
async fn a_default_by_time_is_enforceable_without_a_usable_price() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 1), 0).await;
    // past the cure window with no price since: the feed is stale
    let due = ledger(&mut ctx, &k.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    ctx.advance_clock(due + i64::from(GRACE + CURE) + 1 - now).await;
    // valuation needs a price...
    let r = ctx.send(&[liquidate_collateral(&k, &w.lender.credits, u64::MAX)], &[&w.lender.key]).await;
    assert_error(&r, CreditsError::StalePrice);
    // ...the freeze does not
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    assert!(ctx.token_account(w.borrower.credits).await.frozen);
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Defaulted);
}

#[tokio::test]
async fn a_coverage_breach_needs_a_usable_price_to_be_enforced() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 1), 0).await;
    // a crash past the breaker's window makes the loan liquidatable at the crank...
    w.advance(&mut ctx, 700, 100_000_000).await;
    w.crank(&mut ctx, &k).await.unwrap();
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Liquidatable);
    // ...but once the feed is stale, that old measurement does not justify a freeze
    ctx.advance_clock(600).await;
    let keys = [k.loan, w.borrower.credits, freeze_hold_pda(&w.borrower.credits)];
    let before = ctx.snapshot(&keys).await;
    let r =
        ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key]).await;
    assert_error(&r, CreditsError::LoanNotEnforceable);
    ctx.assert_unchanged(&before).await;
    // a feed of another class is refused by name, never read as "no price"
    let other = w.f.create_class(&mut ctx, TokenKind::Spl).await;
    let other_feed = w.f.native_feed(&mut ctx, &other, 1, 1).await;
    let ix = harness::builders::replace_account(
        freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits),
        &k.price_feed,
        &other_feed.feed,
    );
    assert_error(&ctx.send(&[ix], &[&w.lender.key]).await, CreditsError::WrongPriceFeed);
}

/// The class-pause rule on a classic SPL Token class (whose mint has no pause of its own):
/// neither side of a defaulted loan moves credits while the class is paused, the lender no
/// more than the borrower; payments and the crank go on; everything resumes together.
#[tokio::test]
async fn a_class_pause_stops_both_sides_alike() {
    use compute_credits::{OrderSide, OrderType};
    use harness::builders::{pause_class, resume_class};
    use harness::loan_sales::*;
    use harness::market_v2_ix::*;
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let (k, mk, buyer, buyer_seat) = defaulted_loan_with_bids_v2(&mut ctx, &mut w).await;
    w.f.buy(&mut ctx, &w.c, &w.borrower, 10 * USD).await.unwrap();
    let b_seat = seated_buyer(&mut ctx, &mk, &w.borrower, 0).await;
    let dep = deposit(&mk, &w.borrower, b_seat, compute_credits::MarketAsset::Credits, USD);
    ctx.send(&[dep], &[&w.borrower.key]).await.unwrap();
    let (g, c) = (w.f.guardian.pubkey(), w.c);
    ctx.send(&[pause_class(&g, &c.class, &c.mint, &c.program)], &[&w.f.guardian]).await.unwrap();

    let (lender, b) = (w.lender.clone(), w.borrower.clone());
    let (lender, b) = (&lender, &b);
    let keys = [k.loan, k.vault, b.credits, lender.credits, mk.market, mk.base_vault, mk.quote_vault];
    let paused = [
        (freeze_collateral(&k, &lender.pubkey(), &b.credits), &lender.key),
        (liquidate_collateral(&k, &lender.credits, u64::MAX), &lender.key),
        (sell_collateral(&k, &mk, &b.quote, OrderType::ImmediateOrCancel, 240, 1_000, 0), &lender.key),
        (withdraw_collateral(&k, &b.credits, USD, true), &b.key),
        (top_up_collateral(&k, &b.credits, USD), &b.key),
        (
            place_order_v2(&mk, &b.pubkey(), limit_v2(b_seat, OrderSide::Ask, OrderType::Limit, 300, 1)),
            &b.key,
        ),
    ];
    for (ix, signer) in paused {
        let before = ctx.snapshot(&keys).await;
        assert_error(&ctx.send(&[ix], &[signer]).await, CreditsError::ClassPaused);
        ctx.assert_unchanged(&before).await;
    }
    // payments in the quote currency and the crank go on; orders can be cancelled
    w.repay(&mut ctx, &k, USD).await.unwrap();
    w.crank(&mut ctx, &k).await.unwrap();
    let best = *harness::market_v2::market_v2_state(&mut ctx, &mk.market).await.bids().best().unwrap();
    let cancel = cancel_order_v2(&mk, &buyer.pubkey(), buyer_seat, OrderSide::Bid, best.price.0, best.seq);
    ctx.send(&[cancel], &[&buyer.key]).await.unwrap();

    // resumed: the lender enforces again
    let a = w.f.admin.pubkey();
    ctx.send(&[resume_class(&a, &c.class, &c.mint, &c.program)], &[&w.f.admin]).await.unwrap();
    w.set_price(&mut ctx, PRICE).await;
    ctx.send(&[freeze_collateral(&k, &lender.pubkey(), &b.credits)], &[&lender.key]).await.unwrap();
}

/// Token programs let an owner close a frozen account whose balance is zero. A hold on an
/// account closed since can still be lifted (bookkeeping only), so the loan closes; an account
/// re-created at the same address is frozen again by the holder, with no second count.
#[tokio::test]
async fn holds_on_closed_and_re_created_accounts_are_neither_stranded_nor_escaped() {
    use anchor_spl::token_2022::spl_token_2022 as t22;
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let k = default_loan(&mut ctx, &mut w, 0).await;
    let (b, lender) = (w.borrower.clone(), w.lender.pubkey());
    // compute financing: the borrower's account is empty when the lender holds it
    assert_eq!(ctx.balance(b.credits).await, 0);
    ctx.send(&[freeze_collateral(&k, &lender, &b.credits)], &[&w.lender.key]).await.unwrap();
    let close =
        |account| t22::instruction::close_account(&t22::ID, &account, &b.pubkey(), &b.pubkey(), &[]).unwrap();
    ctx.send(&[close(b.credits)], &[&b.key]).await.unwrap();
    assert!(ctx.account(b.credits).await.is_none(), "a frozen, empty account can be closed");
    // re-created at the same address: unfrozen, but still counted under the borrower
    let again = ctx.ata(&b.pubkey(), &w.c.mint, &w.c.program).await;
    assert_eq!(again, b.credits);
    assert!(!ctx.token_account(b.credits).await.frozen);
    let owner = owner_holds_pda(&k.credit_mint, &b.pubkey());
    assert_eq!(ctx.anchor_account::<compute_credits::state::OwnerHolds>(owner).await.holds, 1);
    // the lender freezes it again: the same hold, not a second one
    ctx.send(&[freeze_collateral(&k, &lender, &b.credits)], &[&w.lender.key]).await.unwrap();
    assert!(ctx.token_account(b.credits).await.frozen);
    let hold = ctx.anchor_account::<compute_credits::state::FreezeHold>(freeze_hold_pda(&b.credits)).await;
    assert_eq!((hold.loans, hold.guardian), (1, 0));
    let r = ctx.send(&[freeze_collateral(&k, &lender, &b.credits)], &[&w.lender.key]).await;
    assert_error(&r, CreditsError::AlreadyHeld);
    // closed once more, then the loan is repaid: the hold on the closed account is lifted and
    // the loan closes, credits to a fresh account of the borrower
    ctx.send(&[close(b.credits)], &[&b.key]).await.unwrap();
    w.repay(&mut ctx, &k, u64::MAX).await.unwrap();
    let fresh = ctx.token_account_for(&b.pubkey(), &w.c.mint, &w.c.program).await;
    ctx.send(&[release_collateral(&k, &fresh, &[b.credits])], &[]).await.unwrap();
    assert!(ctx.account(k.loan).await.is_none());
    assert_eq!(ctx.anchor_account::<compute_credits::state::OwnerHolds>(owner).await.holds, 0);
    assert!(ctx.balance(fresh).await > 0);

    // the guardian's hold on an account closed since is lifted the same way
    let g = w.f.guardian.insecure_clone();
    let other = w.f.user(&mut ctx, &w.c, 0).await;
    ctx.send(&[guardian(&w, &other, true)], &[&g]).await.unwrap();
    let close_other =
        t22::instruction::close_account(&t22::ID, &other.credits, &other.pubkey(), &other.pubkey(), &[])
            .unwrap();
    ctx.send(&[close_other], &[&other.key]).await.unwrap();
    ctx.send(&[guardian(&w, &other, false)], &[&g]).await.unwrap();
    let record = owner_holds_pda(&k.credit_mint, &other.pubkey());
    assert_eq!(ctx.anchor_account::<compute_credits::state::OwnerHolds>(record).await.holds, 0);
    // a closed account cannot be held
    let r = ctx.send(&[guardian(&w, &other, true)], &[&g]).await;
    assert_error(&r, CreditsError::NothingToHold);
}

/// A wallet under any hold takes no credits out of custody by any path: a vault withdrawal or
/// consumption of another loan, or a lender's seizure.
#[tokio::test]
async fn a_held_wallet_takes_nothing_out_of_a_vault() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    // a second, current loan with immediate access (no maintenance ratio)
    let open_terms = compute_credits::OfferTerms {
        maintenance_bps: 0,
        liquidation_bps: 0,
        ..seed_terms(0, LoanKind::ComputeFinancing, 1)
    };
    let current = w.originate(&mut ctx, open_terms, 0).await;
    // the guardian holds the borrower's account
    ctx.send(&[guardian(&w, &w.borrower, true)], &[&w.f.guardian]).await.unwrap();
    let b = w.borrower.clone();
    let fresh = ctx.token_account_for(&b.pubkey(), &w.c.mint, &w.c.program).await;
    let keys = [current.loan, current.vault, fresh];
    let before = ctx.snapshot(&keys).await;
    let r = ctx.send(&[withdraw_collateral(&current, &fresh, USD, false)], &[&b.key]).await;
    assert_error(&r, CreditsError::OwnerUnderHold);
    let provider = w.f.provider(&mut ctx, &w.c).await;
    let ix = redeem_from_vault(&current, &provider.pubkey(), USD, [1; 32], false);
    assert_error(&ctx.send(&[ix], &[&b.key, &provider]).await, CreditsError::OwnerUnderHold);
    ctx.assert_unchanged(&before).await;
    // once the guardian lets go, the withdrawal goes through
    ctx.send(&[guardian(&w, &w.borrower, false)], &[&w.f.guardian]).await.unwrap();
    ctx.send(&[withdraw_collateral(&current, &fresh, USD, false)], &[&b.key]).await.unwrap();

    // a lender under a hold seizes nothing
    let defaulted = default_loan(&mut ctx, &mut w, 0).await;
    let lender = w.lender.clone();
    ctx.send(&[guardian(&w, &lender, true)], &[&w.f.guardian]).await.unwrap();
    let lender_fresh = ctx.token_account_for(&lender.pubkey(), &w.c.mint, &w.c.program).await;
    let keys = [defaulted.loan, defaulted.vault, lender_fresh];
    let before = ctx.snapshot(&keys).await;
    let r = ctx.send(&[liquidate_collateral(&defaulted, &lender_fresh, u64::MAX)], &[&lender.key]).await;
    assert_error(&r, CreditsError::OwnerUnderHold);
    ctx.assert_unchanged(&before).await;
}
