//! Bad input for every loan instruction: each refused with its named error, nothing changed.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use compute_credits::error::CreditsError;
use compute_credits::{LoanKind, OfferTerms};
use harness::builders::*;
use harness::loans::*;
use harness::{refused, TestContext, TokenKind};
use solana_sdk::signature::Signer;

fn loan_keys(k: &LoanKeys, w: &LoanWorld) -> Vec<Pubkey> {
    vec![
        k.loan,
        k.escrow,
        k.vault,
        k.lender_quote,
        w.borrower.quote,
        w.borrower.credits,
        w.f.treasury_quote,
        harness::builders::freeze_hold_pda(&w.borrower.credits),
        harness::builders::owner_holds_pda(&k.credit_mint, &w.borrower.pubkey()),
    ]
}

#[tokio::test]
async fn configure_lending_attacks() {
    let mut ctx = TestContext::start().await;
    let w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let admin = w.f.admin.pubkey();
    let keys = [lending_pda(), w.f.platform];
    let stranger = ctx.funded_keypair(1_000_000_000).await;
    let ix = configure_lending(&stranger.pubkey(), default_lending_params());
    refused(&mut ctx, ix, &[&stranger], CreditsError::NotAdmin, &keys).await;
    let ix = without_signer(configure_lending(&admin, default_lending_params()), &admin);
    refused(&mut ctx, ix, &[], AnchorError::AccountNotSigner, &keys).await;
    let bad: [fn(&mut compute_credits::LendingParams); 7] = [
        |p| p.min_principal = p.max_principal + 1,
        |p| p.max_apr_bps = 10_001,
        |p| p.max_periods = 37,
        |p| p.min_periods = 5,
        |p| p.liquidation_discount_bps = 2_001,
        |p| p.multipliers[7] = 15_001,
        |p| p.min_liquidation_bps = 9_999,
    ];
    for change in bad {
        let mut p = default_lending_params();
        change(&mut p);
        refused(
            &mut ctx,
            configure_lending(&admin, p),
            &[&w.f.admin],
            CreditsError::InvalidLendingConfig,
            &keys,
        )
        .await;
    }
    let ix = replace_account(
        configure_lending(&admin, default_lending_params()),
        &lending_pda(),
        &w.f.treasury_quote,
    );
    refused(&mut ctx, ix, &[&w.f.admin], AnchorError::ConstraintSeeds, &keys).await;
}

