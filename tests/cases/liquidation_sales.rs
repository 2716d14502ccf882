//! Liquidation sales on market v2: the lender of a defaulted loan sells collateral from the
//! loan's own seat (owner = the loan PDA). What crosses fills now and pays the loan down through
//! its waterfall; a `Limit` sale rests what nets the rest of the debt, and `settle_loan_sale`
//! books its fills the same way, returning unsold credits to the vault. Any surplus goes to the
//! borrower; nothing reaches any other wallet.
use anchor_lang::error::ErrorCode as AnchorError;
use compute_credits::error::CreditsError;
use compute_credits::{LoanKind, MarketAsset, OrderSide, OrderType};
use credit_math::ledger::LoanStatus;
use harness::loan_sales::*;
use harness::loans::*;
use harness::market::{fee_per_lot, LOT, MAKER_FEE_BPS, TAKER_FEE_BPS, TICK};
use harness::market_v2::{market_v2_state, seat_record};
use harness::market_v2_ix::*;
use harness::{assert_error, refused, TestContext, TokenKind};
use solana_sdk::signature::Signer;

/// The sale floor of the harness's loans: $2.49 (price less confidence) less the 5% discount,
/// $2.3655 a lot, rounded up to 237 ticks.
const FLOOR: u64 = 237;

fn net_per_lot(price: u64) -> u64 {
    price * TICK - fee_per_lot(price, TAKER_FEE_BPS)
}

/// The least a lot resting at `price` nets: the larger fee taken off (what `plan_rest` sizes by).
fn rest_net_per_lot(price: u64) -> u64 {
    price * TICK - fee_per_lot(price, MAKER_FEE_BPS.max(TAKER_FEE_BPS))
}

/// The loan's seat in the market (its index and balances).
async fn loan_seat_state(
    ctx: &mut TestContext,
    k: &LoanKeys,
    mk: &harness::market::MarketKeys,
) -> Option<credit_math::market::Seat> {
    let m = market_v2_state(ctx, &mk.market).await;
    m.seats.iter().find(|s| s.owner == k.loan.to_bytes()).copied()
}

#[tokio::test]
async fn a_sale_pays_the_loan_down_and_sells_no_more_than_the_debt_needs() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (k, mk, _buyer, buyer_seat) = defaulted_loan_with_bids_v2(&mut ctx, &mut w).await;
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    let debt = ledger(&mut ctx, &k.loan).await.debt().unwrap();
    let (lender0, borrower0, vault0) =
        (ctx.balance(w.lender.quote).await, ctx.balance(w.borrower.quote).await, ctx.balance(k.vault).await);

    // offered 45,000 GPU-hours down to $2.40: 20,000 fill at $2.45, then at $2.40 only what
    // nets the rest of the debt after the 0.30% taker fee
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, 240, 45_000, 0);
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
    assert_eq!((loan.recovered, loan.credits_seized, loan.sale_credits), (debt, sold * LOT, 0));
    // the buyer's seat holds its credits; the loan's seat was claimed and holds nothing
    let m = market_v2_state(&mut ctx, &mk.market).await;
    assert_eq!(m.seats[buyer_seat as usize].base_free.0, sold * LOT);
    let seat = loan_seat_state(&mut ctx, &k, &mk).await.expect("the loan's seat");
    assert_eq!((seat.base_free.0, seat.base_locked.0, seat.quote_free.0, seat.order_count), (0, 0, 0, 0));
    assert_vaults_match(&mut ctx, &mk).await;
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
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (k, mk, _buyer, _) = defaulted_loan_with_bids_v2(&mut ctx, &mut w).await;
    ctx.send(&[freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits)], &[&w.lender.key])
        .await
        .unwrap();
    let debt = ledger(&mut ctx, &k.loan).await.debt().unwrap();
    // only the bids at $2.45 or better: 20,000 GPU-hours
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, 245, 45_000, 0);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    let l = ledger(&mut ctx, &k.loan).await;
    assert_eq!(l.debt().unwrap(), debt - 20_000 * net_per_lot(245));
    assert_eq!(l.status().unwrap(), LoanStatus::Defaulted);
    assert!(ctx.token_account(w.borrower.credits).await.frozen);
    assert_eq!(loan_state(&mut ctx, &k.loan).await.held_count, 1);
    assert_vaults_match(&mut ctx, &mk).await;
    // fill-or-kill beyond the book is refused whole; so is a sale that fills nothing
    let keys = [k.loan, k.vault, mk.market, mk.base_vault, mk.quote_vault, w.lender.quote];
    let before = ctx.snapshot(&keys).await;
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::FillOrKill, 245, 100_000, 0);
    assert_error(&ctx.send(&[ix], &[&w.lender.key]).await, CreditsError::CannotFillCompletely);
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, 245, 100, 0);
    assert_error(&ctx.send(&[ix], &[&w.lender.key]).await, CreditsError::NothingRecovered);
    ctx.assert_unchanged(&before).await;
}

