//! Loans end to end, time moved with the harness clock (an hour stands for a month).
use anchor_spl::token_2022::spl_token_2022::error::TokenError;
use compute_credits::LoanKind;
use credit_math::ledger::LoanStatus;
use credit_math::price::{credits_for_quote_floor, value_floor, Price};
use credit_math::schedule::{total_interest, LoanTerms, ScheduleKind};
use credit_math::{CreditAtoms, QuoteAtoms};
use harness::builders::freeze_hold_pda;
use harness::fixtures::ORIGINATION_FEE_BPS;
use harness::loans::*;
use harness::{assert_error, TestContext, TokenKind};
use solana_sdk::signature::Signer;

/// Credits a compute financing of `principal` at `multiplier_bps` issues at $2.51 (price + conf).
fn financed_credits(principal: u64, multiplier_bps: u64) -> u64 {
    let value = principal * multiplier_bps / 10_000;
    credits_for_quote_floor(QuoteAtoms(value), Price::new(251_000_000, -8).unwrap(), 6, 6).unwrap().0
}

/// Pays every remaining installment on its due date, the exact amount due.
async fn pay_on_schedule(ctx: &mut TestContext, w: &mut LoanWorld, k: &LoanKeys) {
    let start = ledger(ctx, &k.loan).await;
    for n in (start.periods_accrued + 1)..=start.periods {
        let due = start.due_ts(n).unwrap();
        let now = ctx.now().await;
        if due > now {
            ctx.advance_clock(due - now).await;
        }
        let mut expect = ledger(ctx, &k.loan).await;
        expect.accrue(due).unwrap();
        let owed = expect.amount_due().unwrap();
        let r = w.repay(ctx, k, owed).await;
        assert!(r.is_ok(), "installment {n}: {:?}", r.result);
    }
}

#[tokio::test]
async fn compute_financing_pays_off_on_every_schedule() {
    for schedule in [ScheduleKind::LevelPayment, ScheduleKind::InterestOnly, ScheduleKind::StraightLine] {
        let mut ctx = TestContext::start().await;
        let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
        let terms = seed_terms(0, LoanKind::ComputeFinancing, schedule as u8);
        let (treasury0, lender0) = (ctx.balance(w.f.treasury_quote).await, ctx.balance(w.lender.quote).await);
        let k = w.originate(&mut ctx, terms, 0).await;

        // the principal bought the compute; $1M x 1.35 of credits sit in the vault
        let loan = loan_state(&mut ctx, &k.loan).await;
        assert_eq!(loan.multiplier_bps, 13_500);
        assert_eq!(ctx.balance(w.f.treasury_quote).await - treasury0, 1_000_000 * USD);
        let credits = financed_credits(1_000_000 * USD, 13_500);
        assert_eq!(ctx.balance(k.vault).await, credits);
        assert_eq!(loan.credits_at_origination, credits);
        assert_eq!(loan.status(), LoanStatus::Current);

        pay_on_schedule(&mut ctx, &mut w, &k).await;
        let l = ledger(&mut ctx, &k.loan).await;
        assert_eq!(l.status().unwrap(), LoanStatus::Repaid);
        let interest = total_interest(&LoanTerms {
            principal: 1_000_000 * USD,
            apr_bps: 1_000,
            periods: 24,
            kind: schedule,
        })
        .unwrap();
        assert_eq!(l.interest_paid, interest);
        assert_eq!(l.principal_paid, 1_000_000 * USD);
        assert_eq!(ctx.balance(w.lender.quote).await, lender0 + interest);

        // release: the credits go to the borrower, the accounts close, the rent goes back
        let rent_before = ctx.lamports(w.lender.pubkey()).await;
        ctx.send(&[release_collateral(&k, &w.borrower.credits, &[])], &[]).await.unwrap();
        assert_eq!(ctx.balance(w.borrower.credits).await, credits);
        assert!(ctx.account(k.loan).await.is_none());
        assert!(ctx.account(k.vault).await.is_none());
        assert!(ctx.account(k.escrow).await.is_none());
        assert!(ctx.lamports(w.lender.pubkey()).await > rent_before);
    }
}

