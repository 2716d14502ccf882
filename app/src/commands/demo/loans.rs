//! The demo's loan chapter: compute financing from offer to recovery, with the ledger printed.
use anchor_spl::token_2022::spl_token_2022::error::TokenError;
use compute_credits::LoanKind;
use credit_math::ledger::LoanLedger;
use credit_math::price::{credits_for_quote_floor, Price};
use credit_math::underwriting::SERIES_A;
use credit_math::QuoteAtoms;
use harness::fixtures::{ClassFixture, PlatformFixture, User};
use harness::loans::*;
use harness::oracle::NativeFeed;
use harness::{custom_code, TestContext};
use solana_sdk::signature::{Keypair, Signer};

use super::{credits, ok, step, usd};
use crate::commands::CliResult;

/// The five publishers report again (prices go stale after two minutes).
pub async fn fresh_price(ctx: &mut TestContext, nf: &NativeFeed) {
    nf.submit_all(ctx, &[248_000_000, 250_000_000, 251_000_000, 253_000_000, 890_000_000], 1_000_000).await;
}

fn print_ledger(l: &LoanLedger) {
    say!(
        "    ledger: outstanding {} | due: principal {} interest {} fees {} | paid: principal {} interest {} fees {}",
        usd(l.principal_outstanding),
        usd(l.principal_due),
        usd(l.interest_due),
        usd(l.fees_due),
        usd(l.principal_paid),
        usd(l.interest_paid),
        usd(l.fees_paid)
    );
}

async fn move_to(ctx: &mut TestContext, t: i64) {
    let now = ctx.now().await;
    ctx.advance_clock(t - now).await;
}