/// The reproduced attack, on market v2: the lender bids one tick for the whole vault from its
/// own seat and sells the vault into its own bid in the same transaction. The floor refuses
/// it, immediate or resting; at the floor the lender buys no more than nets the debt, and the
/// rest of the vault stays the borrower's.
#[tokio::test]
async fn the_lender_cannot_buy_the_collateral_below_the_floor() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (k, mk) = defaulted_loan_and_market(&mut ctx, &mut w).await;
    let vault0 = ctx.balance(k.vault).await;
    let vault_lots = vault0 / LOT;
    // the lender's own seat, funded for the whole vault at the floor
    let funds = bid_lock(FLOOR, vault_lots);
    ctx.mint_to(&w.f.quote_mint, &w.f.quote_program, &w.lender.quote, funds).await;
    let seat = seated_buyer(&mut ctx, &mk, &w.lender, funds).await;
    let keys = [
        k.loan,
        k.vault,
        mk.market,
        mk.base_vault,
        mk.quote_vault,
        w.lender.quote,
        w.borrower.quote,
        loan_seat(&k, &mk),
    ];
    let bid = |price| {
        place_order_v2(
            &mk,
            &w.lender.pubkey(),
            limit_v2(seat, OrderSide::Bid, OrderType::Limit, price, vault_lots),
        )
    };
    let expiry = ctx.now().await + 600;
    for price in [1, FLOOR - 1] {
        for (t, e) in
            [(OrderType::ImmediateOrCancel, 0), (OrderType::FillOrKill, 0), (OrderType::Limit, expiry)]
        {
            let sale = sell_collateral(&k, &mk, &w.borrower.quote, t, price, vault_lots, e);
            let before = ctx.snapshot(&keys).await;
            let r = ctx.send(&[bid(price), sale], &[&w.lender.key]).await;
            assert_error(&r, CreditsError::SaleBelowFloor);
            ctx.assert_unchanged(&before).await;
        }
    }
    // at the floor: the lender buys what nets the debt, no more
    let sale =
        sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, FLOOR, vault_lots, 0);
    ctx.send(&[bid(FLOOR), sale], &[&w.lender.key]).await.unwrap();
    let loan = loan_state(&mut ctx, &k.loan).await;
    let (sold, debt) = (loan.credits_seized / LOT, loan.debt_at_recovery);
    assert_eq!((loan.status(), loan.recovered), (LoanStatus::Liquidated, debt));
    let (net, fewer) = (sold * net_per_lot(FLOOR), (sold - 1) * net_per_lot(FLOOR));
    assert!(net >= debt && fewer < debt, "sold {sold}: {net} / {fewer} against {debt}");
    assert_eq!(ctx.balance(k.vault).await, vault0 - sold * LOT);
    assert_vaults_match(&mut ctx, &mk).await;
}