#[tokio::test]
async fn credit_backed_loan_pledges_credits_and_pays_off_on_every_schedule() {
    for schedule in [ScheduleKind::LevelPayment, ScheduleKind::InterestOnly, ScheduleKind::StraightLine] {
        let mut ctx = TestContext::start().await;
        let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
        let pledge = 61_000 * USD; // 61,000 GPU-hours at $2.49 = $151,890 >= 150% of $100,000
        w.f.buy(&mut ctx, &w.c, &w.borrower, pledge).await.unwrap();
        let (quote0, lender0) = (ctx.balance(w.borrower.quote).await, ctx.balance(w.lender.quote).await);
        let treasury0 = ctx.balance(w.f.treasury_quote).await;
        let terms = OfferTermsExt::small(LoanKind::CreditBacked, schedule);
        let k = w.originate(&mut ctx, terms, pledge).await;
        // the platform's 0.50% origination fee comes out of the principal: $500 to the treasury
        let fee = (100_000 * USD * u64::from(ORIGINATION_FEE_BPS)).div_ceil(10_000);
        assert_eq!(fee, 500 * USD);
        assert_eq!(ctx.balance(w.borrower.quote).await, quote0 + 100_000 * USD - fee);
        assert_eq!(ctx.balance(w.f.treasury_quote).await, treasury0 + fee);
        assert_eq!(ctx.balance(k.vault).await, pledge);
        assert_eq!(ctx.balance(w.borrower.credits).await, 0);
        assert_eq!(loan_state(&mut ctx, &k.loan).await.multiplier_bps, 10_000);

        pay_on_schedule(&mut ctx, &mut w, &k).await;
        assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Repaid);
        let interest = total_interest(&LoanTerms {
            principal: 100_000 * USD,
            apr_bps: 1_200,
            periods: 12,
            kind: schedule,
        })
        .unwrap();
        assert_eq!(ctx.balance(w.lender.quote).await, lender0 + interest);
        ctx.send(&[release_collateral(&k, &w.borrower.credits, &[])], &[]).await.unwrap();
        assert_eq!(ctx.balance(w.borrower.credits).await, pledge);
    }
}

/// Small loans for scenarios: $100,000 over 12 months at 12%.
struct OfferTermsExt;

impl OfferTermsExt {
    fn small(kind: LoanKind, schedule: ScheduleKind) -> compute_credits::OfferTerms {
        compute_credits::OfferTerms {
            principal: 100_000 * USD,
            apr_bps: 1_200,
            periods: 12,
            borrower_tier: 0,
            ..seed_terms(0, kind, schedule as u8)
        }
    }
}

#[tokio::test]
async fn compute_financing_without_maintenance_gives_immediate_access() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let terms = compute_credits::OfferTerms {
        maintenance_bps: 0,
        liquidation_bps: 0,
        initial_bps: 0,
        ..OfferTermsExt::small(LoanKind::ComputeFinancing, ScheduleKind::InterestOnly)
    };
    let k = w.originate(&mut ctx, terms, 0).await;
    let credits = ctx.balance(k.vault).await;
    // $100K, 12 months, pre-revenue: 1.25x + 0.03x for the 12-24 month tier
    assert_eq!(loan_state(&mut ctx, &k.loan).await.multiplier_bps, 12_800);
    assert_eq!(credits, financed_credits(100_000 * USD, 12_800));

    // a provider consumes a third straight from the vault, then the borrower takes the rest,
    // with no price feed needed: there is no coverage requirement
    let provider = w.f.provider(&mut ctx, &w.c).await;
    let third = credits / 3;
    let ix = redeem_from_vault(&k, &provider.pubkey(), third, [9; 32], false);
    ctx.send(&[ix], &[&w.borrower.key, &provider]).await.unwrap();
    let rest = credits - third;
    let ix = withdraw_collateral(&k, &w.borrower.credits, rest, false);
    ctx.send(&[ix], &[&w.borrower.key]).await.unwrap();
    assert_eq!(ctx.balance(k.vault).await, 0);
    assert_eq!(ctx.balance(w.borrower.credits).await, rest);
    let class: compute_credits::state::CreditClass = ctx.anchor_account(w.c.class).await;
    assert_eq!(class.burned, third);

    pay_on_schedule(&mut ctx, &mut w, &k).await;
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Repaid);
}