#[tokio::test]
async fn post_loan_offer_attacks() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let k = w.keys();
    let keys = loan_keys(&k, &w);
    let base = OfferTerms {
        loan_id: k.loan_id,
        borrower: w.borrower.pubkey(),
        ..seed_terms(0, LoanKind::ComputeFinancing, 0)
    };
    w.approve(&mut ctx, base.borrower_tier).await;
    let lender = &w.lender.key;
    // a platform that is not the platform account
    let ix = replace_account(post_loan_offer(&k, base), &w.f.platform, &lending_pda());
    refused(&mut ctx, ix, &[lender], AnchorError::AccountDiscriminatorMismatch, &keys).await;
    // a copy of the lending config at another address (a state the program never creates:
    // forged into the bank) with looser bounds: only the LENDING_CONFIG address counts
    let mut forged = ctx.account(lending_pda()).await.expect("lending config");
    let lax = OfferTerms { principal: 10_000_001 * USD, ..base };
    let forged_key = Pubkey::new_unique();
    forged.data[8..16].copy_from_slice(&1u64.to_le_bytes()); // min_principal
    forged.data[16..24].copy_from_slice(&u64::MAX.to_le_bytes()); // max_principal
    ctx.set_account(forged_key, forged);
    let ix = replace_account(post_loan_offer(&k, lax), &lending_pda(), &forged_key);
    refused(&mut ctx, ix, &[lender], CreditsError::WrongLendingConfig, &keys).await;
    let cases: Vec<(OfferTerms, CreditsError)> = vec![
        (OfferTerms { principal: 99_999 * USD, ..base }, CreditsError::PrincipalOutOfRange),
        (OfferTerms { principal: 10_000_001 * USD, ..base }, CreditsError::PrincipalOutOfRange),
        (OfferTerms { apr_bps: 799, ..base }, CreditsError::AprOutOfRange),
        (OfferTerms { apr_bps: 1_201, ..base }, CreditsError::AprOutOfRange),
        (OfferTerms { periods: 5, ..base }, CreditsError::TermOutOfRange),
        (OfferTerms { periods: 37, ..base }, CreditsError::TermOutOfRange),
        (OfferTerms { schedule: 3, ..base }, CreditsError::InvalidLoanTerms),
        (OfferTerms { borrower_tier: 4, ..base }, CreditsError::InvalidLoanTerms),
        (OfferTerms { liquidation_bps: 12_500, ..base }, CreditsError::InvalidCoverageTerms),
        (
            OfferTerms { maintenance_bps: 10_900, liquidation_bps: 10_500, ..base },
            CreditsError::InvalidCoverageTerms,
        ),
        (OfferTerms { liquidation_bps: 10_000, ..base }, CreditsError::InvalidCoverageTerms),
        // no maintenance only for compute financing, and then no liquidation ratio either
        (
            OfferTerms { kind: LoanKind::CreditBacked, maintenance_bps: 0, liquidation_bps: 0, ..base },
            CreditsError::InvalidCoverageTerms,
        ),
        (OfferTerms { maintenance_bps: 0, ..base }, CreditsError::InvalidCoverageTerms),
        (
            OfferTerms { kind: LoanKind::CreditBacked, initial_bps: 11_900, ..base },
            CreditsError::InvalidCoverageTerms,
        ),
    ];
    for (terms, code) in cases {
        refused(&mut ctx, post_loan_offer(&k, terms), &[lender], code, &keys).await;
    }
    // missing signer; a substituted loan address; another class's mint; wrong token program
    let ix = without_signer(post_loan_offer(&k, base), &k.lender);
    refused(&mut ctx, ix, &[], AnchorError::AccountNotSigner, &keys).await;
    let ix = replace_account(post_loan_offer(&k, base), &k.loan, &loan_pda(&k.lender, 99));
    refused(&mut ctx, ix, &[lender], AnchorError::ConstraintSeeds, &keys).await;
    let other = w.f.create_class(&mut ctx, TokenKind::Spl).await;
    let ix = replace_account(post_loan_offer(&k, base), &k.credit_mint, &other.mint);
    refused(&mut ctx, ix, &[lender], CreditsError::WrongClass, &keys).await;
    let ix = replace_account(post_loan_offer(&k, base), &k.credit_program, &harness::token::SPL_TOKEN);
    refused(&mut ctx, ix, &[lender], CreditsError::WrongTokenProgram, &keys).await;
    // an escrow or vault that is not the loan's own PDA (another wallet's token account, or
    // the escrow and vault swapped)
    for (slot, wrong) in [(k.escrow, w.borrower.quote), (k.vault, w.borrower.credits), (k.escrow, k.vault)] {
        let ix = replace_account(post_loan_offer(&k, base), &slot, &wrong);
        refused(&mut ctx, ix, &[lender], AnchorError::ConstraintSeeds, &keys).await;
    }
    // funding from the borrower's quote account
    let ix = replace_account(post_loan_offer(&k, base), &k.lender_quote, &w.borrower.quote);
    refused(&mut ctx, ix, &[lender], AnchorError::ConstraintTokenOwner, &keys).await;
    // a paused class takes no offers
    ctx.send(
        &[pause_class(&w.f.guardian.pubkey(), &k.class, &k.credit_mint, &k.credit_program)],
        &[&w.f.guardian],
    )
    .await
    .unwrap();
    refused(&mut ctx, post_loan_offer(&k, base), &[lender], CreditsError::ClassPaused, &keys).await;
    ctx.send(
        &[resume_class(&w.f.admin.pubkey(), &k.class, &k.credit_mint, &k.credit_program)],
        &[&w.f.admin],
    )
    .await
    .unwrap();

    // reusing a loan id (reinitialisation)
    ctx.send(&[post_loan_offer(&k, base)], &[lender]).await.unwrap();
    let keys = loan_keys(&k, &w);
    let ix = post_loan_offer(&k, OfferTerms { apr_bps: 900, ..base });
    refused(&mut ctx, ix, &[lender], CreditsError::AlreadyInitialized, &keys).await;
}