/// A `Limit` sale on an empty book rests what nets the debt at its own price (no more), its
/// credits still the loan's collateral; fills credit the loan's seat, and anyone's settle
/// pays them through the waterfall: the lender of record up to the debt, the borrower the
/// surplus; the last settle closes the sale and the loan can be released.
#[tokio::test]
async fn a_resting_sale_is_sized_to_the_debt_and_settles_through_the_waterfall() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (k, mk) = defaulted_loan_and_market(&mut ctx, &mut w).await;
    let vault0 = ctx.balance(k.vault).await;
    let (lender0, borrower0) = (ctx.balance(w.lender.quote).await, ctx.balance(w.borrower.quote).await);
    let expiry = ctx.now().await + 600;
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::Limit, 250, vault0 / LOT, expiry);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    // the debt the sale saw (accrued to now)
    let debt = loan_state(&mut ctx, &k.loan).await.debt_at_recovery;
    let seat = loan_seat_state(&mut ctx, &k, &mk).await.expect("the loan's seat");
    let rest = seat.base_locked.0 / LOT;
    assert!(rest * rest_net_per_lot(250) >= debt && (rest - 1) * rest_net_per_lot(250) < debt, "{rest} lots");
    assert_eq!((seat.order_count, seat.base_free.0, seat.quote_free.0), (1, 0, 0));
    let asks = market_v2_state(&mut ctx, &mk.market).await.asks();
    let order = asks.orders()[0];
    assert_eq!((order.price.0, order.lots.0, order.expiry), (250, rest, expiry));
    // the credits left the vault but are still the loan's: nothing booked yet
    let loan = loan_state(&mut ctx, &k.loan).await;
    assert_eq!((loan.sale_credits, loan.recovered, loan.status()), (rest * LOT, 0, LoanStatus::Defaulted));
    assert_eq!(ctx.balance(k.vault).await, vault0 - rest * LOT);
    assert_vaults_match(&mut ctx, &mk).await;

    // a buyer takes 10,000 lots; a stranger settles: the proceeds pay the lender of record
    let buyer = w.f.user(&mut ctx, &w.c, 1_000_000 * USD).await;
    let bseat = seated_buyer(&mut ctx, &mk, &buyer, 300_000 * USD).await;
    let take = |lots| {
        place_order_v2(
            &mk,
            &buyer.pubkey(),
            limit_v2(bseat, OrderSide::Bid, OrderType::ImmediateOrCancel, 250, lots),
        )
    };
    ctx.send(&[take(10_000)], &[&buyer.key]).await.unwrap();
    let maker_net = |lots: u64| lots * (250 * TICK - fee_per_lot(250, MAKER_FEE_BPS));
    let stranger = ctx.funded_keypair(1_000_000_000).await;
    let settle = settle_loan_sale(&stranger.pubkey(), &k, &mk, &w.borrower.quote, false);
    ctx.send(std::slice::from_ref(&settle), &[&stranger]).await.unwrap();
    assert_eq!(ctx.balance(w.lender.quote).await - lender0, maker_net(10_000));
    let loan = loan_state(&mut ctx, &k.loan).await;
    assert_eq!(loan.sale_credits, (rest - 10_000) * LOT);
    assert_eq!((loan.recovered, loan.credits_seized), (maker_net(10_000), 10_000 * LOT));
    assert_eq!(ledger(&mut ctx, &k.loan).await.debt().unwrap(), debt - maker_net(10_000));
    // settled again with nothing new: refused, nothing changes
    let keys = [k.loan, k.vault, mk.market, mk.quote_vault, w.lender.quote, w.borrower.quote];
    let before = ctx.snapshot(&keys).await;
    assert_error(&ctx.send(std::slice::from_ref(&settle), &[&stranger]).await, CreditsError::NothingToSettle);
    ctx.assert_unchanged(&before).await;

    // the rest fills: the debt is repaid, the surplus is the borrower's, the sale is over
    ctx.send(&[take(rest - 10_000)], &[&buyer.key]).await.unwrap();
    ctx.send(&[settle], &[&stranger]).await.unwrap();
    let loan = loan_state(&mut ctx, &k.loan).await;
    assert_eq!(
        (loan.status(), loan.sale_credits, loan.credits_seized),
        (LoanStatus::Liquidated, 0, rest * LOT)
    );
    let debt_paid = ctx.balance(w.lender.quote).await - lender0;
    assert_eq!(debt_paid, loan.recovered);
    assert_eq!(ctx.balance(w.borrower.quote).await - borrower0, maker_net(rest) - debt_paid);
    assert_eq!(ctx.balance(k.vault).await, vault0 - rest * LOT);
    assert_vaults_match(&mut ctx, &mk).await;
    let left = ctx.balance(k.vault).await;
    let own = ctx.balance(w.borrower.credits).await;
    ctx.send(&[release_collateral(&k, &w.borrower.credits, &[])], &[]).await.unwrap();
    assert_eq!(ctx.balance(w.borrower.credits).await, own + left);
}