#[tokio::test]
async fn early_payoff_pays_the_prepayment_fee_only_in_the_first_twelve_months() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let terms = seed_terms(0, LoanKind::ComputeFinancing, ScheduleKind::InterestOnly as u8);

    // two installments on time, then in month 3 pay everything: 1% fee on the prepaid principal
    let k = w.originate(&mut ctx, terms, 0).await;
    let l = ledger(&mut ctx, &k.loan).await;
    for n in 1..=2 {
        let due = l.due_ts(n).unwrap();
        let now = ctx.now().await;
        ctx.advance_clock(due - now).await;
        w.repay(&mut ctx, &k, 8_333_333_334).await.unwrap();
    }
    let t = l.due_ts(3).unwrap() + 10;
    let now = ctx.now().await;
    ctx.advance_clock(t - now).await;
    let before = ctx.balance(w.borrower.quote).await;
    w.repay(&mut ctx, &k, u64::MAX).await.unwrap();
    let l = ledger(&mut ctx, &k.loan).await;
    assert_eq!(l.status().unwrap(), LoanStatus::Repaid);
    let fee = 10_000 * USD; // 1% of $1,000,000
    assert_eq!(l.fees_paid, fee);
    assert_eq!(before - ctx.balance(w.borrower.quote).await, 1_000_000 * USD + 8_333_333_334 + fee);

    // month 13 onwards: no fee
    w.set_price(&mut ctx, PRICE).await;
    let k = w.originate(&mut ctx, terms, 0).await;
    let l = ledger(&mut ctx, &k.loan).await;
    for n in 1..=12 {
        let due = l.due_ts(n).unwrap();
        let now = ctx.now().await;
        ctx.advance_clock(due - now).await;
        w.repay(&mut ctx, &k, 8_333_333_334).await.unwrap();
    }
    ctx.advance_clock(5).await;
    let before = ctx.balance(w.borrower.quote).await;
    w.repay(&mut ctx, &k, u64::MAX).await.unwrap();
    let l = ledger(&mut ctx, &k.loan).await;
    assert_eq!(l.status().unwrap(), LoanStatus::Repaid);
    assert_eq!(l.fees_paid, 0);
    assert_eq!(before - ctx.balance(w.borrower.quote).await, 1_000_000 * USD);
}

#[tokio::test]
async fn late_installment_goes_delinquent_and_paying_the_arrears_cures() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 0), 0).await;
    let due = ledger(&mut ctx, &k.loan).await.due_ts(1).unwrap();

    let now = ctx.now().await;
    w.advance(&mut ctx, due + i64::from(GRACE) + 1 - now, PRICE).await;
    w.crank(&mut ctx, &k).await.unwrap();
    let l = ledger(&mut ctx, &k.loan).await;
    assert_eq!(l.status().unwrap(), LoanStatus::Delinquent);
    let installment = 46_144_926_338;
    assert_eq!(l.principal_due + l.interest_due, installment);
    assert_eq!(l.fees_due, installment.div_ceil(50)); // 2% late fee, rounded up

    w.repay(&mut ctx, &k, l.amount_due().unwrap()).await.unwrap();
    let l = ledger(&mut ctx, &k.loan).await;
    assert_eq!(l.status().unwrap(), LoanStatus::Current);
    assert_eq!((l.arrears_since, l.fees_due), (0, 0));
}