#[tokio::test]
async fn accept_and_cancel_attacks() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let stranger = w.f.user(&mut ctx, &w.c, 1_000 * USD).await;
    // an offer reserved for one borrower
    let terms = OfferTerms { borrower: w.borrower.pubkey(), ..seed_terms(0, LoanKind::ComputeFinancing, 0) };
    let (k, r) = w.offer(&mut ctx, terms).await;
    r.result.unwrap();
    let keys = loan_keys(&k, &w);
    let mut as_stranger = k;
    as_stranger.borrower = stranger.pubkey();
    let ix = accept_loan(&as_stranger, &w.f.treasury_quote, None, 0, 0);
    refused(&mut ctx, ix, &[&stranger.key], CreditsError::WrongBorrower, &keys).await;
    // the principal must go to the treasury for compute financing
    let ix = accept_loan(&k, &w.borrower.quote, None, 0, 0);
    refused(&mut ctx, ix, &[&w.borrower.key], CreditsError::WrongTreasury, &keys).await;
    // the feed of another class; a forged feed; a stale price
    let other = w.f.create_class(&mut ctx, TokenKind::Spl).await;
    let other_feed = w.f.native_feed(&mut ctx, &other, 1, 1).await;
    other_feed.submit_all(&mut ctx, &[PRICE], CONF).await;
    let ix =
        replace_account(accept_loan(&k, &w.f.treasury_quote, None, 0, 0), &k.price_feed, &other_feed.feed);
    refused(&mut ctx, ix, &[&w.borrower.key], CreditsError::WrongPriceFeed, &keys).await;
    let ix =
        replace_account(accept_loan(&k, &w.f.treasury_quote, None, 0, 0), &k.price_feed, &w.f.treasury_quote);
    refused(&mut ctx, ix, &[&w.borrower.key], AnchorError::AccountOwnedByWrongProgram, &keys).await;
    ctx.advance_clock(i64::from(harness::oracle::STALENESS) + 1).await;
    let ix = accept_loan(&k, &w.f.treasury_quote, None, 0, 0);
    refused(&mut ctx, ix, &[&w.borrower.key], CreditsError::StalePrice, &keys).await;
    w.set_price(&mut ctx, PRICE).await;
    // missing signer; the loan of another class
    let ix = without_signer(accept_loan(&k, &w.f.treasury_quote, None, 0, 0), &k.borrower);
    refused(&mut ctx, ix, &[], AnchorError::AccountNotSigner, &keys).await;
    let ix = replace_account(accept_loan(&k, &w.f.treasury_quote, None, 0, 0), &k.class, &other.class);
    refused(&mut ctx, ix, &[&w.borrower.key], CreditsError::WrongClass, &keys).await;
    // only the lender cancels, naming the loan's own class (where the quote mint and token
    // programs are recorded)
    let ix = replace_account(cancel_loan_offer(&k), &k.class, &other.class);
    refused(&mut ctx, ix, &[&w.lender.key], CreditsError::WrongClass, &keys).await;
    let mut by_stranger = cancel_loan_offer(&k);
    by_stranger.accounts[0].pubkey = stranger.pubkey();
    refused(&mut ctx, by_stranger, &[&stranger.key], CreditsError::NotLender, &keys).await;

    // accepted: no second acceptance, no cancel
    w.accept(&mut ctx, &k, LoanKind::ComputeFinancing, 0).await.unwrap();
    let keys = loan_keys(&k, &w);
    refused(
        &mut ctx,
        accept_loan(&k, &w.f.treasury_quote, None, 0, 0),
        &[&w.borrower.key],
        CreditsError::LoanNotOffered,
        &keys,
    )
    .await;
    refused(&mut ctx, cancel_loan_offer(&k), &[&w.lender.key], CreditsError::LoanNotOffered, &keys).await;
}

