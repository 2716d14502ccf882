//! The demo's market chapter: makers quote GPU-hours, a taker sweeps the best prices, both legs
//! settle in one instruction, fees go to the treasury, makers withdraw.
use compute_credits::{OrderSide, OrderType};
use harness::fixtures::{ClassFixture, PlatformFixture, User};
use harness::market::*;
use harness::TestContext;
use solana_sdk::signature::Signer;

use super::{credits, ok, step, usd};
use crate::commands::CliResult;

/// The book as text, best prices nearest the middle.
pub fn render_book(
    m: &compute_credits::state::Market,
    names: &dyn Fn(&anchor_lang::prelude::Pubkey) -> String,
) -> String {
    let b = m.book();
    let line = |o: &credit_math::book::RestingOrder| {
        let owner = m.seats[compute_credits::state::seat_of_tag(&o.owner)].owner;
        format!("{:>10} x {:<6} #{:<4} {}", usd(o.price.0 * m.tick_size), o.lots.0, o.seq, names(&owner))
    };
    let mut s = String::from("      asks\n");
    for o in b.asks.orders() {
        s.push_str(&format!("        {}\n", line(o)));
    }
    s.push_str("      ----\n");
    for o in b.bids.orders().iter().rev() {
        s.push_str(&format!("        {}\n", line(o)));
    }
    s.push_str("      bids");
    s
}

