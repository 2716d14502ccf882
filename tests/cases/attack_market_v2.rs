//! Bad input for every market v2 instruction: each refused with its named error, nothing
//! changed.
use anchor_lang::error::ErrorCode as AnchorError;
use compute_credits::error::CreditsError;
use compute_credits::state::MarketV2;
use compute_credits::MarketV2Params;
use harness::builders::replace_account;
use harness::market::LOT;
use harness::market_v2::*;
use harness::{assert_error, refused, PlatformFixture, TestContext, TokenKind};
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};

/// Allocates a v2-sized account for `market`, paid by `payer`.
async fn alloc(ctx: &mut TestContext, payer: &Keypair, market: &Keypair, space: usize) -> Instruction {
    let rent = ctx.rent().await.minimum_balance(space);
    anchor_lang::solana_program::system_instruction::create_account(
        &payer.pubkey(),
        &market.pubkey(),
        rent,
        space as u64,
        &compute_credits::ID,
    )
}

#[tokio::test]
async fn create_market_v2_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let k = open_market_v2(&mut ctx, &f, &c).await;
    let admin = &f.admin;
    let m = market_v2_state(&mut ctx, &k.market).await;
    assert_eq!((m.fixed.class, m.fixed.credit_mint, m.fixed.quote_mint), (c.class, c.mint, f.quote_mint));
    assert_eq!((m.fixed.base_vault, m.fixed.quote_vault), (k.base_vault, k.quote_vault));
    assert_eq!((m.fixed.credit_token_program, m.fixed.quote_token_program), (c.program, f.quote_program));
    let h = m.header();
    assert_eq!((h.lot_size, h.min_order_notional.0, h.max_orders_per_seat), (LOT, MIN_NOTIONAL, 16));
    assert_eq!((h.seat_count, h.next_order_seq, h.next_event_seq, m.len), (0, 1, 1, MarketV2::SPACE));

    // the same market twice
    let ix = create_market_v2(&admin.pubkey(), &k, market_v2_params());
    refused(&mut ctx, ix, &[admin], AnchorError::ConstraintZero, &[k.market, k.registration]).await;
    // a second v2 market for the same pair
    let market = ctx.keypair();
    let k2 = market_v2_keys(&f, &c, market.pubkey());
    let r = create_market_v2_account(&mut ctx, admin, &market, &k2, market_v2_params()).await;
    assert_error(&r, CreditsError::AlreadyInitialized);
    assert!(ctx.account(market.pubkey()).await.is_none(), "nothing was created");

    // bad parameters, on another class
    let other = f.create_class(&mut ctx, TokenKind::Spl).await;
    let k3 = market_v2_keys(&f, &other, market.pubkey());
    let bad: [fn(&mut MarketV2Params); 7] = [
        |p| p.lot_size = 0,
        |p| p.tick_size = 0,
        |p| p.min_order_notional = 0,
        |p| p.max_orders_per_seat = 0,
        |p| p.max_orders_per_seat = 65,
        |p| p.maker_fee_bps = 1_001,
        |p| p.taker_fee_bps = 1_001,
    ];
    for change in bad {
        let mut p = market_v2_params();
        change(&mut p);
        let r = create_market_v2_account(&mut ctx, admin, &market, &k3, p).await;
        assert_error(&r, CreditsError::InvalidMarketConfig);
        assert!(ctx.account(market.pubkey()).await.is_none(), "nothing was created");
    }
    // not the admin
    let stranger = ctx.funded_keypair(10_000_000_000).await;
    let r = create_market_v2_account(&mut ctx, &stranger, &market, &k3, market_v2_params()).await;
    assert_error(&r, CreditsError::NotAdmin);
    // an account of the wrong size
    let a = alloc(&mut ctx, admin, &market, MarketV2::SPACE + 72).await;
    let r =
        ctx.send(&[a, create_market_v2(&admin.pubkey(), &k3, market_v2_params())], &[admin, &market]).await;
    assert_error(&r, CreditsError::InvalidMarketConfig);
    // another class's mint, the wrong token program, a substituted vault authority
    let a = alloc(&mut ctx, admin, &market, MarketV2::SPACE).await;
    let ix =
        replace_account(create_market_v2(&admin.pubkey(), &k3, market_v2_params()), &other.mint, &c.mint);
    let r = ctx.send(&[a.clone(), ix], &[admin, &market]).await;
    assert_error(&r, CreditsError::WrongClass);
    let ix = replace_account(
        create_market_v2(&admin.pubkey(), &k3, market_v2_params()),
        &other.program,
        &TokenKind::Token2022.program(),
    );
    let r = ctx.send(&[a.clone(), ix], &[admin, &market]).await;
    assert_error(&r, CreditsError::WrongTokenProgram);
    let ix = replace_account(
        create_market_v2(&admin.pubkey(), &k3, market_v2_params()),
        &k3.authority,
        &k.authority,
    );
    let r = ctx.send(&[a.clone(), ix], &[admin, &market]).await;
    assert_error(&r, AnchorError::ConstraintSeeds);
    assert!(ctx.account(market.pubkey()).await.is_none(), "nothing was created");
    // and the honest one goes through
    let r =
        ctx.send(&[a, create_market_v2(&admin.pubkey(), &k3, market_v2_params())], &[admin, &market]).await;
    assert!(r.is_ok(), "{:?}", r.result);
}
