//! The loan instructions' representative cases for the compute-unit table, on a fresh bank
//! (the loan world brings its own platform).
use compute_credits::LoanKind;
use solana_sdk::signature::Signer;

use crate::bench::{measure, Measurement};
use crate::context::TestContext;
use crate::fixtures::TokenKind;
use crate::loans::*;

pub async fn measure_loans(mode: crate::Mode) -> Vec<Measurement> {
    let mut out = vec![];
    let ctx = &mut TestContext::start_in(mode).await;
    let mut w = LoanWorld::new(ctx, TokenKind::Token2022).await;
    let admin = &w.f.admin;
    let r = ctx.send(&[configure_lending(&admin.pubkey(), default_lending_params())], &[admin]).await;
    out.push(measure("configure_lending (update)", &r));
    // the underwriter approves a borrower (a fixed key: no keypair of the sequence moves) and
    // withdraws the approval
    let borrower = anchor_lang::prelude::Pubkey::new_from_array([0x77; 32]);
    let expires_at = ctx.now().await + APPROVAL_SECS;
    let r = w.f.approve(ctx, &borrower, 2, APPROVAL_MAX, expires_at).await;
    out.push(measure("approve_borrower", &r));
    let r = w.f.revoke(ctx, &borrower).await;
    out.push(measure("revoke_approval", &r));

    let (k, r) = w.offer(ctx, seed_terms(0, LoanKind::ComputeFinancing, 0)).await;
    out.push(measure("post_loan_offer", &r));
    let r = ctx.send(&[cancel_loan_offer(&k)], &[&w.lender.key]).await;
    out.push(measure("cancel_loan_offer", &r));

    let (k, r) = w.offer(ctx, seed_terms(0, LoanKind::ComputeFinancing, 0)).await;
    r.result.unwrap();
    let r = w.accept(ctx, &k, LoanKind::ComputeFinancing, 0).await;
    out.push(measure("accept_loan (compute financing)", &r));
    let pledge = 61_000 * USD;
    w.f.buy(ctx, &w.c, &w.borrower, pledge).await.unwrap();
    let terms =
        compute_credits::OfferTerms { principal: 100_000 * USD, ..seed_terms(0, LoanKind::CreditBacked, 0) };
    let (cb, r) = w.offer(ctx, terms).await;
    r.result.unwrap();
    let r = w.accept(ctx, &cb, LoanKind::CreditBacked, pledge).await;
    out.push(measure("accept_loan (credit-backed)", &r));

    let r = w.crank(ctx, &k).await;
    out.push(measure("update_loan", &r));
    let b = &w.borrower;
    let r = ctx.send(&[withdraw_collateral(&k, &b.credits, 1_000 * USD, true)], &[&b.key]).await;
    out.push(measure("withdraw_collateral", &r));
    let r = ctx.send(&[top_up_collateral(&k, &b.credits, 1_000 * USD)], &[&b.key]).await;
    out.push(measure("top_up_collateral", &r));
    let provider = w.f.provider(ctx, &w.c).await;
    let ix = redeem_from_vault(&k, &provider.pubkey(), 1_000 * USD, [3; 32], true);
    let r = ctx.send(&[ix], &[&w.borrower.key, &provider]).await;
    out.push(measure("redeem_from_vault", &r));

    let l = ledger(ctx, &k.loan).await;
    let now = ctx.now().await;
    ctx.advance_clock(l.due_ts(1).unwrap() - now).await;
    let r = w.repay(ctx, &k, 46_144_926_338).await;
    out.push(measure("repay_loan (installment)", &r));

    // installment 2 missed: defaulted; frozen; cured; thawed
    let now = ctx.now().await;
    w.advance(ctx, l.due_ts(2).unwrap() + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    let (lender, borrower_credits) = (w.lender.pubkey(), w.borrower.credits);
    let r = ctx.send(&[freeze_collateral(&k, &lender, &borrower_credits)], &[&w.lender.key]).await;
    out.push(measure("freeze_collateral", &r));
    let owed = ledger(ctx, &k.loan).await.amount_due().unwrap();
    w.repay(ctx, &k, owed).await.result.unwrap();
    let r = ctx.send(&[thaw_collateral(&k, &[borrower_credits])], &[&w.lender.key]).await;
    out.push(measure("thaw_collateral", &r));

    // installment 3 missed: the lender liquidates everything; the surplus goes back
    let now = ctx.now().await;
    w.advance(ctx, l.due_ts(3).unwrap() + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    let ix = liquidate_collateral(&k, &w.lender.credits, u64::MAX);
    let r = ctx.send(&[ix], &[&w.lender.key]).await;
    out.push(measure("liquidate_collateral (full, surplus returned)", &r));
    let r = ctx.send(&[release_collateral(&k, &borrower_credits, &[])], &[]).await;
    out.push(measure("release_collateral", &r));

    // a liquidation sale on the v2 market: a defaulted loan, bids at two prices, frozen vault
    use crate::loan_sales::*;
    use compute_credits::OrderType;
    w.set_price(ctx, PRICE).await;
    let (k, mk, _buyer, _) = defaulted_loan_with_bids_v2(ctx, &mut w).await;
    let (lender, borrower_credits) = (w.lender.pubkey(), w.borrower.credits);
    ctx.send(&[freeze_collateral(&k, &lender, &borrower_credits)], &[&w.lender.key]).await.result.unwrap();
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, 240, 45_000, 0);
    let r = ctx.send(&[ix], &[&w.lender.key]).await;
    out.push(measure("sell_collateral (claims the loan's seat, 2 fills, pays off, surplus)", &r));
    out.extend(measure_resting_sale(ctx, &mut w, &mk).await);
    out.extend(measure_missed_term(mode).await);
    out
}

/// A second defaulted loan's sale rests (its seat claimed first), a buyer takes part of it, and
/// the sale is settled; then it expires, the crank prunes it and a settle returns the rest.
async fn measure_resting_sale(
    ctx: &mut TestContext,
    w: &mut LoanWorld,
    mk: &crate::market::MarketKeys,
) -> Vec<Measurement> {
    use crate::loan_sales::*;
    use crate::market_v2_ix::*;
    use compute_credits::{OrderSide, OrderType};
    let mut out = vec![];
    let terms = compute_credits::OfferTerms {
        principal: 100_000 * USD,
        apr_bps: 1_200,
        periods: 12,
        borrower_tier: 0,
        ..seed_terms(0, LoanKind::ComputeFinancing, 1)
    };
    let k = w.originate(ctx, terms, 0).await;
    let due = ledger(ctx, &k.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    w.advance(ctx, due + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    let expiry = ctx.now().await + 600;
    let ix = sell_collateral(&k, mk, &w.borrower.quote, OrderType::Limit, 250, 80_000, expiry);
    let r = ctx.send(&[ix], &[&w.lender.key]).await;
    out.push(measure("sell_collateral (claims the loan's seat, rests the sale)", &r));
    let buyer = w.f.user(ctx, &w.c, 100_000 * USD).await;
    let seat = seated_buyer(ctx, mk, &buyer, 10_000 * USD).await;
    let take = limit_v2(seat, OrderSide::Bid, OrderType::ImmediateOrCancel, 250, 1_000);
    ctx.send(&[place_order_v2(mk, &buyer.pubkey(), take)], &[&buyer.key]).await.result.unwrap();
    let stranger = ctx.funded_keypair(1_000_000_000).await;
    let settle = settle_loan_sale(&stranger.pubkey(), &k, mk, &w.borrower.quote, false);
    let r = ctx.send(std::slice::from_ref(&settle), &[&stranger]).await;
    out.push(measure("settle_loan_sale (1 fill's proceeds to the lender)", &r));
    ctx.advance_clock(601).await;
    let r = ctx.send(&[prune_expired(mk, OrderSide::Ask, 8)], &[&stranger]).await;
    out.push(measure("prune_expired (1 expired order)", &r));
    let r = ctx.send(&[settle], &[&stranger]).await;
    out.push(measure("settle_loan_sale (the pruned sale back to the vault)", &r));
    out
}

/// Installments of the longest term the default lending bounds allow.
pub const LONGEST_TERM: u16 = 36;

/// The accrual worst case: loans of the longest term on which every installment was missed,
/// touched for the first time after the whole term (plus grace and cure) has passed, so one
/// instruction accrues all 36 installments and their late fees. Each must fit the default
/// 200,000 CU of one instruction (before the level payment was cached, a level-payment loan
/// cost about 420,000 CU here and could be neither cranked, frozen nor liquidated).
pub async fn measure_missed_term(mode: crate::Mode) -> Vec<Measurement> {
    use credit_math::schedule::ScheduleKind;
    let mut out = vec![];
    let ctx = &mut TestContext::start_in(mode).await;
    let mut w = LoanWorld::new(ctx, TokenKind::Token2022).await;
    let terms = |schedule: ScheduleKind| compute_credits::OfferTerms {
        periods: LONGEST_TERM,
        ..seed_terms(0, LoanKind::ComputeFinancing, schedule as u8)
    };
    let level = w.originate(ctx, terms(ScheduleKind::LevelPayment), 0).await;
    let interest_only = w.originate(ctx, terms(ScheduleKind::InterestOnly), 0).await;
    let straight = w.originate(ctx, terms(ScheduleKind::StraightLine), 0).await;
    let level_freeze = w.originate(ctx, terms(ScheduleKind::LevelPayment), 0).await;
    let level_liquidate = w.originate(ctx, terms(ScheduleKind::LevelPayment), 0).await;
    let level_repay = w.originate(ctx, terms(ScheduleKind::LevelPayment), 0).await;

    let l = ledger(ctx, &level.loan).await;
    let now = ctx.now().await;
    w.advance(ctx, l.due_ts(LONGEST_TERM).unwrap() + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    for (name, k) in [
        ("update_loan (36 installments missed, level payment)", &level),
        ("update_loan (36 installments missed, interest-only)", &interest_only),
        ("update_loan (36 installments missed, straight-line)", &straight),
    ] {
        let r = w.crank(ctx, k).await;
        out.push(measure(name, &r));
        let l = ledger(ctx, &k.loan).await;
        assert_eq!((l.periods_accrued, l.late_periods_settled), (LONGEST_TERM, LONGEST_TERM), "{name}");
        assert_eq!(status(ctx, &k.loan).await, credit_math::ledger::LoanStatus::Defaulted, "{name}");
    }
    let (lender, borrower_credits) = (w.lender.pubkey(), w.borrower.credits);
    let ix = liquidate_collateral(&level_liquidate, &w.lender.credits, u64::MAX);
    let r = ctx.send(&[ix], &[&w.lender.key]).await;
    out.push(measure("liquidate_collateral (36 installments missed, level payment)", &r));
    let r = ctx.send(&[freeze_collateral(&level_freeze, &lender, &borrower_credits)], &[&w.lender.key]).await;
    out.push(measure("freeze_collateral (36 installments missed, level payment)", &r));
    let r = w.repay(ctx, &level_repay, USD).await;
    out.push(measure("repay_loan (36 installments missed, level payment)", &r));
    for k in [&level_liquidate, &level_freeze, &level_repay] {
        assert_eq!(ledger(ctx, &k.loan).await.periods_accrued, LONGEST_TERM);
    }
    out
}
