//! The demo's market chapter (market v2): makers deposit into their seats and quote in batches
//! with no token transfer, a seatless taker swaps wallet to wallet, makers requote in one
//! instruction, proceeds are withdrawn, a frozen maker's orders are pulled, the treasury takes
//! its fees, and a defaulted loan's collateral is sold.
use compute_credits::{MarketAsset, OrderSide, OrderType};
use credit_math::market::Seat;
use harness::fixtures::{ClassFixture, PlatformFixture, User};
use harness::loans::USD;
use harness::market::LOT;
use harness::market_v2::*;
use harness::market_v2_ix::*;
use harness::TestContext;
use solana_sdk::signature::Signer;

use super::{credits, ok, step, usd};
use crate::commands::CliResult;

/// A v2 book as text, best prices nearest the middle: price, lots, order sequence number, owner.
pub fn render_book(m: &MarketV2State, names: &dyn Fn(&anchor_lang::prelude::Pubkey) -> String) -> String {
    let tick = m.header().tick_size;
    let line = |o: &credit_math::market::Order| {
        let owner = anchor_lang::prelude::Pubkey::new_from_array(m.seats[o.seat as usize].owner);
        format!("{:>10} x {:<6} #{:<4} {}", usd(o.price.0 * tick), o.lots.0, o.seq, names(&owner))
    };
    let mut s = String::from("      asks\n");
    // sides are stored worst to best: asks print highest first, bids best first
    for o in m.asks().orders() {
        s.push_str(&format!("        {}\n", line(o)));
    }
    s.push_str("      ----\n");
    for o in m.bids().orders().iter().rev() {
        s.push_str(&format!("        {}\n", line(o)));
    }
    s.push_str("      bids");
    s
}

/// A seat's balances as text.
pub fn render_seat(s: &Seat) -> String {
    format!(
        "free {} GPU-h and {}, locked {} GPU-h and {}, resting orders: {}",
        s.base_free.0 / LOT,
        usd(s.quote_free.0),
        s.base_locked.0 / LOT,
        usd(s.quote_locked.0),
        s.order_count
    )
}

