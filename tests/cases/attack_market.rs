//! Bad input for every market instruction: each refused with its named error, nothing changed.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use compute_credits::error::CreditsError;
use compute_credits::{MarketParams, OrderArgs, OrderSide, OrderType};
use harness::builders::{replace_account, without_signer};
use harness::market::*;
use harness::{assert_error, TestContext, TokenKind};
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};

async fn refused(
    ctx: &mut TestContext,
    ix: Instruction,
    signers: &[&Keypair],
    code: impl Into<u32>,
    keys: &[Pubkey],
) {
    let before = ctx.snapshot(keys).await;
    let r = ctx.send(&[ix], signers).await;
    assert_error(&r, code);
    ctx.assert_unchanged(&before).await;
}

#[tokio::test]
async fn create_market_attacks() {
    let mut ctx = TestContext::start().await;
    let w = MarketWorld::new(&mut ctx, TokenKind::Spl).await;
    let admin = &w.f.admin;
    // initialising the same market twice
    let ix = create_market(&admin.pubkey(), &w.k, market_params());
    refused(&mut ctx, ix, &[admin], AnchorError::ConstraintZero, &[w.k.market]).await;

    let market = ctx.keypair();
    let k = MarketKeys::new(&w.f, &w.c, market.pubkey());
    let bad: [fn(&mut MarketParams); 5] = [
        |p| p.lot_size = 0,
        |p| p.tick_size = 0,
        |p| p.min_lots = 0,
        |p| p.maker_fee_bps = 1_001,
        |p| p.taker_fee_bps = 1_001,
    ];
    for change in bad {
        let mut p = market_params();
        change(&mut p);
        let r = create_market_account(&mut ctx, &w.f, &market, &k, p).await;
        assert_error(&r, CreditsError::InvalidMarketConfig);
        assert!(ctx.account(market.pubkey()).await.is_none(), "nothing was created");
    }
    // not the admin (the stranger allocates the account itself)
    let stranger = ctx.funded_keypair(10_000_000_000).await;
    let rent =
        ctx.ctx.banks_client.get_rent().await.unwrap().minimum_balance(compute_credits::state::Market::SPACE);
    let alloc = anchor_lang::solana_program::system_instruction::create_account(
        &stranger.pubkey(),
        &market.pubkey(),
        rent,
        compute_credits::state::Market::SPACE as u64,
        &compute_credits::ID,
    );
    let r = ctx
        .send(&[alloc.clone(), create_market(&stranger.pubkey(), &k, market_params())], &[&stranger, &market])
        .await;
    assert_error(&r, CreditsError::NotAdmin);
    // a substituted vault owner, another class's mint, a vault that is not the authority's ATA
    let send = |ix: Instruction| [alloc.clone(), ix];
    let ix = replace_account(
        create_market(&stranger.pubkey(), &k, market_params()),
        &stranger.pubkey(),
        &admin.pubkey(),
    );
    let ix = replace_account(ix, &k.authority, &w.k.authority);
    let r = ctx.send(&send(ix), &[&stranger, admin, &market]).await;
    assert_error(&r, AnchorError::ConstraintSeeds);
    let other = w.f.create_class(&mut ctx, TokenKind::Spl).await;
    let ix =
        replace_account(create_market(&admin.pubkey(), &k, market_params()), &k.credit_mint, &other.mint);
    let r = ctx.send(&send(ix), &[&stranger, admin, &market]).await;
    assert_error(&r, CreditsError::WrongClass);
    let ix = replace_account(
        create_market(&admin.pubkey(), &k, market_params()),
        &k.base_vault,
        &w.traders[0].credits,
    );
    let r = ctx.send(&send(ix), &[&stranger, admin, &market]).await;
    assert_error(&r, AnchorError::ConstraintSeeds);
    assert!(ctx.account(market.pubkey()).await.is_none());
    // one market per (class, quote mint): a second one for the same pair is refused
    let before = ctx.snapshot(&[w.k.registration]).await;
    let r = create_market_account(&mut ctx, &w.f, &market, &k, market_params()).await;
    assert_error(&r, CreditsError::AlreadyInitialized);
    ctx.assert_unchanged(&before).await;
    assert!(ctx.account(market.pubkey()).await.is_none());
    // another class gets its own market
    let k_other = MarketKeys::new(&w.f, &other, market.pubkey());
    create_market_account(&mut ctx, &w.f, &market, &k_other, market_params()).await.result.unwrap();
    let reg: compute_credits::state::MarketRegistration = ctx.anchor_account(k_other.registration).await;
    assert_eq!(reg.market, market.pubkey());
}