#[tokio::test]
async fn default_freeze_refused_transfer_liquidation_surplus_and_thaw() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    // the borrower also holds credits of its own
    w.f.buy(&mut ctx, &w.c, &w.borrower, 100 * USD).await.unwrap();
    let k = w
        .originate(&mut ctx, OfferTermsExt::small(LoanKind::ComputeFinancing, ScheduleKind::LevelPayment), 0)
        .await;
    let in_vault = ctx.balance(k.vault).await;

    // nothing paid: past grace and the cure window the loan defaults
    let due = ledger(&mut ctx, &k.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    w.advance(&mut ctx, due + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Defaulted);
    // the loan holds the borrower's account; the vault needs no token freeze (only the loan
    // PDA signs for it, and the loan refuses every borrower move once enforceable)
    assert!(!ctx.token_account(k.vault).await.frozen);
    assert!(ctx.token_account(w.borrower.credits).await.frozen);
    let loan = loan_state(&mut ctx, &k.loan).await;
    assert_eq!((loan.frozen, loan.held_accounts()), (1, &[w.borrower.credits][..]));

    // the borrower's own credits cannot move: Token-2022 itself refuses
    let other = w.f.user(&mut ctx, &w.c, 0).await;
    let r = ctx.raw_transfer(&w.c, &w.borrower.credits, &other.credits, &w.borrower.key, USD).await;
    assert_error(&r, TokenError::AccountFrozen as u32);

    // the lender takes what covers the debt at $2.49 less 5%; the rest stays for the borrower
    let debt = ledger(&mut ctx, &k.loan).await.debt().unwrap();
    let own = ctx.balance(w.borrower.credits).await;
    let ix = liquidate_collateral(&k, &w.lender.credits, u64::MAX);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    let loan = loan_state(&mut ctx, &k.loan).await;
    let l = loan.ledger();
    assert_eq!(l.status().unwrap(), LoanStatus::Liquidated);
    assert_eq!(l.debt().unwrap(), 0);
    assert_eq!(loan.recovered, debt);
    assert_eq!(loan.written_off, 0);
    let seized = ctx.balance(w.lender.credits).await;
    assert_eq!(seized, loan.credits_seized);
    let low = Price::new(249_000_000, -8).unwrap();
    let value = |n| value_floor(CreditAtoms(n), low, 6, 6).unwrap().0 * 9_500 / 10_000;
    assert!(
        value(seized) >= debt && value(seized - 1) < debt,
        "seizes the fewest credits that cover the debt"
    );
    assert_eq!(ctx.balance(k.vault).await, in_vault - seized);
    // the loan cannot close while it holds the borrower's account
    let r = ctx.send(&[release_collateral(&k, &w.borrower.credits, &[])], &[]).await;
    assert_error(&r, compute_credits::error::CreditsError::HoldsRemain);
    // anyone releases: the hold is lifted, the rest of the vault goes back, the books close
    ctx.send(&[release_collateral(&k, &w.borrower.credits, &[w.borrower.credits])], &[]).await.unwrap();
    assert_eq!(ctx.balance(w.borrower.credits).await, own + in_vault - seized);
    assert!(!ctx.token_account(w.borrower.credits).await.frozen);
    ctx.raw_transfer(&w.c, &w.borrower.credits, &other.credits, &w.borrower.key, USD).await.unwrap();
    assert!(ctx.account(k.loan).await.is_none());
}

#[tokio::test]
async fn price_drop_margin_call_then_top_up_cures() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 1), 0).await;
    let credits = ctx.balance(k.vault).await;

    // $2.20 +- 0.01: 537,848 GPU-hours x $2.19 = 117.8% of $1M, under 120% maintenance
    w.advance(&mut ctx, 60, 220_000_000).await;
    w.crank(&mut ctx, &k).await.unwrap();
    let l = ledger(&mut ctx, &k.loan).await;
    assert_eq!(l.status().unwrap(), LoanStatus::MarginCall);
    assert_eq!(l.margin_call_deadline, ctx.now().await + i64::from(MARGIN_CALL));
    // withdrawals are refused meanwhile
    let ix = withdraw_collateral(&k, &w.borrower.credits, 1, true);
    assert_error(
        &ctx.send(&[ix], &[&w.borrower.key]).await,
        compute_credits::error::CreditsError::LoanNotCurrent,
    );

    // the borrower buys 20,000 GPU-hours and tops up: 557,848 x $2.19 = 122%
    w.f.buy(&mut ctx, &w.c, &w.borrower, 20_000 * USD).await.unwrap();
    ctx.send(&[top_up_collateral(&k, &w.borrower.credits, 20_000 * USD)], &[&w.borrower.key]).await.unwrap();
    w.crank(&mut ctx, &k).await.unwrap();
    let l = ledger(&mut ctx, &k.loan).await;
    assert_eq!(l.status().unwrap(), LoanStatus::Current);
    assert_eq!(l.margin_call_deadline, 0);
    assert_eq!(ctx.balance(k.vault).await, credits + 20_000 * USD);
}