/// Bids above the floor but below what the debt needs: the immediate part takes them, the
/// rest rests at the sale's price, sized on the debt the immediate part left.
#[tokio::test]
async fn a_limit_sale_takes_the_bids_then_rests_the_rest() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let (k, mk) = defaulted_loan_and_market(&mut ctx, &mut w).await;
    let buyer = w.f.user(&mut ctx, &w.c, 1_000_000 * USD).await;
    let bseat = seated_buyer(&mut ctx, &mk, &buyer, bid_lock(245, 5_000)).await;
    bid(&mut ctx, &mk, &buyer, bseat, 245, 5_000).await;
    let lender0 = ctx.balance(w.lender.quote).await;
    let expiry = ctx.now().await + MAX_REST;
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::Limit, 240, 60_000, expiry);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    let debt = loan_state(&mut ctx, &k.loan).await.debt_at_recovery;
    let took = 5_000 * net_per_lot(245);
    assert_eq!(ctx.balance(w.lender.quote).await - lender0, took);
    let seat = loan_seat_state(&mut ctx, &k, &mk).await.unwrap();
    let rest = seat.base_locked.0 / LOT;
    let left = debt - took;
    assert!(rest * rest_net_per_lot(240) >= left && (rest - 1) * rest_net_per_lot(240) < left);
    let loan = loan_state(&mut ctx, &k.loan).await;
    assert_eq!((loan.recovered, loan.credits_seized, loan.sale_credits), (took, 5_000 * LOT, rest * LOT));
    assert_vaults_match(&mut ctx, &mk).await;
}

const MAX_REST: i64 = compute_credits::constants::MAX_SALE_REST_SECS;