#[tokio::test]
async fn place_order_attacks() {
    let mut ctx = TestContext::start().await;
    let w = MarketWorld::new(&mut ctx, TokenKind::Token2022).await;
    w.place(&mut ctx, 0, order(OrderSide::Ask, OrderType::Limit, 250, 10)).await.unwrap();
    let t = &w.traders[1];
    let keys = [w.k.market, w.k.base_vault, w.k.quote_vault, t.quote, t.credits, w.k.treasury_quote];
    let bid = order(OrderSide::Bid, OrderType::Limit, 250, 2);
    let base = place_order(&w.k, t, bid);
    refused(&mut ctx, without_signer(base.clone(), &t.pubkey()), &[], AnchorError::AccountNotSigner, &keys)
        .await;
    // paying from another trader's account; receiving into another's
    let ix = replace_account(base.clone(), &t.quote, &w.traders[2].quote);
    refused(&mut ctx, ix, &[&t.key], AnchorError::ConstraintTokenOwner, &keys).await;
    let ix = replace_account(base.clone(), &t.credits, &w.traders[2].credits);
    refused(&mut ctx, ix, &[&t.key], AnchorError::ConstraintTokenOwner, &keys).await;
    // vaults, treasury and vault owner that are not the market's
    let ix = replace_account(base.clone(), &w.k.quote_vault, &w.traders[2].quote);
    refused(&mut ctx, ix, &[&t.key], CreditsError::WrongMarketAccount, &keys).await;
    let ix = replace_account(base.clone(), &w.k.treasury_quote, &w.traders[2].quote);
    refused(&mut ctx, ix, &[&t.key], CreditsError::WrongTreasury, &keys).await;
    let ix = replace_account(base.clone(), &w.k.authority, &market_authority(&w.k.class));
    refused(&mut ctx, ix, &[&t.key], CreditsError::WrongMarketAccount, &keys).await;
    let ix = replace_account(base.clone(), &w.k.credit_program, &harness::token::SPL_TOKEN);
    refused(&mut ctx, ix, &[&t.key], CreditsError::WrongTokenProgram, &keys).await;
    // a market of another class
    let other = w.f.create_class(&mut ctx, TokenKind::Token2022).await;
    let ix = replace_account(base.clone(), &w.k.class, &other.class);
    refused(&mut ctx, ix, &[&t.key], CreditsError::WrongClass, &keys).await;
    // bad orders
    for args in [
        order(OrderSide::Bid, OrderType::Limit, 0, 2),
        order(OrderSide::Bid, OrderType::Limit, 250, 0),
        order(OrderSide::Bid, OrderType::Limit, u64::MAX / 2, 3),
    ] {
        refused(&mut ctx, place_order(&w.k, t, args), &[&t.key], CreditsError::InvalidOrder, &keys).await;
    }
    let now = ctx.now().await;
    let expired = OrderArgs { expiry: now, ..bid };
    refused(&mut ctx, place_order(&w.k, t, expired), &[&t.key], CreditsError::OrderExpired, &keys).await;
}

#[tokio::test]
async fn settle_and_pause_attacks() {
    let mut ctx = TestContext::start().await;
    let w = MarketWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (t0, t1) = (&w.traders[0], &w.traders[1]);
    let keys = [w.k.market, w.k.base_vault, w.k.quote_vault, t0.credits, t0.quote];
    // no seat yet
    refused(&mut ctx, settle_funds(&w.k, t0), &[&t0.key], CreditsError::NoSeat, &keys).await;
    // a sold ask's buyer whose credit account is frozen cannot withdraw the credits
    w.place(&mut ctx, 1, order(OrderSide::Bid, OrderType::Limit, 250, 3)).await.unwrap();
    w.place(&mut ctx, 0, order(OrderSide::Ask, OrderType::Limit, 250, 3)).await.unwrap();
    let g = w.f.guardian.pubkey();
    let ix = harness::builders::freeze_credits(
        &g,
        &w.c.class,
        &w.c.mint,
        (&t1.pubkey(), &t1.credits),
        &w.c.program,
        1,
    );
    ctx.send(&[ix], &[&w.f.guardian]).await.unwrap();
    let keys = [w.k.market, w.k.base_vault, w.k.quote_vault, t1.credits, t1.quote];
    refused(&mut ctx, settle_funds(&w.k, t1), &[&t1.key], CreditsError::CreditAccountFrozen, &keys).await;
    // the reproduced attack: a fresh account of the frozen trader cannot take the seat's credits
    let fresh = harness::fixtures::User {
        key: t1.key.insecure_clone(),
        quote: t1.quote,
        credits: ctx.token_account_for(&t1.pubkey(), &w.c.mint, &w.c.program).await,
    };
    let with_fresh = [w.k.market, w.k.base_vault, w.k.quote_vault, fresh.credits, t1.quote];
    refused(&mut ctx, settle_funds(&w.k, &fresh), &[&t1.key], CreditsError::OwnerUnderHold, &with_fresh)
        .await;
    // someone else's owner-holds record, and a class that is not the market's
    let mint = w.k.credit_mint;
    let ix = replace_account(
        settle_funds(&w.k, &fresh),
        &harness::builders::owner_holds_pda(&mint, &t1.pubkey()),
        &harness::builders::owner_holds_pda(&mint, &t0.pubkey()),
    );
    refused(&mut ctx, ix, &[&t1.key], AnchorError::ConstraintSeeds, &with_fresh).await;
    let other = w.f.create_class(&mut ctx, TokenKind::Token2022).await;
    let ix = replace_account(settle_funds(&w.k, &fresh), &w.k.class, &other.class);
    refused(&mut ctx, ix, &[&t1.key], CreditsError::WrongClass, &with_fresh).await;
    // a vault owner that is not the market's
    let ix = replace_account(settle_funds(&w.k, t1), &w.k.authority, &market_authority(&w.k.class));
    refused(&mut ctx, ix, &[&t1.key], CreditsError::WrongMarketAccount, &keys).await;
    // another trader's accounts as destination
    let mut ix = settle_funds(&w.k, t1);
    ix = replace_account(ix, &t1.quote, &t0.quote);
    refused(&mut ctx, ix, &[&t1.key], AnchorError::ConstraintTokenOwner, &keys).await;
    // only the admin or the guardian pauses
    let ix = set_market_paused(&t0.pubkey(), &w.k, true);
    refused(&mut ctx, ix, &[&t0.key], CreditsError::NotAdminOrGuardian, &keys).await;
}