#[tokio::test]
async fn credit_backed_accept_attacks() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let pledge = 61_000 * USD;
    w.f.buy(&mut ctx, &w.c, &w.borrower, pledge).await.unwrap();
    let terms = OfferTerms { principal: 100_000 * USD, ..seed_terms(0, LoanKind::CreditBacked, 0) };
    let (k, r) = w.offer(&mut ctx, terms).await;
    r.result.unwrap();
    let keys = loan_keys(&k, &w);
    let b = &w.borrower;
    // 60,000 GPU-hours at $2.49 = $149,400 < 150% of $100,000
    let ix = accept_loan(&k, &b.quote, Some(b.credits), 60_000 * USD, 0);
    refused(&mut ctx, ix, &[&b.key], CreditsError::InsufficientCoverage, &keys).await;
    refused(
        &mut ctx,
        accept_loan(&k, &b.quote, Some(b.credits), 0, 0),
        &[&b.key],
        CreditsError::ZeroAmount,
        &keys,
    )
    .await;
    refused(
        &mut ctx,
        replace_account(accept_loan(&k, &b.quote, None, pledge, 0), &k.approval, &compute_credits::ID),
        &[&b.key],
        CreditsError::MissingCreditAccount,
        &keys,
    )
    .await;
    // the pledge source passed again as the treasury; a "treasury" account of the credit mint
    let ix =
        replace_account(accept_loan(&k, &b.quote, Some(b.credits), pledge, 0), &k.treasury_quote, &b.credits);
    refused(&mut ctx, ix, &[&b.key], AnchorError::ConstraintDuplicateMutableAccount, &keys).await;
    let lender_credits = w.lender.credits;
    let ix = replace_account(
        accept_loan(&k, &b.quote, Some(b.credits), pledge, 0),
        &k.treasury_quote,
        &lender_credits,
    );
    refused(&mut ctx, ix, &[&b.key], AnchorError::ConstraintTokenMint, &keys).await;
    // the principal goes to the borrower's own account, no one else's
    let ix = accept_loan(&k, &k.lender_quote, Some(b.credits), pledge, 0);
    refused(&mut ctx, ix, &[&b.key], CreditsError::WrongLoanAccount, &keys).await;
    // the origination fee needs the treasury's account: omitted, or someone else's
    let ix = replace_account(
        accept_loan(&k, &b.quote, Some(b.credits), pledge, 0),
        &k.treasury_quote,
        &compute_credits::ID,
    );
    refused(&mut ctx, ix, &[&b.key], CreditsError::MissingTreasuryAccount, &keys).await;
    let ix = replace_account(
        accept_loan(&k, &b.quote, Some(b.credits), pledge, 0),
        &k.treasury_quote,
        &k.lender_quote,
    );
    refused(&mut ctx, ix, &[&b.key], CreditsError::WrongTreasury, &keys).await;
    // more than it holds: the token program refuses, nothing moves
    let before = ctx.snapshot(&keys).await;
    let r = ctx.send(&[accept_loan(&k, &b.quote, Some(b.credits), pledge * 2, 0)], &[&b.key]).await;
    assert!(r.result.is_err());
    ctx.assert_unchanged(&before).await;
    // a frozen pledge source
    let g = w.f.guardian.pubkey();
    ctx.send(
        &[freeze_credits(&g, &k.class, &k.credit_mint, (&b.pubkey(), &b.credits), &k.credit_program, 1)],
        &[&w.f.guardian],
    )
    .await
    .unwrap();
    let ix = accept_loan(&k, &b.quote, Some(b.credits), pledge, 0);
    refused(&mut ctx, ix, &[&b.key], CreditsError::CreditAccountFrozen, &keys).await;
}