/// An expired rest stays on the book until pulled: the lender pulls it (`cancel_orders`), or
/// anyone once the loan no longer needs it; its credits go back to the vault.
#[tokio::test]
async fn the_lender_pulls_a_sale_and_a_repaid_loan_pulls_its_own() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (k, mk) = defaulted_loan_and_market(&mut ctx, &mut w).await;
    let vault0 = ctx.balance(k.vault).await;
    let expiry = ctx.now().await + 60;
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::Limit, 260, 80_000, expiry);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    assert!(ctx.balance(k.vault).await < vault0);
    // a second sale waits for the first to be settled
    let keys = [k.loan, k.vault, mk.market, mk.base_vault, mk.quote_vault, w.lender.quote, w.borrower.quote];
    let before = ctx.snapshot(&keys).await;
    let again = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, 260, 10, 0);
    assert_error(&ctx.send(&[again], &[&w.lender.key]).await, CreditsError::LoanSaleOpen);
    // expired, it no longer fills; a stranger's settle finds nothing to do; the lender pulls it
    w.advance(&mut ctx, 61, PRICE).await;
    ctx.assert_unchanged(&before).await;
    let before = ctx.snapshot(&keys).await;
    let stranger = w.f.user(&mut ctx, &w.c, 0).await;
    let r = ctx
        .send(&[settle_loan_sale(&stranger.pubkey(), &k, &mk, &w.borrower.quote, false)], &[&stranger.key])
        .await;
    assert_error(&r, CreditsError::NothingToSettle);
    let r = ctx
        .send(&[settle_loan_sale(&stranger.pubkey(), &k, &mk, &w.borrower.quote, true)], &[&stranger.key])
        .await;
    assert_error(&r, CreditsError::NotLender);
    ctx.assert_unchanged(&before).await;
    ctx.send(&[settle_loan_sale(&w.lender.pubkey(), &k, &mk, &w.borrower.quote, true)], &[&w.lender.key])
        .await
        .unwrap();
    assert_eq!(ctx.balance(k.vault).await, vault0);
    assert_eq!(loan_state(&mut ctx, &k.loan).await.sale_credits, 0);
    assert_vaults_match(&mut ctx, &mk).await;

    // rested again; the borrower repays the whole loan: the loan cannot close while the sale
    // rests, and the borrower's own settle pulls it
    let expiry = ctx.now().await + 600;
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::Limit, 260, 80_000, expiry);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    w.repay(&mut ctx, &k, u64::MAX).await.unwrap();
    assert_eq!(status(&mut ctx, &k.loan).await, LoanStatus::Repaid);
    let release = release_collateral(&k, &w.borrower.credits, &[]);
    let before = ctx.snapshot(&[k.loan, k.vault, w.borrower.credits, mk.market]).await;
    assert_error(&ctx.send(std::slice::from_ref(&release), &[]).await, CreditsError::LoanSaleOpen);
    ctx.assert_unchanged(&before).await;
    ctx.send(
        &[settle_loan_sale(&w.borrower.pubkey(), &k, &mk, &w.borrower.quote, false)],
        &[&w.borrower.key],
    )
    .await
    .unwrap();
    assert_eq!(ctx.balance(k.vault).await, vault0);
    ctx.send(&[release], &[]).await.unwrap();
}