#[tokio::test]
async fn cancel_frozen_orders_attacks() {
    let mut ctx = TestContext::start().await;
    let w = MarketWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (t0, t1, t2) = (&w.traders[0], &w.traders[1], &w.traders[2]);
    w.place(&mut ctx, 0, order(OrderSide::Ask, OrderType::Limit, 250, 10)).await.unwrap();
    let keys = [w.k.market, w.k.base_vault, w.k.quote_vault, t0.credits];
    // the maker's account is not frozen: anyone's call is refused
    refused(
        &mut ctx,
        cancel_frozen_orders(&w.k, &t0.credits),
        &[],
        CreditsError::CreditAccountNotFrozen,
        &keys,
    )
    .await;
    // a frozen account of another class does not speak for this market
    let g = &w.f.guardian;
    let other = w.f.create_class(&mut ctx, TokenKind::Token2022).await;
    let stranger = w.f.user(&mut ctx, &other, 0).await;
    let freeze = |c: &harness::ClassFixture, owner: &Pubkey, account: &Pubkey| {
        harness::builders::freeze_credits(&g.pubkey(), &c.class, &c.mint, (owner, account), &c.program, 1)
    };
    ctx.send(&[freeze(&other, &stranger.pubkey(), &stranger.credits)], &[g]).await.unwrap();
    refused(&mut ctx, cancel_frozen_orders(&w.k, &stranger.credits), &[], CreditsError::WrongClass, &keys)
        .await;
    // a market that is not a market account
    let ix = harness::builders::replace_account(
        cancel_frozen_orders(&w.k, &stranger.credits),
        &w.k.market,
        &w.k.registration,
    );
    refused(&mut ctx, ix, &[], AnchorError::AccountDiscriminatorMismatch, &keys).await;
    // not a token account at all
    refused(
        &mut ctx,
        cancel_frozen_orders(&w.k, &w.k.market),
        &[],
        AnchorError::AccountOwnedByWrongProgram,
        &keys,
    )
    .await;
    // a frozen owner with no seat, and one with a seat but no resting order: a no-op that
    // succeeds, so the target cannot make the freezer's transaction fail by cancelling first
    ctx.send(&[freeze(&w.c, &t2.pubkey(), &t2.credits)], &[g]).await.unwrap();
    let before = ctx.snapshot(&keys).await;
    ctx.send(&[cancel_frozen_orders(&w.k, &t2.credits)], &[]).await.unwrap();
    ctx.assert_unchanged(&before).await;
    w.place(&mut ctx, 1, order(OrderSide::Bid, OrderType::Limit, 240, 1)).await.unwrap();
    let seq = book(&*market_state(&mut ctx, &w.k.market).await).next_seq - 1;
    // the trader cancels first, in the same slot as the freeze and the pull: they still land
    let cancel = cancel_order(&w.k, &t1.pubkey(), OrderSide::Bid, 240, seq);
    ctx.send(&[cancel], &[&t1.key]).await.unwrap();
    let market = [w.k.market, w.k.base_vault, w.k.quote_vault];
    let before = ctx.snapshot(&market).await;
    ctx.send(&[freeze(&w.c, &t1.pubkey(), &t1.credits), cancel_frozen_orders(&w.k, &t1.credits)], &[g])
        .await
        .unwrap();
    assert!(ctx.token_account(t1.credits).await.frozen);
    ctx.assert_unchanged(&before).await;
    // a second call after the orders are gone changes nothing
    ctx.send(&[freeze(&w.c, &t0.pubkey(), &t0.credits)], &[g]).await.unwrap();
    let r = w.place(&mut ctx, 0, order(OrderSide::Ask, OrderType::Limit, 255, 2)).await;
    assert_error(&r, CreditsError::CreditAccountFrozen);
    ctx.send(&[cancel_frozen_orders(&w.k, &t0.credits)], &[]).await.unwrap();
    let before = ctx.snapshot(&keys).await;
    ctx.send(&[cancel_frozen_orders(&w.k, &t0.credits)], &[]).await.unwrap();
    ctx.assert_unchanged(&before).await;
}
