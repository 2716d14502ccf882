//! `claim_seat`, `deposit` and `withdraw` attacked: each refused with its named error and
//! nothing changed.
use anchor_lang::error::ErrorCode as AnchorError;
use compute_credits::error::CreditsError;
use compute_credits::MarketAsset;
use harness::builders::{
    freeze_credits, owner_holds_pda, pause_class, replace_account, resume_class, without_signer,
};
use harness::market::LOT;
use harness::market_v2::*;
use harness::market_v2_ix::*;
use harness::{TestContext, TokenKind};
use solana_sdk::signature::Signer;

use harness::refused;

const USD: u64 = 1_000_000;

#[tokio::test]
async fn claim_seat_grows_the_market_and_refuses_a_second_seat() {
    let mut ctx = TestContext::start().await;
    let mut w = V2World::new(&mut ctx, TokenKind::Spl, 0).await;
    let t = w.f.user(&mut ctx, &w.c, 0).await;
    let before = ctx.lamports(t.pubkey()).await;
    let market_lamports = ctx.lamports(w.k.market).await;
    ctx.send(&[claim_seat(&w.k, &t.pubkey())], &[&t.key]).await.unwrap();
    let m = market_v2_state(&mut ctx, &w.k.market).await;
    assert_eq!(
        (m.len, m.header().seat_count, m.seats.len()),
        (compute_credits::state::MarketV2::space_with(1), 1, 1)
    );
    assert_eq!(m.seats[0].owner, t.pubkey().to_bytes());
    let rent = ctx.rent().await;
    let grown = rent.minimum_balance(m.len) - market_lamports;
    assert_eq!(ctx.lamports(w.k.market).await, market_lamports + grown, "the seat's rent came in");
    assert!(ctx.lamports(t.pubkey()).await <= before - grown, "and the trader paid it");
    // one seat per owner
    let ix = claim_seat(&w.k, &t.pubkey());
    let rec = seat_record(&w.k.market, &t.pubkey());
    refused(&mut ctx, ix, &[&t.key], CreditsError::AlreadyInitialized, &[w.k.market, rec]).await;
    // a holds record that is not the owner's, a seat record that is not its PDA, no signature
    let other = w.add_trader(&mut ctx).await;
    let o = w.traders[other].pubkey();
    let u = w.f.user(&mut ctx, &w.c, 0).await;
    let ix = replace_account(
        claim_seat(&w.k, &u.pubkey()),
        &owner_holds_pda(&w.k.credit_mint, &u.pubkey()),
        &owner_holds_pda(&w.k.credit_mint, &o),
    );
    refused(&mut ctx, ix, &[&u.key], CreditsError::WrongHoldAccount, &[w.k.market]).await;
    let ix = replace_account(
        claim_seat(&w.k, &u.pubkey()),
        &seat_record(&w.k.market, &u.pubkey()),
        &seat_record(&w.k.market, &o),
    );
    refused(&mut ctx, ix, &[&u.key], AnchorError::ConstraintSeeds, &[w.k.market]).await;
    let ix = without_signer(claim_seat(&w.k, &u.pubkey()), &u.pubkey());
    refused(&mut ctx, ix, &[], AnchorError::AccountNotSigner, &[w.k.market]).await;
}

#[tokio::test]
async fn deposit_and_withdraw_keep_the_vaults_equal_to_the_totals() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Token2022, 2).await;
    let (t, seat) = (&w.traders[0], w.seats[0]);
    let quote_before = ctx.balance(t.quote).await;
    let steps = [
        deposit(&w.k, t, seat, MarketAsset::Credits, 500 * LOT),
        deposit(&w.k, t, seat, MarketAsset::Quote, 2_000 * USD),
        withdraw(&w.k, t, seat, MarketAsset::Credits, 200 * LOT),
        withdraw(&w.k, t, seat, MarketAsset::Quote, 500 * USD),
        withdraw(&w.k, t, seat, MarketAsset::Quote, 1_500 * USD),
    ];
    for ix in steps {
        ctx.send(&[ix], &[&t.key]).await.unwrap();
        assert_vaults_match(&mut ctx, &w.k).await;
    }
    let s = market_v2_state(&mut ctx, &w.k.market).await.seats[seat as usize];
    assert_eq!((s.base_free.0, s.quote_free.0), (300 * LOT, 0));
    assert_eq!(ctx.balance(t.credits).await, 9_700 * LOT);
    assert_eq!(ctx.balance(t.quote).await, quote_before);
}