#[tokio::test]
async fn sale_attacks() {
    use harness::builders::{pause_class, replace_account, resume_class};
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let (k, mk) = defaulted_loan_and_market(&mut ctx, &mut w).await;
    let current = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 1), 0).await;
    let keys = [
        k.loan,
        current.loan,
        k.vault,
        mk.market,
        mk.base_vault,
        mk.quote_vault,
        w.lender.quote,
        w.borrower.quote,
        loan_seat(&k, &mk),
    ];
    let lender = w.lender.key.insecure_clone();
    let now = ctx.now().await;
    let sell = |t, price, expiry| sell_collateral(&k, &mk, &w.borrower.quote, t, price, 10, expiry);
    // a current loan cannot be sold
    let ix = sell_collateral(&current, &mk, &w.borrower.quote, OrderType::ImmediateOrCancel, 240, 10, 0);
    refused(&mut ctx, ix, &[&lender], CreditsError::LoanNotEnforceable, &keys).await;
    // a vault owner that is not the market's
    let ix = sell(OrderType::ImmediateOrCancel, 240, 0);
    let ix = replace_account(ix, &mk.authority, &harness::market::market_authority(&mk.class));
    refused(&mut ctx, ix, &[&lender], CreditsError::WrongMarketAccount, &keys).await;
    // post-only never takes; a rest needs an expiry within the window, an immediate sale none
    refused(&mut ctx, sell(OrderType::PostOnly, 240, 0), &[&lender], CreditsError::SaleMustNotRest, &keys)
        .await;
    for (t, e) in [
        (OrderType::Limit, 0),
        (OrderType::Limit, now - 1),
        (OrderType::Limit, now + MAX_REST + 10),
        (OrderType::ImmediateOrCancel, now + 60),
        (OrderType::FillOrKill, now + 60),
    ] {
        refused(&mut ctx, sell(t, 240, e), &[&lender], CreditsError::SaleExpiryOutOfRange, &keys).await;
    }
    // below the floor, resting too
    refused(
        &mut ctx,
        sell(OrderType::Limit, FLOOR - 1, now + 60),
        &[&lender],
        CreditsError::SaleBelowFloor,
        &keys,
    )
    .await;
    // only the lender: not the borrower, not a stranger
    let mut by_borrower = sell(OrderType::ImmediateOrCancel, 240, 0);
    by_borrower.accounts[0].pubkey = w.borrower.pubkey();
    refused(&mut ctx, by_borrower, &[&w.borrower.key], CreditsError::NotLender, &keys).await;
    let stranger = w.f.user(&mut ctx, &w.c, 0).await;
    let mut by_stranger = sell(OrderType::ImmediateOrCancel, 240, 0);
    by_stranger.accounts[0].pubkey = stranger.pubkey();
    refused(&mut ctx, by_stranger, &[&stranger.key], CreditsError::NotLender, &keys).await;
    // proceeds only into the loan's accounts: the borrower's and the lender's, no one else's
    let ix = sell_collateral(&k, &mk, &stranger.quote, OrderType::ImmediateOrCancel, 240, 10, 0);
    refused(&mut ctx, ix, &[&lender], CreditsError::WrongLoanAccount, &keys).await;
    let ix = replace_account(sell(OrderType::ImmediateOrCancel, 240, 0), &k.lender_quote, &stranger.quote);
    refused(&mut ctx, ix, &[&lender], CreditsError::WrongLoanAccount, &keys).await;
    // the loan's seat is at its own address: not the lender's seat record, not another loan's
    for other in [seat_record(&mk.market, &w.lender.pubkey()), loan_seat(&current, &mk)] {
        let ix = replace_account(sell(OrderType::ImmediateOrCancel, 240, 0), &loan_seat(&k, &mk), &other);
        refused(&mut ctx, ix, &[&lender], AnchorError::ConstraintSeeds, &keys).await;
    }
    // paused market, paused class
    let admin = w.f.admin.insecure_clone();
    ctx.send(&[set_market_v2_paused(&admin.pubkey(), &mk, true)], &[&admin]).await.unwrap();
    refused(
        &mut ctx,
        sell(OrderType::ImmediateOrCancel, 240, 0),
        &[&lender],
        CreditsError::MarketPaused,
        &keys,
    )
    .await;
    ctx.send(&[set_market_v2_paused(&admin.pubkey(), &mk, false)], &[&admin]).await.unwrap();
    let g = w.f.guardian.insecure_clone();
    ctx.send(&[pause_class(&g.pubkey(), &w.c.class, &w.c.mint, &w.c.program)], &[&g]).await.unwrap();
    refused(
        &mut ctx,
        sell(OrderType::ImmediateOrCancel, 240, 0),
        &[&lender],
        CreditsError::ClassPaused,
        &keys,
    )
    .await;
    ctx.send(&[resume_class(&admin.pubkey(), &w.c.class, &w.c.mint, &w.c.program)], &[&admin]).await.unwrap();
    // a vault the guardian froze sells nothing
    let held = (&k.loan, &k.vault);
    let freeze = harness::builders::freeze_credits(&g.pubkey(), &w.c.class, &w.c.mint, held, &w.c.program, 9);
    ctx.send(&[freeze], &[&g]).await.unwrap();
    refused(
        &mut ctx,
        sell(OrderType::ImmediateOrCancel, 240, 0),
        &[&lender],
        CreditsError::CreditAccountFrozen,
        &keys,
    )
    .await;
    let thaw = harness::builders::thaw_credits(&g.pubkey(), &w.c.class, &w.c.mint, held, &w.c.program, 9);
    ctx.send(&[thaw], &[&g]).await.unwrap();
    // nothing of the above claimed the loan's seat
    assert!(ctx.account(loan_seat(&k, &mk)).await.is_none());
}