#[tokio::test]
async fn expired_margin_call_becomes_liquidatable() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 1), 0).await;
    w.advance(&mut ctx, 60, 220_000_000).await;
    w.crank(&mut ctx, &k).await.unwrap();
    w.advance(&mut ctx, i64::from(MARGIN_CALL) + 1, 220_000_000).await;
    w.crank(&mut ctx, &k).await.unwrap();
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Liquidatable);
}

#[tokio::test]
async fn price_crash_liquidation_writes_off_the_shortfall() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 1), 0).await;
    let credits = ctx.balance(k.vault).await;
    // past the breaker's window a crash to $1.00 is accepted as the new price
    w.advance(&mut ctx, 700, 100_000_000).await;
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Liquidatable);

    // at $0.99 one credit atom is worth less than a quote atom: a seizure of it repays nothing,
    // is refused, and does not start recovery (the borrower may still cure)
    let keys = [k.loan, k.vault, w.lender.credits];
    let before = ctx.snapshot(&keys).await;
    let r = ctx.send(&[liquidate_collateral(&k, &w.lender.credits, 1)], &[&w.lender.key]).await;
    assert_error(&r, compute_credits::error::CreditsError::NothingRecovered);
    ctx.assert_unchanged(&before).await;
    assert_eq!(ledger(&mut ctx, &k.loan).await.recovering, 0);
    // partial first: the loan stays liquidatable and keeps its hold
    let ix = liquidate_collateral(&k, &w.lender.credits, credits / 2);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    assert!(ctx.token_account(w.borrower.credits).await.frozen);
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Liquidatable);
    ctx.advance_clock(1).await;
    let ix = liquidate_collateral(&k, &w.lender.credits, u64::MAX);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();

    let loan = loan_state(&mut ctx, &k.loan).await;
    let low = Price::new(99_000_000, -8).unwrap();
    let value = |n| value_floor(CreditAtoms(n), low, 6, 6).unwrap().0 * 9_500 / 10_000;
    let recovered = value(credits / 2) + value(credits - credits / 2);
    assert_eq!(loan.credits_seized, credits);
    assert_eq!(loan.recovered, recovered);
    assert_eq!(loan.written_off, 1_000_000 * USD - recovered);
    assert_eq!(loan.status(), LoanStatus::Liquidated);
    assert_eq!(ctx.balance(w.lender.credits).await, credits);
    // the books close once the hold is lifted
    ctx.send(&[release_collateral(&k, &w.borrower.credits, &[w.borrower.credits])], &[]).await.unwrap();
    assert!(!ctx.token_account(w.borrower.credits).await.frozen);
    assert!(ctx.account(k.loan).await.is_none());
}

#[tokio::test]
async fn a_cured_loan_is_thawed() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 1), 0).await;
    let due = ledger(&mut ctx, &k.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    w.advance(&mut ctx, due + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    // still defaulted: nobody can thaw
    let r = ctx.send(&[thaw_collateral(&k, &[w.borrower.credits])], &[&w.borrower.key]).await;
    assert_error(&r, compute_credits::error::CreditsError::LoanStillEnforceable);

    let owed = ledger(&mut ctx, &k.loan).await.amount_due().unwrap();
    w.repay(&mut ctx, &k, owed).await.unwrap();
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Current);
    ctx.send(&[thaw_collateral(&k, &[w.borrower.credits])], &[&w.borrower.key]).await.unwrap();
    assert!(!ctx.token_account(w.borrower.credits).await.frozen);
    assert_eq!(loan_state(&mut ctx, &k.loan).await.frozen, 0);
}