#[tokio::test]
async fn deposit_and_withdraw_attacks() {
    let mut ctx = TestContext::start().await;
    let w = V2World::new(&mut ctx, TokenKind::Spl, 2).await;
    w.fund(&mut ctx, 0, 100 * LOT, 100 * USD).await;
    let (t, seat, u) = (&w.traders[0], w.seats[0], &w.traders[1]);
    let k = &w.k;
    let keys = [k.market, k.base_vault, k.quote_vault, t.credits, t.quote, u.credits, u.quote];
    for asset in [MarketAsset::Credits, MarketAsset::Quote] {
        for (ix, code) in [
            // another's seat, a seat that does not exist
            (deposit(k, t, w.seats[1], asset, 1), CreditsError::NotSeatOwner),
            (withdraw(k, t, w.seats[1], asset, 1), CreditsError::NotSeatOwner),
            (deposit(k, t, 7, asset, 1), CreditsError::NoSeat),
            (withdraw(k, t, 7, asset, 1), CreditsError::NoSeat),
            // nothing, more than the free balance
            (deposit(k, t, seat, asset, 0), CreditsError::ZeroAmount),
            (withdraw(k, t, seat, asset, 0), CreditsError::ZeroAmount),
            (withdraw(k, t, seat, asset, 101 * LOT), CreditsError::InsufficientBalance),
        ] {
            refused(&mut ctx, ix, &[&t.key], code, &keys).await;
        }
    }
    // the other asset's vault, mint or token program; a foreign authority
    let d = deposit(k, t, seat, MarketAsset::Credits, 1);
    let wd = withdraw(k, t, seat, MarketAsset::Credits, 1);
    for ix in [d.clone(), wd.clone()] {
        let bad = replace_account(ix.clone(), &k.base_vault, &k.quote_vault);
        refused(&mut ctx, bad, &[&t.key], CreditsError::WrongMarketAccount, &keys).await;
        let bad = replace_account(ix.clone(), &k.credit_mint, &k.quote_mint);
        refused(&mut ctx, bad, &[&t.key], CreditsError::WrongClass, &keys).await;
        let bad = replace_account(ix.clone(), &k.credit_program, &TokenKind::Token2022.program());
        refused(&mut ctx, bad, &[&t.key], CreditsError::WrongTokenProgram, &keys).await;
        let bad = replace_account(ix.clone(), &k.class, &w.f.platform);
        refused(&mut ctx, bad, &[&t.key], CreditsError::WrongClass, &keys).await;
    }
    let bad = replace_account(wd.clone(), &k.authority, &u.pubkey());
    refused(&mut ctx, bad, &[&t.key], CreditsError::WrongMarketAccount, &keys).await;
    // another market (v2, on another class): the vaults are not its
    let other = w.f.create_class(&mut ctx, TokenKind::Spl).await;
    let k2 = open_market_v2(&mut ctx, &w.f, &other).await;
    let bad = replace_account(wd.clone(), &k.market, &k2.market);
    refused(&mut ctx, bad, &[&t.key], CreditsError::WrongMarketAccount, &keys).await;
    // a non-market account in the market's place
    let bad = replace_account(wd.clone(), &k.market, &k.class);
    refused(&mut ctx, bad, &[&t.key], AnchorError::AccountDiscriminatorMismatch, &keys).await;
    // someone else's holds record
    let bad = replace_account(
        wd.clone(),
        &owner_holds_pda(&k.credit_mint, &t.pubkey()),
        &owner_holds_pda(&k.credit_mint, &u.pubkey()),
    );
    refused(&mut ctx, bad, &[&t.key], CreditsError::WrongHoldAccount, &keys).await;
    // no signature
    refused(&mut ctx, without_signer(wd.clone(), &t.pubkey()), &[], AnchorError::AccountNotSigner, &keys)
        .await;

    // a paused class: no credits in or out; quote still both ways
    let g = &w.f.guardian;
    ctx.send(&[pause_class(&g.pubkey(), &k.class, &k.credit_mint, &k.credit_program)], &[g]).await.unwrap();
    refused(&mut ctx, d.clone(), &[&t.key], CreditsError::ClassPaused, &keys).await;
    refused(&mut ctx, wd.clone(), &[&t.key], CreditsError::ClassPaused, &keys).await;
    ctx.send(&[deposit(k, t, seat, MarketAsset::Quote, USD)], &[&t.key]).await.unwrap();
    ctx.send(&[withdraw(k, t, seat, MarketAsset::Quote, USD)], &[&t.key]).await.unwrap();
    let a = &w.f.admin;
    ctx.send(&[resume_class(&a.pubkey(), &k.class, &k.credit_mint, &k.credit_program)], &[a]).await.unwrap();

    // an owner under a freeze hold keeps its credits in the seat; quote still leaves
    let ix = freeze_credits(
        &g.pubkey(),
        &k.class,
        &k.credit_mint,
        (&t.pubkey(), &t.credits),
        &k.credit_program,
        1,
    );
    ctx.send(&[ix], &[g]).await.unwrap();
    let fresh = ctx.token_account_for(&t.pubkey(), &k.credit_mint, &k.credit_program).await;
    let to_fresh = replace_account(wd.clone(), &t.credits, &fresh);
    refused(&mut ctx, to_fresh, &[&t.key], CreditsError::OwnerUnderHold, &[k.market, k.base_vault, fresh])
        .await;
    ctx.send(&[withdraw(k, t, seat, MarketAsset::Quote, USD)], &[&t.key]).await.unwrap();
    assert_vaults_match(&mut ctx, k).await;
}