/// The seat `owner` claimed (its index is the seat count just after the claim).
async fn claim(ctx: &mut TestContext, k: &harness::market::MarketKeys, u: &User) -> Result<u32, String> {
    ok(&ctx.send(&[claim_seat(k, &u.pubkey())], &[&u.key]).await)?;
    Ok(market_v2_state(ctx, &k.market).await.header().seat_count - 1)
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
    let k = market_v2_keys(f, c, market.pubkey());
    ok(&create_market_v2_account(ctx, &f.admin, &market, &k, market_v2_params()).await)?;
    say!("    lot 1 GPU-hour, tick $0.01, maker fee 0.10%, taker fee 0.30%, at least $1 per resting order,");
    say!(
        "    16 resting orders a trader, 256 a side (a better order evicts the worst); one seat per trader,"
    );
    say!("    added to the market account at the trader's rent: no seat limit to squat");

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
    let (reseller, cloud, lab) = (&traders[0].1, &traders[1].1, &traders[2].1);

    step(n, "The two sellers claim seats and deposit GPU-hours: one token transfer each, after which orders move none");
    let reseller_seat = claim(ctx, &k, reseller).await?;
    let cloud_seat = claim(ctx, &k, cloud).await?;
    ok(&ctx
        .send(&[deposit(&k, reseller, reseller_seat, MarketAsset::Credits, 600 * LOT)], &[&reseller.key])
        .await)?;
    ok(&ctx.send(&[deposit(&k, cloud, cloud_seat, MarketAsset::Credits, 300 * LOT)], &[&cloud.key]).await)?;
    say!("    reseller: seat {reseller_seat}, 600 GPU-hours in; cloud: seat {cloud_seat}, 300 GPU-hours in");

    step(n, "They quote from their balances: the reseller 300 @ $2.49 and 200 @ $2.55 in one batch, the cloud 250 @ $2.49 after it");
    let asks = vec![post(OrderSide::Ask, 249, 300), post(OrderSide::Ask, 255, 200)];
    ok(&ctx
        .send(&[batch_orders(&k, &reseller.pubkey(), reseller_seat, false, vec![], asks)], &[&reseller.key])
        .await)?;
    let ask = limit_v2(cloud_seat, OrderSide::Ask, OrderType::PostOnly, 249, 250);
    ok(&ctx.send(&[place_order_v2(&k, &cloud.pubkey(), ask)], &[&cloud.key]).await)?;
    say!("{}", render_book(&market_v2_state(ctx, &k.market).await, &name_of));

    step(n, "The lab swaps $1,000.00 for GPU-hours at up to $2.50, at least 400: no seat, wallet to wallet in one instruction, best price first, earliest first");
    let (q0, c0) = (ctx.balance(lab.quote).await, ctx.balance(lab.credits).await);
    ok(&ctx.send(&[swap(&k, lab, OrderSide::Bid, 1_000 * USD, 400 * LOT, 250)], &[&lab.key]).await)?;
    let fees = market_v2_state(ctx, &k.market).await.header().treasury_fees.0;
    say!(
        "    the lab received {} GPU-hours and paid {} (its change stays in its wallet); fees for the treasury so far {}",
        credits(ctx.balance(lab.credits).await - c0),
        usd(q0 - ctx.balance(lab.quote).await),
        usd(fees)
    );
    say!("{}", render_book(&market_v2_state(ctx, &k.market).await, &name_of));

    step(
        n,
        "The reseller requotes in one instruction, all or nothing: cancel all its orders, post three asks",
    );
    let asks =
        vec![post(OrderSide::Ask, 251, 100), post(OrderSide::Ask, 253, 100), post(OrderSide::Ask, 256, 100)];
    ok(&ctx
        .send(&[batch_orders(&k, &reseller.pubkey(), reseller_seat, true, vec![], asks)], &[&reseller.key])
        .await)?;
    say!("{}", render_book(&market_v2_state(ctx, &k.market).await, &name_of));

    step(n, "The lab takes a seat and deposits $2,000: a post-only bid that would cross is refused; one below the asks rests");
    let lab_seat = claim(ctx, &k, lab).await?;
    ok(&ctx.send(&[deposit(&k, lab, lab_seat, MarketAsset::Quote, 2_000 * USD)], &[&lab.key]).await)?;
    let crossing = limit_v2(lab_seat, OrderSide::Bid, OrderType::PostOnly, 249, 10);
    let r = ctx.send(&[place_order_v2(&k, &lab.pubkey(), crossing)], &[&lab.key]).await;
    say!("    post-only @ $2.49: {}", super::error_name(&r));
    let bid = limit_v2(lab_seat, OrderSide::Bid, OrderType::PostOnly, 247, 100);
    ok(&ctx.send(&[place_order_v2(&k, &lab.pubkey(), bid)], &[&lab.key]).await)?;
    say!("{}", render_book(&market_v2_state(ctx, &k.market).await, &name_of));

    step(n, "The makers withdraw their proceeds (price less the maker fee) from their seats");
    for (name, u, seat) in [("reseller", reseller, reseller_seat), ("cloud", cloud, cloud_seat)] {
        let free = market_v2_state(ctx, &k.market).await.seats[seat as usize].quote_free.0;
        let before = ctx.balance(u.quote).await;
        ok(&ctx.send(&[withdraw(&k, u, seat, MarketAsset::Quote, free)], &[&u.key]).await)?;
        say!("    {name}: +{}", usd(ctx.balance(u.quote).await - before));
    }

    step(n, "The guardian blocks the reseller: the freeze and the pull of its resting orders share one transaction");
    let g = &f.guardian;
    let held = (&reseller.pubkey(), &reseller.credits);
    let freeze = harness::builders::freeze_credits(&g.pubkey(), &c.class, &c.mint, held, &c.program, 9);
    let pull = cancel_frozen_orders_v2(&k, &reseller.credits, &reseller.pubkey());
    ok(&ctx.send(&[freeze, pull], &[g]).await)?;
    let m = market_v2_state(ctx, &k.market).await;
    say!("{}", render_book(&m, &name_of));
    say!(
        "    its asks are gone before anyone could fill them; its seat: {}",
        render_seat(&m.seats[reseller_seat as usize])
    );
    let out = withdraw(&k, reseller, reseller_seat, MarketAsset::Credits, 300 * LOT);
    let r = ctx.send(std::slice::from_ref(&out), &[&reseller.key]).await;
    say!("    withdrawing its GPU-hours while frozen: {}", super::error_name(&r));
    let thaw = harness::builders::thaw_credits(&g.pubkey(), &c.class, &c.mint, held, &c.program, 9);
    ok(&ctx.send(&[thaw], &[g]).await)?;
    let clear = clear_seat_freeze(&k, &reseller.pubkey(), reseller_seat);
    ok(&ctx.send(&[clear, out], &[&reseller.key]).await)?;
    say!("    thawed: anyone clears the seat's flag once no hold remains, and the reseller withdraws its 300 GPU-hours");

    step(
        n,
        "The treasury's fees wait in the market (fills move no tokens); anyone pays them to the treasury",
    );
    let fees = market_v2_state(ctx, &k.market).await.header().treasury_fees.0;
    let before = ctx.balance(f.treasury_quote).await;
    ok(&ctx.send(&[withdraw_market_fees(&k, &f.treasury_quote, fees)], &[]).await)?;
    say!("    treasury +{}", usd(ctx.balance(f.treasury_quote).await - before));

    sale(ctx, f, c, nf, startup, (lab, lab_seat), &k, n).await
}