#[tokio::test]
async fn an_unaccepted_offer_can_be_withdrawn() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let before = ctx.balance(w.lender.quote).await;
    let (k, r) = w.offer(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 0)).await;
    r.result.unwrap();
    assert_eq!(ctx.balance(k.escrow).await, 1_000_000 * USD);
    assert_eq!(ctx.balance(w.lender.quote).await, before - 1_000_000 * USD);
    ctx.send(&[cancel_loan_offer(&k)], &[&w.lender.key]).await.unwrap();
    assert_eq!(ctx.balance(w.lender.quote).await, before);
    for key in [k.loan, k.escrow, k.vault] {
        assert!(ctx.account(key).await.is_none());
    }
}

/// A second token account of the borrower for `w`'s class (not an ATA).
pub async fn second_credit_account(ctx: &mut TestContext, w: &LoanWorld) -> anchor_lang::prelude::Pubkey {
    ctx.token_account_for(&w.borrower.pubkey(), &w.c.mint, &w.c.program).await
}

#[tokio::test]
async fn the_freeze_reaches_every_borrower_account_passed_found_later_too_and_nothing_else() {
    use compute_credits::error::CreditsError;
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let second = second_credit_account(&mut ctx, &w).await;
    let stranger = w.f.user(&mut ctx, &w.c, 0).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 1), 0).await;
    let due = ledger(&mut ctx, &k.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    w.advance(&mut ctx, due + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    let lender = w.lender.pubkey();

    // an account of someone else is refused, with nothing changed
    let keys = [k.loan, k.vault, w.borrower.credits, stranger.credits, freeze_hold_pda(&stranger.credits)];
    let before = ctx.snapshot(&keys).await;
    let ix = freeze_collateral_more(&k, &lender, &w.borrower.credits, &[stranger.credits]);
    assert_error(&ctx.send(&[ix], &[&w.lender.key]).await, CreditsError::WrongLoanAccount);
    ctx.assert_unchanged(&before).await;

    // the first freeze holds the account the lender knows of
    ctx.send(&[freeze_collateral(&k, &lender, &w.borrower.credits)], &[&w.lender.key]).await.unwrap();
    // an account found later is added while the loan is enforceable; one already held is refused
    let again = freeze_collateral(&k, &lender, &w.borrower.credits);
    assert_error(&ctx.send(&[again], &[&w.lender.key]).await, CreditsError::AlreadyHeld);
    ctx.send(&[freeze_collateral(&k, &lender, &second)], &[&w.lender.key]).await.unwrap();
    for key in [w.borrower.credits, second] {
        assert!(ctx.token_account(key).await.frozen);
    }
    assert_eq!(loan_state(&mut ctx, &k.loan).await.held_accounts(), &[w.borrower.credits, second][..]);

    // a loan holds at most four accounts: two more fit, a fifth is refused by name
    let (third, fourth, fifth) = (
        second_credit_account(&mut ctx, &w).await,
        second_credit_account(&mut ctx, &w).await,
        second_credit_account(&mut ctx, &w).await,
    );
    ctx.send(&[freeze_collateral_more(&k, &lender, &third, &[fourth])], &[&w.lender.key]).await.unwrap();
    let keys = [k.loan, fifth, freeze_hold_pda(&fifth)];
    let before = ctx.snapshot(&keys).await;
    let r = ctx.send(&[freeze_collateral(&k, &lender, &fifth)], &[&w.lender.key]).await;
    assert_error(&r, CreditsError::TooManyHeldAccounts);
    ctx.assert_unchanged(&before).await;
    // still enforceable: nobody thaws yet
    let r = ctx.send(&[thaw_collateral(&k, &[third, fourth])], &[]).await;
    assert_error(&r, CreditsError::LoanStillEnforceable);

    // cured: anyone lifts the loan's holds on both, in one transaction
    let owed = ledger(&mut ctx, &k.loan).await.amount_due().unwrap();
    w.repay(&mut ctx, &k, owed).await.unwrap();
    // an account the loan does not hold cannot be named
    let r = ctx.send(&[thaw_collateral(&k, &[stranger.credits])], &[]).await;
    assert_error(&r, CreditsError::NotHeld);
    ctx.send(&[thaw_collateral(&k, &[w.borrower.credits, second, third, fourth])], &[]).await.unwrap();
    for key in [w.borrower.credits, second, third, fourth] {
        assert!(!ctx.token_account(key).await.frozen);
    }
    let loan = loan_state(&mut ctx, &k.loan).await;
    assert_eq!((loan.frozen, loan.held_count), (0, 0));
}

#[tokio::test]
async fn an_emptied_vault_is_written_off_so_the_books_close() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    // no maintenance requirement: the borrower takes every credit, then stops paying
    let terms = compute_credits::OfferTerms {
        maintenance_bps: 0,
        liquidation_bps: 0,
        initial_bps: 0,
        ..OfferTermsExt::small(LoanKind::ComputeFinancing, ScheduleKind::InterestOnly)
    };
    let k = w.originate(&mut ctx, terms, 0).await;
    let all = ctx.balance(k.vault).await;
    ctx.send(&[withdraw_collateral(&k, &w.borrower.credits, all, false)], &[&w.borrower.key]).await.unwrap();
    let due = ledger(&mut ctx, &k.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    w.advance(&mut ctx, due + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    // the freeze reaches the credits where they are now: the borrower's account
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    assert!(ctx.token_account(w.borrower.credits).await.frozen);
    let debt = ledger(&mut ctx, &k.loan).await.debt().unwrap();
    let ix = liquidate_collateral(&k, &w.lender.credits, u64::MAX);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    let loan = loan_state(&mut ctx, &k.loan).await;
    assert_eq!((loan.status(), loan.written_off, loan.recovered), (LoanStatus::Liquidated, debt, 0));
    ctx.send(&[release_collateral(&k, &w.borrower.credits, &[w.borrower.credits])], &[]).await.unwrap();
    assert!(!ctx.token_account(w.borrower.credits).await.frozen);
    assert!(ctx.account(k.loan).await.is_none());
}

#[tokio::test]
async fn prefunded_escrow_and_vault_do_not_block_an_offer() {
    // anyone can send lamports to the next loan's escrow and vault addresses (they are PDAs);
    // the offer still creates both token accounts, sized for the Token-2022 mint's extensions
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let k = w.keys();
    let griefer = ctx.payer().pubkey();
    for target in [k.escrow, k.vault] {
        let ix = anchor_lang::solana_program::system_instruction::transfer(&griefer, &target, 1_000_000);
        ctx.send(&[ix], &[]).await.unwrap();
    }
    let terms = OfferTermsExt::small(LoanKind::ComputeFinancing, ScheduleKind::InterestOnly);
    let terms = compute_credits::OfferTerms { loan_id: k.loan_id, borrower: w.borrower.pubkey(), ..terms };
    w.approve(&mut ctx, terms.borrower_tier).await;
    ctx.send(&[post_loan_offer(&k, terms)], &[&w.lender.key]).await.unwrap();
    assert_eq!(ctx.balance(k.escrow).await, terms.principal);
    let r = w.accept(&mut ctx, &k, LoanKind::ComputeFinancing, 0).await;
    assert!(r.is_ok(), "accept: {:?}", r.result);
    assert_eq!(ctx.balance(k.vault).await, loan_state(&mut ctx, &k.loan).await.credits_at_origination);
    let rent = ctx.rent().await;
    for key in [k.escrow, k.vault] {
        let acc = ctx.account(key).await.unwrap();
        assert!(rent.is_exempt(acc.lamports, acc.data.len()), "{key} is rent-exempt");
        assert_eq!(acc.owner, if key == k.vault { w.c.program } else { w.f.quote_program });
    }
}

#[tokio::test]
async fn a_lender_cannot_block_payments_by_closing_its_account() {
    use anchor_spl::token_2022::spl_token_2022 as t22;
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let terms = OfferTermsExt::small(LoanKind::ComputeFinancing, ScheduleKind::InterestOnly);
    let k = w.originate(&mut ctx, terms, 0).await;
    let k2 = w.originate(&mut ctx, terms, 0).await;
    // the lender moves its money to a second account and closes the one the loan records
    let (lender, q, program) = (&w.lender, w.f.quote_mint, w.f.quote_program);
    let second = ctx.token_account_for(&lender.pubkey(), &q, &program).await;
    let all = ctx.balance(lender.quote).await;
    let decimals = harness::fixtures::QUOTE_DECIMALS;
    let pk = lender.pubkey();
    let ixs = [
        t22::instruction::transfer_checked(&program, &lender.quote, &q, &second, &pk, &[], all, decimals)
            .unwrap(),
        t22::instruction::close_account(&program, &lender.quote, &pk, &pk, &[]).unwrap(),
    ];
    ctx.send(&ixs, &[&lender.key]).await.unwrap();
    assert!(ctx.account(lender.quote).await.is_none());
    // a payment to the closed account cannot go through...
    let b = &w.borrower;
    let r = ctx.send(&[repay_loan(&k, &b.pubkey(), &b.quote, USD)], &[&b.key]).await;
    assert!(r.result.is_err());
    // ...but the borrower pays into any account the lender owns, and the loan takes it
    let before = ctx.balance(second).await;
    let pay = harness::builders::replace_account(
        repay_loan(&k, &b.pubkey(), &b.quote, u64::MAX),
        &k.lender_quote,
        &second,
    );
    ctx.send(&[pay], &[&b.key]).await.unwrap();
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Repaid);
    assert!(ctx.balance(second).await > before + terms.principal);
    // and the collateral is released with the lender's second account
    let release =
        harness::builders::replace_account(release_collateral(&k, &b.credits, &[]), &k.lender_quote, &second);
    ctx.send(&[release], &[]).await.unwrap();
    assert!(ctx.account(k.loan).await.is_none());
    // an account the lender does not own is refused
    let keys = [k2.loan, b.quote, w.f.treasury_quote];
    let before = ctx.snapshot(&keys).await;
    let pay = harness::builders::replace_account(
        repay_loan(&k2, &b.pubkey(), &b.quote, USD),
        &k2.lender_quote,
        &w.f.treasury_quote,
    );
    assert_error(&ctx.send(&[pay], &[&b.key]).await, compute_credits::error::CreditsError::WrongLoanAccount);
    ctx.assert_unchanged(&before).await;
}

#[tokio::test]
async fn the_origination_fee_is_the_one_the_offer_was_posted_with() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let pledge = 61_000 * USD;
    w.f.buy(&mut ctx, &w.c, &w.borrower, pledge).await.unwrap();
    let (k, r) =
        w.offer(&mut ctx, OfferTermsExt::small(LoanKind::CreditBacked, ScheduleKind::InterestOnly)).await;
    r.result.unwrap();
    // the admin raises the fee to 10% after the offer is out
    let fees =
        compute_credits::FeeSettings { origination_fee_bps: 1_000, ..harness::fixtures::default_fees() };
    let f = &w.f;
    let ix = harness::builders::update_platform(
        &f.admin.pubkey(),
        &f.guardian.pubkey(),
        &f.treasury.pubkey(),
        fees,
    );
    ctx.send(&[ix], &[&f.admin]).await.unwrap();
    let (quote0, treasury0) = (ctx.balance(w.borrower.quote).await, ctx.balance(w.f.treasury_quote).await);
    let r = w.accept(&mut ctx, &k, LoanKind::CreditBacked, pledge).await;
    assert!(r.is_ok(), "accept: {:?}", r.result);
    // the borrower pays the 0.50% it saw, not 10%
    let fee = (100_000 * USD * u64::from(ORIGINATION_FEE_BPS)).div_ceil(10_000);
    assert_eq!(ctx.balance(w.f.treasury_quote).await - treasury0, fee);
    assert_eq!(ctx.balance(w.borrower.quote).await - quote0, 100_000 * USD - fee);
    assert_eq!(loan_state(&mut ctx, &k.loan).await.origination_fee_bps, ORIGINATION_FEE_BPS);
}
