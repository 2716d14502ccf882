//! `swap` (a seatless taker: exact input, minimum output) and `withdraw_market_fees`, with
//! their attacks.
use anchor_lang::error::ErrorCode as AnchorError;
use compute_credits::error::CreditsError;
use compute_credits::{OrderSide, OrderType};
use harness::builders::{pause_class, replace_account, resume_class, without_signer};
use harness::market::{fee_per_lot, LOT, MAKER_FEE_BPS, TICK};
use harness::market_v2::*;
use harness::market_v2_ix::*;
use harness::{TestContext, TokenKind};
use solana_sdk::signature::Signer;

use harness::refused;

const USD: u64 = 1_000_000;

#[tokio::test]
async fn swap_moves_wallet_to_vault_to_wallet_and_fees_reach_the_treasury() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Token2022, 2).await;
    w.fund(&mut ctx, 0, 100 * LOT, 1_000 * USD).await;
    let (mk, seat, k) = (&w.traders[0], w.seats[0], &w.k);
    for args in [
        limit_v2(seat, OrderSide::Ask, OrderType::Limit, 300, 10),
        limit_v2(seat, OrderSide::Bid, OrderType::Limit, 200, 10),
    ] {
        ctx.send(&[place_order_v2(k, &mk.pubkey(), args)], &[&mk.key]).await.unwrap();
    }
    let taker = w.f.user(&mut ctx, &w.c, 1_000 * USD).await;
    w.f.buy(&mut ctx, &w.c, &taker, 10 * LOT).await.unwrap();
    let (q0, c0) = (ctx.balance(taker.quote).await, ctx.balance(taker.credits).await);

    // buy: $10 buys 3 lots at $3 (9,000,000 + 27,000 taker fee); the rest stays in the wallet
    ctx.send(&[swap(k, &taker, OrderSide::Bid, 10 * USD, 3 * LOT, 300)], &[&taker.key]).await.unwrap();
    let cost = 3 * 300 * TICK + (3 * 300 * TICK * 30).div_ceil(10_000);
    assert_eq!((ctx.balance(taker.quote).await, ctx.balance(taker.credits).await), (q0 - cost, c0 + 3 * LOT));
    assert_vaults_match(&mut ctx, k).await;
    // sell 2.5 credits: 2 lots at $2 less the fee; the half lot stays
    ctx.send(&[swap(k, &taker, OrderSide::Ask, 5 * LOT / 2, 1, 200)], &[&taker.key]).await.unwrap();
    let notional = 2 * 200 * TICK;
    let proceeds = notional - (notional * 30).div_ceil(10_000);
    assert_eq!(ctx.balance(taker.quote).await, q0 - cost + proceeds);
    assert_eq!(ctx.balance(taker.credits).await, c0 + 3 * LOT - 2 * LOT);
    assert_vaults_match(&mut ctx, k).await;
    let m = market_v2_state(&mut ctx, &k.market).await;
    let maker_fees = 3 * fee_per_lot(300, MAKER_FEE_BPS) + 2 * fee_per_lot(200, MAKER_FEE_BPS);
    let fees = maker_fees + (3 * 300 * TICK * 30).div_ceil(10_000) + (notional * 30).div_ceil(10_000);
    assert_eq!(m.header().treasury_fees.0, fees);

    // slippage, a limit that leaves too little, and the fees' attacks
    let keys = [k.market, k.base_vault, k.quote_vault, taker.quote, taker.credits];
    let ix = swap(k, &taker, OrderSide::Bid, 10 * USD, 4 * LOT, 300);
    refused(&mut ctx, ix, &[&taker.key], CreditsError::SlippageExceeded, &keys).await;
    let ix = swap(k, &taker, OrderSide::Ask, LOT, 1, 250);
    refused(&mut ctx, ix, &[&taker.key], CreditsError::SlippageExceeded, &keys).await;
    let ix = withdraw_market_fees(k, &taker.quote, fees);
    refused(&mut ctx, ix, &[], CreditsError::WrongTreasury, &keys).await;
    let ix = withdraw_market_fees(k, &w.f.treasury_quote, fees + 1);
    refused(&mut ctx, ix, &[], CreditsError::InsufficientBalance, &keys).await;
    let ix =
        replace_account(withdraw_market_fees(k, &w.f.treasury_quote, fees), &k.quote_vault, &k.base_vault);
    refused(&mut ctx, ix, &[], CreditsError::WrongMarketAccount, &keys).await;
    let before = ctx.balance(w.f.treasury_quote).await;
    ctx.send(&[withdraw_market_fees(k, &w.f.treasury_quote, fees)], &[]).await.unwrap();
    assert_eq!(ctx.balance(w.f.treasury_quote).await, before + fees);
    assert_vaults_match(&mut ctx, k).await;
}