pub async fn run(
    ctx: &mut TestContext,
    f: &PlatformFixture,
    c: &ClassFixture,
    nf: &harness::oracle::NativeFeed,
    startup: &User,
    n: &mut u32,
) -> CliResult {
    step(n, "The admin opens a market for H100 GPU-hours against the quote currency");
    let market = ctx.keypair();
    let k = MarketKeys::new(f, c, market.pubkey());
    ok(&create_market_account(ctx, f, &market, &k, market_params()).await)?;
    say!("    lot 1 GPU-hour, tick $0.01, maker fee 0.10%, taker fee 0.30%, 256 orders a side");

    let mut traders: Vec<(&str, User)> = vec![];
    for name in ["reseller", "cloud", "lab"] {
        let u = f.user(ctx, c, 50_000_000_000).await;
        traders.push((name, u));
    }
    // the sellers hold credits bought at the list price
    for (_, u) in &traders[..2] {
        let mut p = f.purchase(c, u);
        p.price_feed = Some(harness::builders::price_feed_pda(&c.class));
        ok(&ctx
            .send(&[harness::builders::purchase_credits(&p, 1_000_000_000, 10_000_000)], &[&u.key])
            .await)?;
    }
    let name_of = |key: &anchor_lang::prelude::Pubkey| {
        traders.iter().find(|(_, u)| u.pubkey() == *key).map(|(n, _)| n.to_string()).unwrap_or_default()
    };

    step(n, "Two sellers quote: the reseller 300 @ $2.49 and 200 @ $2.55, the cloud 250 @ $2.49 later");
    for (who, price, lots) in [(0usize, 249, 300), (0, 255, 200), (1, 249, 250)] {
        let t = &traders[who].1;
        ok(&ctx
            .send(&[place_order(&k, t, order(OrderSide::Ask, OrderType::Limit, price, lots))], &[&t.key])
            .await)?;
    }
    say!("{}", render_book(&*market_state(ctx, &k.market).await, &name_of));

    step(n, "The lab buys 400 GPU-hours up to $2.50 (immediate-or-cancel): best price first, earliest first");
    let lab = &traders[2].1;
    let (q0, c0, t0) =
        (ctx.balance(lab.quote).await, ctx.balance(lab.credits).await, ctx.balance(f.treasury_quote).await);
    ok(&ctx
        .send(
            &[place_order(&k, lab, order(OrderSide::Bid, OrderType::ImmediateOrCancel, 250, 400))],
            &[&lab.key],
        )
        .await)?;
    say!(
        "    the lab received {} GPU-hours and paid {} in the same instruction; treasury fees {}",
        credits(ctx.balance(lab.credits).await - c0),
        usd(q0 - ctx.balance(lab.quote).await),
        usd(ctx.balance(f.treasury_quote).await - t0)
    );
    say!("{}", render_book(&*market_state(ctx, &k.market).await, &name_of));

    step(n, "A post-only bid that would cross is refused; one below the ask rests");
    let r = ctx
        .send(&[place_order(&k, lab, order(OrderSide::Bid, OrderType::PostOnly, 249, 10))], &[&lab.key])
        .await;
    say!("    post-only @ $2.49: {}", super::error_name(&r));
    ok(&ctx
        .send(&[place_order(&k, lab, order(OrderSide::Bid, OrderType::PostOnly, 247, 100))], &[&lab.key])
        .await)?;
    say!("{}", render_book(&*market_state(ctx, &k.market).await, &name_of));

    step(n, "The makers withdraw their proceeds (price less the maker fee)");
    for (name, u) in &traders[..2] {
        let before = ctx.balance(u.quote).await;
        ok(&ctx.send(&[settle_funds(&k, u)], &[&u.key]).await)?;
        say!("    {name}: +{}", usd(ctx.balance(u.quote).await - before));
    }

    step(n, "The guardian blocks the reseller: the freeze and the pull of its resting orders share one transaction");
    let (g, reseller) = (&f.guardian, &traders[0].1);
    let freeze = harness::builders::freeze_credits(
        &g.pubkey(),
        &c.class,
        &c.mint,
        (&reseller.pubkey(), &reseller.credits),
        &c.program,
        9,
    );
    ok(&ctx.send(&[freeze, cancel_frozen_orders(&k, &reseller.credits)], &[g]).await)?;
    let m = market_state(ctx, &k.market).await;
    let seat = m.seats[m.seat_of(&reseller.pubkey()).unwrap_or_default()];
    say!("{}", render_book(&m, &name_of));
    say!(
        "    its ask is gone before anyone could fill it; {} GPU-hours wait in its seat until no freeze hold remains on it",
        credits(seat.base_free)
    );
    let thaw = harness::builders::thaw_credits(
        &g.pubkey(),
        &c.class,
        &c.mint,
        (&reseller.pubkey(), &reseller.credits),
        &c.program,
        9,
    );
    ok(&ctx.send(&[thaw], &[g]).await)?;

    step(n, "A second financed loan defaults; its lender sells the collateral on the market");
    use compute_credits::LoanKind;
    use harness::loans::*;
    ctx.mint_to(&f.quote_mint, &f.quote_program, &lab.quote, 200_000 * USD).await;
    ok(&ctx
        .send(&[place_order(&k, lab, order(OrderSide::Bid, OrderType::Limit, 246, 60_000))], &[&lab.key])
        .await)?;
    say!("    the lab bids for 60,000 GPU-hours at $2.46");
    let lender = f.user(ctx, c, 200_000 * USD).await;
    let lk = LoanKeys::new(f, c, &lender, &startup.pubkey(), 2);
    // the startup's Series A approval has $100,000 left after the first financing: just enough
    let terms = compute_credits::OfferTerms {
        loan_id: 2,
        borrower: startup.pubkey(),
        principal: 100_000 * USD,
        periods: 12,
        ..seed_terms(2, LoanKind::ComputeFinancing, 1)
    };
    ok(&ctx.send(&[post_loan_offer(&lk, terms)], &[&lender.key]).await)?;
    super::loans::fresh_price(ctx, nf).await;
    ok(&ctx.send(&[accept_loan(&lk, &f.treasury_quote, None, 0, 0)], &[&startup.key]).await)?;
    let due = ledger(ctx, &lk.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    ctx.advance_clock(due + i64::from(GRACE + CURE) + 1 - now).await;
    super::loans::fresh_price(ctx, nf).await;
    ok(&ctx.send(&[freeze_collateral(&lk, &lender.pubkey(), &startup.credits)], &[&lender.key]).await)?;
    let debt = ledger(ctx, &lk.loan).await.debt().unwrap();
    let (lender0, startup0) = (ctx.balance(lender.quote).await, ctx.balance(startup.quote).await);
    let ix = sell_collateral(&lk, &k, &startup.quote, OrderType::ImmediateOrCancel, 240, 45_000);
    ok(&ctx.send(&[ix], &[&lender.key]).await)?;
    let loan = loan_state(ctx, &lk.loan).await;
    say!(
        "    sold {} GPU-hours at $2.46: debt {} repaid to the lender ({}), surplus {} to the startup; status {:?}",
        credits(loan.credits_seized),
        usd(debt),
        usd(ctx.balance(lender.quote).await - lender0),
        usd(ctx.balance(startup.quote).await - startup0),
        loan.status()
    );
    ok(&ctx.send(&[release_collateral(&lk, &startup.credits, &[startup.credits])], &[]).await)?;
    say!("    the rest of the vault went back to the startup and its account is thawed");
    Ok(())
}