#[tokio::test]
async fn settle_and_loan_seat_attacks() {
    use harness::builders::{pause_class, replace_account, resume_class};
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let (k, mk) = defaulted_loan_and_market(&mut ctx, &mut w).await;
    let stranger = w.f.user(&mut ctx, &w.c, 1_000_000 * USD).await;
    let keys = [k.loan, k.vault, mk.market, mk.base_vault, mk.quote_vault, w.lender.quote, w.borrower.quote];
    // nothing to settle before any sale (the loan has no seat)
    let settle = settle_loan_sale(&stranger.pubkey(), &k, &mk, &w.borrower.quote, false);
    refused(&mut ctx, settle.clone(), &[&stranger.key], CreditsError::NothingToSettle, &keys).await;
    let expiry = ctx.now().await + 600;
    let ix = sell_collateral(&k, &mk, &w.borrower.quote, OrderType::Limit, 250, 80_000, expiry);
    ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
    let loan_seat_index = {
        let m = market_v2_state(&mut ctx, &mk.market).await;
        m.seats.iter().position(|s| s.owner == k.loan.to_bytes()).unwrap() as u32
    };
    // a fill to settle
    let sseat = seated_buyer(&mut ctx, &mk, &stranger, 100_000 * USD).await;
    let take = limit_v2(sseat, OrderSide::Bid, OrderType::ImmediateOrCancel, 250, 1_000);
    ctx.send(&[place_order_v2(&mk, &stranger.pubkey(), take)], &[&stranger.key]).await.unwrap();
    let keys = [
        k.loan,
        k.vault,
        mk.market,
        mk.base_vault,
        mk.quote_vault,
        w.lender.quote,
        w.borrower.quote,
        stranger.quote,
    ];

    // settling into a wallet: the stranger's quote account as the lender's or the borrower's
    let ix = replace_account(settle.clone(), &k.lender_quote, &stranger.quote);
    refused(&mut ctx, ix, &[&stranger.key], CreditsError::WrongLoanAccount, &keys).await;
    let ix = settle_loan_sale(&stranger.pubkey(), &k, &mk, &stranger.quote, false);
    refused(&mut ctx, ix, &[&stranger.key], CreditsError::WrongLoanAccount, &keys).await;
    // another seat record; the stranger or the borrower pulling the lender's sale
    let ix =
        replace_account(settle.clone(), &loan_seat(&k, &mk), &seat_record(&mk.market, &stranger.pubkey()));
    refused(&mut ctx, ix, &[&stranger.key], AnchorError::ConstraintSeeds, &keys).await;
    let ix = settle_loan_sale(&stranger.pubkey(), &k, &mk, &w.borrower.quote, true);
    refused(&mut ctx, ix, &[&stranger.key], CreditsError::NotLender, &keys).await;
    let ix = settle_loan_sale(&w.borrower.pubkey(), &k, &mk, &w.borrower.quote, true);
    refused(&mut ctx, ix, &[&w.borrower.key], CreditsError::NotLender, &keys).await;
    // the loan's seat is the loan PDA's: no one else trades, withdraws or cancels from it
    let ix = place_order_v2(
        &mk,
        &stranger.pubkey(),
        limit_v2(loan_seat_index, OrderSide::Ask, OrderType::Limit, 1, 10),
    );
    refused(&mut ctx, ix, &[&stranger.key], CreditsError::NotSeatOwner, &keys).await;
    for asset in [MarketAsset::Credits, MarketAsset::Quote] {
        let ix = withdraw(&mk, &stranger, loan_seat_index, asset, 1);
        refused(&mut ctx, ix, &[&stranger.key], CreditsError::NotSeatOwner, &keys).await;
    }
    let ix = cancel_all_orders(&mk, &stranger.pubkey(), loan_seat_index);
    refused(&mut ctx, ix, &[&stranger.key], CreditsError::NotSeatOwner, &keys).await;
    let ix = cancel_all_orders(&mk, &w.lender.pubkey(), loan_seat_index);
    refused(&mut ctx, ix, &[&w.lender.key], CreditsError::NotSeatOwner, &keys).await;
    // the borrower cannot take collateral out while a sale is open
    let ix = withdraw_collateral(&k, &w.borrower.credits, 1, true);
    refused(&mut ctx, ix, &[&w.borrower.key], CreditsError::LoanSaleOpen, &keys).await;
    // a paused class settles nothing (who is owed what does not change while paused)
    let g = w.f.guardian.insecure_clone();
    ctx.send(&[pause_class(&g.pubkey(), &w.c.class, &w.c.mint, &w.c.program)], &[&g]).await.unwrap();
    refused(&mut ctx, settle.clone(), &[&stranger.key], CreditsError::ClassPaused, &keys).await;
    let admin = w.f.admin.insecure_clone();
    ctx.send(&[resume_class(&admin.pubkey(), &w.c.class, &w.c.mint, &w.c.program)], &[&admin]).await.unwrap();
    // and the honest settle pays the lender of record
    let lender0 = ctx.balance(w.lender.quote).await;
    ctx.send(&[settle], &[&stranger.key]).await.unwrap();
    assert_eq!(
        ctx.balance(w.lender.quote).await - lender0,
        1_000 * (250 * TICK - fee_per_lot(250, MAKER_FEE_BPS))
    );
}