#[tokio::test]
async fn repay_and_crank_attacks() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let (offered, r) = w.offer(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 0)).await;
    r.result.unwrap();
    let keys = loan_keys(&offered, &w);
    let b = &w.borrower;
    refused(
        &mut ctx,
        repay_loan(&offered, &b.pubkey(), &b.quote, USD),
        &[&b.key],
        CreditsError::LoanNotOpen,
        &keys,
    )
    .await;
    refused(&mut ctx, update_loan(&offered), &[], CreditsError::LoanNotOpen, &keys).await;

    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 0), 0).await;
    let keys = loan_keys(&k, &w);
    let b = &w.borrower;
    refused(&mut ctx, repay_loan(&k, &b.pubkey(), &b.quote, 0), &[&b.key], CreditsError::ZeroAmount, &keys)
        .await;
    // paying to someone other than the lender of record
    let ix =
        replace_account(repay_loan(&k, &b.pubkey(), &b.quote, USD), &k.lender_quote, &w.f.treasury_quote);
    refused(&mut ctx, ix, &[&b.key], CreditsError::WrongLoanAccount, &keys).await;
    // paying from another's account; the lender "paying" itself from the lender account
    let ix = replace_account(repay_loan(&k, &b.pubkey(), &b.quote, USD), &b.quote, &w.f.treasury_quote);
    refused(&mut ctx, ix, &[&b.key], AnchorError::ConstraintTokenOwner, &keys).await;
    let ix = repay_loan(&k, &w.lender.pubkey(), &w.lender.quote, USD);
    refused(&mut ctx, ix, &[&w.lender.key], AnchorError::ConstraintDuplicateMutableAccount, &keys).await;
    // the lender's account of another mint; another class than the loan's
    let ix = replace_account(repay_loan(&k, &b.pubkey(), &b.quote, USD), &k.lender_quote, &w.lender.credits);
    refused(&mut ctx, ix, &[&b.key], AnchorError::ConstraintTokenMint, &keys).await;
    let other = w.f.create_class(&mut ctx, TokenKind::Spl).await;
    let ix = replace_account(repay_loan(&k, &b.pubkey(), &b.quote, USD), &k.class, &other.class);
    refused(&mut ctx, ix, &[&b.key], CreditsError::WrongClass, &keys).await;
    let ix = without_signer(repay_loan(&k, &b.pubkey(), &b.quote, USD), &b.pubkey());
    refused(&mut ctx, ix, &[], AnchorError::AccountNotSigner, &keys).await;
    // the crank: another vault, another class's feed, a stale price, a tripped breaker
    let ix = replace_account(update_loan(&k), &k.vault, &b.credits);
    refused(&mut ctx, ix, &[], CreditsError::WrongLoanAccount, &keys).await;
    let other = w.f.create_class(&mut ctx, TokenKind::Spl).await;
    let other_feed = w.f.native_feed(&mut ctx, &other, 1, 1).await;
    other_feed.submit_all(&mut ctx, &[PRICE], CONF).await;
    let ix = replace_account(update_loan(&k), &k.price_feed, &other_feed.feed);
    refused(&mut ctx, ix, &[], CreditsError::WrongPriceFeed, &keys).await;
    ctx.advance_clock(i64::from(harness::oracle::STALENESS) + 1).await;
    refused(&mut ctx, update_loan(&k), &[], CreditsError::StalePrice, &keys).await;
    w.set_price(&mut ctx, PRICE).await;
    w.set_price(&mut ctx, 2 * PRICE).await; // +100% within the window: held
    refused(&mut ctx, update_loan(&k), &[], CreditsError::CircuitBreakerTripped, &keys).await;
}