#[allow(clippy::too_many_arguments)]
pub async fn run(
    ctx: &mut TestContext,
    f: &PlatformFixture,
    c: &ClassFixture,
    nf: &NativeFeed,
    startup: &User,
    provider: &Keypair,
    n: &mut u32,
) -> CliResult {
    step(n, "The admin publishes lending terms and the underwriting table (an hour stands for a month here)");
    ok(&ctx.send(&[configure_lending(&f.admin.pubkey(), default_lending_params())], &[&f.admin]).await)?;
    say!("    $100K-$10M, 8-12% APR, 6-36 months; 2% late fee, 1% prepayment fee in months 1-12, 5% liquidation discount");
    say!("    table: <$250K/6mo/pre-revenue 1.25x, $500K-$2M/12-24mo/Series A 1.35x, $5M+/36mo/Series B+ 1.50x");

    step(
        n,
        "The platform's underwriter approves the startup: Series A, up to $1,100,000 of financing, 90 days",
    );
    let expires_at = ctx.now().await + 90 * 86_400;
    ok(&f.approve(ctx, &startup.pubkey(), SERIES_A, 1_100_000 * USD, expires_at).await)?;
    say!("    the tier, and so the multiplier, is the underwriter's; every accepted financing counts against the limit");

    step(n, "A lender offers compute financing: $1,000,000, 10% APR, 24 months, amortizing, Series A");
    let lender = f.user(ctx, c, 1_500_000 * USD).await;
    ctx.mint_to(&f.quote_mint, &f.quote_program, &startup.quote, 200_000 * USD).await;
    let k = harness::loans::loan_keys(f, c, &lender, &startup.pubkey(), 1);
    let terms = compute_credits::OfferTerms {
        loan_id: 1,
        borrower: startup.pubkey(),
        ..seed_terms(1, LoanKind::ComputeFinancing, 0)
    };
    ok(&ctx.send(&[post_loan_offer(&k, terms)], &[&lender.key]).await)?;
    say!("    principal in escrow: {}; multiplier fixed now: 1.35x", usd(ctx.balance(k.escrow).await));
    let second_wallet = f.user(ctx, c, 0).await;
    let self_deal = harness::loans::loan_keys(f, c, &lender, &second_wallet.pubkey(), 9);
    let terms = compute_credits::OfferTerms { loan_id: 9, borrower: second_wallet.pubkey(), ..terms };
    // the lender has no approval to show for it
    let ix = harness::builders::replace_account(
        post_loan_offer(&self_deal, terms),
        &self_deal.approval,
        &compute_credits::ID,
    );
    let r = ctx.send(&[ix], &[&lender.key]).await;
    say!(
        "    the same offer to a wallet nobody underwrote (the lender's own?) is refused: {}",
        super::error_name(&r)
    );

    step(
        n,
        "The startup accepts: the principal buys the compute, 1.35x of it is minted into the loan's vault",
    );
    fresh_price(ctx, nf).await;
    let treasury0 = ctx.balance(f.treasury_quote).await;
    // the startup's slippage guard: what $1,350,000 buys at $2.54 plus 1%
    let min_credits =
        credits_for_quote_floor(QuoteAtoms(1_350_000 * USD), Price::new(256_540_000, -8).unwrap(), 6, 6)
            .unwrap()
            .0;
    ok(&ctx.send(&[accept_loan(&k, &f.treasury_quote, None, 0, min_credits)], &[&startup.key]).await)?;
    let in_vault = ctx.balance(k.vault).await;
    say!(
        "    treasury +{}; vault holds {} GPU-hours (= $1,350,000 at $2.54, price + confidence; the startup asked for at least {})",
        usd(ctx.balance(f.treasury_quote).await - treasury0),
        credits(in_vault),
        credits(min_credits)
    );
    let approval = approval_state(ctx, &k.approval).await;
    say!("    the approval has {} of {} left", usd(approval.remaining()), usd(approval.max_principal));

    step(
        n,
        "The startup runs jobs straight from the vault (coverage stays above the 120% maintenance ratio)",
    );
    let ix = redeem_from_vault(&k, &provider.pubkey(), 20_000 * USD, [7; 32], true);
    ok(&ctx.send(&[ix], &[&startup.key, provider]).await)?;
    say!("    a provider redeemed 20,000 GPU-hours; vault {}", credits(ctx.balance(k.vault).await));

    step(n, "Installments 1 and 2 are paid on their due dates");
    let start = ledger(ctx, &k.loan).await;
    for i in 1..=2 {
        move_to(ctx, start.due_ts(i).unwrap()).await;
        let before = ctx.balance(lender.quote).await;
        ok(&ctx
            .send(&[repay_loan(&k, &startup.pubkey(), &startup.quote, 46_144_926_338)], &[&startup.key])
            .await)?;
        say!(
            "    installment {i}: the lender of record received {}",
            usd(ctx.balance(lender.quote).await - before)
        );
    }
    print_ledger(&ledger(ctx, &k.loan).await);

    step(n, "Installment 3 is missed: the keeper's crank marks the loan delinquent, then defaulted");
    let due = start.due_ts(3).unwrap();
    move_to(ctx, due + i64::from(GRACE) + 1).await;
    fresh_price(ctx, nf).await;
    ok(&ctx.send(&[update_loan(&k)], &[]).await)?;
    let l = ledger(ctx, &k.loan).await;
    say!("    past the grace period: {:?}, late fee {}", l.status().unwrap(), usd(l.fees_due));
    move_to(ctx, due + i64::from(GRACE + CURE) + 1).await;
    fresh_price(ctx, nf).await;
    ok(&ctx.send(&[update_loan(&k)], &[]).await)?;
    say!("    past the cure window: {:?}", ledger(ctx, &k.loan).await.status().unwrap());

    step(n, "The lender of record signs one transaction: the collateral and the startup's credits freeze");
    ok(&ctx.send(&[freeze_collateral(&k, &lender.pubkey(), &startup.credits)], &[&lender.key]).await)?;
    let other = f.user(ctx, c, 0).await;
    let r = ctx.raw_transfer(c, &startup.credits, &other.credits, &startup.key, 1_000_000).await;
    if custom_code(&r) != Some(TokenError::AccountFrozen as u32) {
        return Err(format!("the startup's transfer should have been refused: {:?}", r.result));
    }
    say!("    the loan holds the startup's account frozen; its transfer is refused by Token-2022: AccountFrozen");

    step(n, "Recovery: the lender takes credits at the oracle price less 5% against the whole debt");
    let debt = ledger(ctx, &k.loan).await.debt().unwrap();
    let ix = liquidate_collateral(&k, &lender.credits, u64::MAX);
    ok(&ctx.send(&[ix], &[&lender.key]).await)?;
    let loan = loan_state(ctx, &k.loan).await;
    say!(
        "    debt {} settled with {} GPU-hours (the fewest that cover it); {} GPU-hours stay in the vault \
         for the startup; recovery {}%",
        usd(debt),
        credits(loan.credits_seized),
        credits(ctx.balance(k.vault).await),
        loan.recovered * 100 / loan.debt_at_recovery.max(1)
    );
    say!("    status {:?}", loan.status());
    print_ledger(&loan.ledger());

    step(
        n,
        "Anyone closes the books: the loan lifts its hold, the rest of the vault goes back, accounts close",
    );
    let own = ctx.balance(startup.credits).await;
    ok(&ctx.send(&[release_collateral(&k, &startup.credits, &[startup.credits])], &[]).await)?;
    say!(
        "    {} GPU-hours returned; startup's account frozen: {}; loan account closed: {}",
        credits(ctx.balance(startup.credits).await - own),
        ctx.token_account(startup.credits).await.frozen,
        ctx.account(k.loan).await.is_none()
    );
    Ok(())
}