#[tokio::test]
async fn swap_attacks() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Spl, 1).await;
    w.fund(&mut ctx, 0, 100 * LOT, 1_000 * USD).await;
    let (mk, seat, k) = (&w.traders[0], w.seats[0], &w.k);
    ctx.send(
        &[place_order_v2(k, &mk.pubkey(), limit_v2(seat, OrderSide::Ask, OrderType::Limit, 300, 10))],
        &[&mk.key],
    )
    .await
    .unwrap();
    let taker = w.f.user(&mut ctx, &w.c, 100 * USD).await;
    let keys = [k.market, k.base_vault, k.quote_vault, taker.quote, taker.credits];
    let buy = swap(k, &taker, OrderSide::Bid, 10 * USD, 1, 300);
    for (from, to, code) in [
        (k.base_vault, k.quote_vault, CreditsError::WrongMarketAccount),
        (k.authority, taker.pubkey(), CreditsError::WrongMarketAccount),
        (k.credit_mint, k.quote_mint, CreditsError::WrongClass),
        (k.credit_program, TokenKind::Token2022.program(), CreditsError::WrongTokenProgram),
        (k.class, w.f.platform, CreditsError::WrongClass),
    ] {
        refused(&mut ctx, replace_account(buy.clone(), &from, &to), &[&taker.key], code, &keys).await;
    }
    refused(
        &mut ctx,
        replace_account(buy.clone(), &k.market, &k.class),
        &[&taker.key],
        AnchorError::AccountDiscriminatorMismatch,
        &keys,
    )
    .await;
    refused(
        &mut ctx,
        without_signer(buy.clone(), &taker.pubkey()),
        &[],
        AnchorError::AccountNotSigner,
        &keys,
    )
    .await;
    // nothing in, a zero limit
    refused(
        &mut ctx,
        swap(k, &taker, OrderSide::Bid, 0, 0, 300),
        &[&taker.key],
        CreditsError::InvalidOrder,
        &keys,
    )
    .await;
    refused(
        &mut ctx,
        swap(k, &taker, OrderSide::Bid, USD, 0, 0),
        &[&taker.key],
        CreditsError::InvalidOrder,
        &keys,
    )
    .await;
    // more than the wallet holds: the token program refuses (insufficient funds)
    let poor = w.f.user(&mut ctx, &w.c, 5 * USD).await;
    let keys_poor = [k.market, k.base_vault, k.quote_vault, poor.quote, poor.credits];
    refused(&mut ctx, swap(k, &poor, OrderSide::Bid, 10 * USD, 1, 300), &[&poor.key], 1u32, &keys_poor).await;
    // paused class, paused market
    let (g, a) = (&w.f.guardian, &w.f.admin);
    ctx.send(&[pause_class(&g.pubkey(), &k.class, &k.credit_mint, &k.credit_program)], &[g]).await.unwrap();
    refused(&mut ctx, buy.clone(), &[&taker.key], CreditsError::ClassPaused, &keys).await;
    ctx.send(&[resume_class(&a.pubkey(), &k.class, &k.credit_mint, &k.credit_program)], &[a]).await.unwrap();
    ctx.send(&[set_market_v2_paused(&g.pubkey(), k, true)], &[g]).await.unwrap();
    refused(&mut ctx, buy.clone(), &[&taker.key], CreditsError::MarketPaused, &keys).await;
    ctx.send(&[set_market_v2_paused(&a.pubkey(), k, false)], &[a]).await.unwrap();
    ctx.send(&[buy], &[&taker.key]).await.unwrap();
    assert_vaults_match(&mut ctx, k).await;
}