/// A second financed loan defaults and its lender sells the collateral on the market, from the
/// loan's own seat.
#[allow(clippy::too_many_arguments)]
async fn sale(
    ctx: &mut TestContext,
    f: &PlatformFixture,
    c: &ClassFixture,
    nf: &harness::oracle::NativeFeed,
    startup: &User,
    (lab, lab_seat): (&User, u32),
    k: &harness::market::MarketKeys,
    n: &mut u32,
) -> CliResult {
    use compute_credits::LoanKind;
    use harness::loan_sales::sell_collateral;
    use harness::loans::*;
    step(n, "A second financed loan defaults; its lender sells the collateral on the market");
    ctx.mint_to(&f.quote_mint, &f.quote_program, &lab.quote, 200_000 * USD).await;
    let funds = bid_lock(246, 60_000);
    ok(&ctx.send(&[deposit(k, lab, lab_seat, MarketAsset::Quote, funds)], &[&lab.key]).await)?;
    let bid = limit_v2(lab_seat, OrderSide::Bid, OrderType::Limit, 246, 60_000);
    ok(&ctx.send(&[place_order_v2(k, &lab.pubkey(), bid)], &[&lab.key]).await)?;
    say!("    the lab deposits {} and bids for 60,000 GPU-hours at $2.46", usd(funds));
    let lender = f.user(ctx, c, 200_000 * USD).await;
    let lk = harness::loans::loan_keys(f, c, &lender, &startup.pubkey(), 2);
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
    // immediate-or-cancel down to $2.40, never below the floor, no more than nets the debt; the
    // loan's seat is claimed on the way (the lender pays its rent)
    let ix = sell_collateral(&lk, k, &startup.quote, OrderType::ImmediateOrCancel, 240, 45_000, 0);
    ok(&ctx.send(&[ix], &[&lender.key]).await)?;
    let loan = loan_state(ctx, &lk.loan).await;
    say!(
        "    sold {} GPU-hours at $2.46 and better: debt {} repaid to the lender ({}), surplus {} to the startup; status {:?}",
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