/// The lender's freeze reaches the borrower's v2 seat: its ask is pulled in the freeze's
/// transaction and its credits cannot leave the market, into the frozen account or a fresh one.
#[tokio::test]
async fn the_lenders_freeze_also_pulls_the_borrowers_resting_orders() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (k, mk, _buyer, _) = defaulted_loan_with_bids_v2(&mut ctx, &mut w).await;
    // the borrower buys 100 GPU-hours and offers them above the bids from its seat
    w.f.buy(&mut ctx, &w.c, &w.borrower, 100 * LOT).await.unwrap();
    let seat = seated_buyer(&mut ctx, &mk, &w.borrower, 0).await;
    let dep = deposit(&mk, &w.borrower, seat, MarketAsset::Credits, 100 * LOT);
    let ask =
        place_order_v2(&mk, &w.borrower.pubkey(), limit_v2(seat, OrderSide::Ask, OrderType::Limit, 300, 100));
    ctx.send(&[dep, ask], &[&w.borrower.key]).await.unwrap();
    // the lender freezes the collateral and the borrower's account, and pulls its ask, at once
    let freeze = freeze_collateral(&k, &w.lender.pubkey(), &w.borrower.credits);
    let pull = cancel_frozen_orders_v2(&mk, &w.borrower.credits, &w.borrower.pubkey());
    ctx.send(&[freeze, pull], &[&w.lender.key]).await.unwrap();
    let m = market_v2_state(&mut ctx, &mk.market).await;
    assert_eq!(m.asks().len, 0, "the borrower's ask is gone");
    assert_eq!(m.bids().len, 2, "the buyer's bids stay");
    let s = m.seats[seat as usize];
    assert_eq!((s.base_free.0, s.base_locked.0), (100 * LOT, 0));
    // and the credits cannot leave the market, into the frozen account or a fresh one
    let fresh = harness::fixtures::User {
        key: w.borrower.key.insecure_clone(),
        quote: w.borrower.quote,
        credits: ctx.token_account_for(&w.borrower.pubkey(), &w.c.mint, &w.c.program).await,
    };
    let keys = [mk.market, mk.base_vault, fresh.credits, w.borrower.credits];
    for u in [&w.borrower, &fresh] {
        let ix = withdraw(&mk, u, seat, MarketAsset::Credits, 100 * LOT);
        refused(&mut ctx, ix, &[&w.borrower.key], CreditsError::SeatFrozen, &keys).await;
    }
}