#[tokio::test]
async fn freeze_liquidate_and_release_attacks() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 1), 0).await;
    let keys = loan_keys(&k, &w);
    let stranger = w.f.user(&mut ctx, &w.c, 0).await;
    let (b, lender) = (&w.borrower, &w.lender);

    // a current loan cannot be frozen or liquidated, not even by its lender
    let ix = freeze_collateral(&k, &lender.pubkey(), &b.credits);
    refused(&mut ctx, ix, &[&lender.key], CreditsError::LoanNotEnforceable, &keys).await;
    let ix = liquidate_collateral(&k, &lender.credits, u64::MAX);
    refused(&mut ctx, ix, &[&lender.key], CreditsError::LoanNotEnforceable, &keys).await;
    refused(&mut ctx, release_collateral(&k, &b.credits, &[]), &[], CreditsError::LoanNotClosed, &keys).await;
    // nothing held: nothing to thaw
    let ix = thaw_collateral(&k, &[b.credits]);
    refused(&mut ctx, ix, &[&b.key], CreditsError::CollateralNotFrozen, &keys).await;
    refused(&mut ctx, thaw_collateral(&k, &[]), &[&b.key], CreditsError::CollateralNotFrozen, &keys).await;

    // defaulted
    let due = ledger(&mut ctx, &k.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    w.advance(&mut ctx, due + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    let (b, lender) = (&w.borrower, &w.lender);
    // the borrower or a stranger cannot freeze
    for who in [&b.key, &stranger.key] {
        let ix = freeze_collateral(&k, &who.pubkey(), &b.credits);
        refused(&mut ctx, ix, &[who], CreditsError::NotLender, &keys).await;
    }
    // only the borrower's own accounts, and not without the lender's signature
    let ix = freeze_collateral(&k, &lender.pubkey(), &stranger.credits);
    refused(&mut ctx, ix, &[&lender.key], CreditsError::WrongLoanAccount, &keys).await;
    let ix = without_signer(freeze_collateral(&k, &lender.pubkey(), &b.credits), &lender.pubkey());
    refused(&mut ctx, ix, &[], AnchorError::AccountNotSigner, &keys).await;
    // a hold record of another account, or an odd remaining account
    let ix = replace_account(
        freeze_collateral(&k, &lender.pubkey(), &b.credits),
        &harness::builders::freeze_hold_pda(&b.credits),
        &harness::builders::freeze_hold_pda(&stranger.credits),
    );
    refused(&mut ctx, ix, &[&lender.key], CreditsError::WrongHoldAccount, &keys).await;
    let ix = with_extra_accounts(
        freeze_collateral(&k, &lender.pubkey(), &b.credits),
        &[solana_sdk::instruction::AccountMeta::new(b.credits, false)],
    );
    refused(&mut ctx, ix, &[&lender.key], CreditsError::WrongHoldAccount, &keys).await;
    // the same account twice in one call
    let ix = freeze_collateral_more(&k, &lender.pubkey(), &b.credits, &[b.credits]);
    refused(&mut ctx, ix, &[&lender.key], CreditsError::AlreadyHeld, &keys).await;
    ctx.send(&[freeze_collateral(&k, &lender.pubkey(), &b.credits)], &[&lender.key]).await.unwrap();
    let ix = freeze_collateral(&k, &lender.pubkey(), &b.credits);
    refused(&mut ctx, ix, &[&lender.key], CreditsError::AlreadyHeld, &keys).await;

    // liquidation: only the lender, into its own account, never a dust seizure
    let mut by_stranger = liquidate_collateral(&k, &stranger.credits, u64::MAX);
    by_stranger.accounts[0].pubkey = stranger.pubkey();
    refused(&mut ctx, by_stranger, &[&stranger.key], CreditsError::NotLender, &keys).await;
    let ix = liquidate_collateral(&k, &stranger.credits, u64::MAX);
    refused(&mut ctx, ix, &[&lender.key], AnchorError::ConstraintTokenOwner, &keys).await;
    let ix = liquidate_collateral(&k, &lender.credits, 0);
    refused(&mut ctx, ix, &[&lender.key], CreditsError::ZeroAmount, &keys).await;
    // frozen collateral cannot be withdrawn or consumed: the borrower is under the loan's hold
    let ix = withdraw_collateral(&k, &b.credits, 1, true);
    refused(&mut ctx, ix, &[&b.key], CreditsError::OwnerUnderHold, &keys).await;

    // the rent goes to the lender of record only
    let ix = liquidate_collateral(&k, &lender.credits, u64::MAX);
    ctx.send(&[ix], &[&lender.key]).await.unwrap();
    let keys = loan_keys(&k, &w);
    let held = [w.borrower.credits];
    let mut to_stranger = release_collateral(&k, &w.borrower.credits, &held);
    to_stranger.accounts[1].pubkey = stranger.pubkey();
    refused(&mut ctx, to_stranger, &[], CreditsError::NotLender, &keys).await;
    let ix = release_collateral(&k, &stranger.credits, &held);
    refused(&mut ctx, ix, &[], CreditsError::WrongLoanAccount, &keys).await;
    // an escrow remainder goes only to a quote account of the lender
    let ix = replace_account(
        release_collateral(&k, &w.borrower.credits, &held),
        &k.lender_quote,
        &w.borrower.quote,
    );
    refused(&mut ctx, ix, &[], AnchorError::ConstraintTokenOwner, &keys).await;
    // the loan cannot close while it holds an account, nor with a forged owner-holds record
    refused(
        &mut ctx,
        release_collateral(&k, &w.borrower.credits, &[]),
        &[],
        CreditsError::HoldsRemain,
        &keys,
    )
    .await;
    let ix = replace_account(
        release_collateral(&k, &w.borrower.credits, &held),
        &harness::builders::owner_holds_pda(&k.credit_mint, &w.borrower.pubkey()),
        &harness::builders::owner_holds_pda(&k.credit_mint, &stranger.pubkey()),
    );
    refused(&mut ctx, ix, &[], CreditsError::WrongHoldAccount, &keys).await;
    ctx.send(&[release_collateral(&k, &w.borrower.credits, &held)], &[]).await.unwrap();
    assert!(!ctx.token_account(w.borrower.credits).await.frozen);
}

#[tokio::test]
async fn collateral_move_attacks() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let k = w.originate(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 1), 0).await;
    let keys = loan_keys(&k, &w);
    let in_vault = ctx.balance(k.vault).await;
    let stranger = w.f.user(&mut ctx, &w.c, 0).await;
    let b = &w.borrower;
    // 537,848 GPU-hours at $2.49 cover $1M x 120% down to 481,928: more than ~55,920 leaves too little
    let ix = withdraw_collateral(&k, &b.credits, 60_000 * USD, true);
    refused(&mut ctx, ix, &[&b.key], CreditsError::InsufficientCoverage, &keys).await;
    let ix = withdraw_collateral(&k, &b.credits, in_vault + 1, true);
    refused(&mut ctx, ix, &[&b.key], CreditsError::InsufficientCoverage, &keys).await;
    let ix = withdraw_collateral(&k, &b.credits, USD, false);
    refused(&mut ctx, ix, &[&b.key], CreditsError::WrongPriceSource, &keys).await;
    let ix = withdraw_collateral(&k, &b.credits, 0, true);
    refused(&mut ctx, ix, &[&b.key], CreditsError::ZeroAmount, &keys).await;
    // not the borrower
    let mut as_stranger = k;
    as_stranger.borrower = stranger.pubkey();
    let ix = withdraw_collateral(&as_stranger, &stranger.credits, USD, true);
    refused(&mut ctx, ix, &[&stranger.key], CreditsError::NotBorrower, &keys).await;
    let ix = top_up_collateral(&as_stranger, &stranger.credits, USD);
    refused(&mut ctx, ix, &[&stranger.key], CreditsError::NotBorrower, &keys).await;
    let ix = top_up_collateral(&k, &b.credits, 0);
    refused(&mut ctx, ix, &[&b.key], CreditsError::ZeroAmount, &keys).await;
    // redemption from the vault: a registered provider, within coverage
    let ix = redeem_from_vault(&k, &stranger.pubkey(), USD, [1; 32], true);
    refused(&mut ctx, ix, &[&b.key, &stranger.key], AnchorError::AccountOwnedByWrongProgram, &keys).await;
    let provider = w.f.provider(&mut ctx, &w.c).await;
    let ix = redeem_from_vault(&k, &provider.pubkey(), 60_000 * USD, [1; 32], true);
    refused(&mut ctx, ix, &[&w.borrower.key, &provider], CreditsError::InsufficientCoverage, &keys).await;
    let ix =
        without_signer(redeem_from_vault(&k, &provider.pubkey(), USD, [1; 32], true), &provider.pubkey());
    refused(&mut ctx, ix, &[&w.borrower.key], AnchorError::AccountNotSigner, &keys).await;
    // within coverage both work
    let ix = redeem_from_vault(&k, &provider.pubkey(), 10_000 * USD, [1; 32], true);
    ctx.send(&[ix], &[&w.borrower.key, &provider]).await.unwrap();
    let ix = withdraw_collateral(&k, &w.borrower.credits, 10_000 * USD, true);
    ctx.send(&[ix], &[&w.borrower.key]).await.unwrap();
    assert_eq!(ctx.balance(k.vault).await, in_vault - 20_000 * USD);
}
