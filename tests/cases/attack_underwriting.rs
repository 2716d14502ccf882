//! Self-dealing: the multiplier of compute financing comes from the platform underwriter's
//! approval of a named borrower, never from the lender's word, and lender and borrower differ.
//! Every attack is refused with its named error and changes nothing.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use compute_credits::error::CreditsError;
use compute_credits::{ApprovalTerms, LoanKind, OfferTerms};
use harness::builders::*;
use harness::fixtures::{PlatformFixture, SOL};
use harness::loans::*;
use harness::{refused, TestContext, TokenKind};
use solana_sdk::account::Account;
use solana_sdk::signature::{Keypair, Signer};

/// Every account an offer or an acceptance could touch, the approval and the class included.
fn loan_keys(k: &LoanKeys, w: &LoanWorld) -> Vec<Pubkey> {
    vec![
        k.loan,
        k.escrow,
        k.vault,
        k.lender_quote,
        k.approval,
        k.class,
        k.credit_mint,
        w.borrower.quote,
        w.borrower.credits,
        w.f.treasury_quote,
    ]
}

/// A copy of `source` owned by `owner` at a new address: a same-layout forgery.
async fn forge(ctx: &mut TestContext, source: &Pubkey, owner: Pubkey) -> Pubkey {
    let real = ctx.account(*source).await.expect("source exists");
    let fake = ctx.keypair().pubkey();
    ctx.set_account(fake, Account { owner, ..real });
    fake
}

fn terms_for(
    borrower: &Pubkey,
    f: &PlatformFixture,
    tier: u8,
    max_principal: u64,
    expires_at: i64,
) -> ApprovalTerms {
    ApprovalTerms { borrower: *borrower, quote_mint: f.quote_mint, tier, max_principal, expires_at }
}

#[tokio::test]
async fn set_underwriter_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let admin = f.admin.pubkey();
    let keys = [f.platform];
    let stranger = ctx.funded_keypair(SOL).await;
    let next = ctx.keypair().pubkey();
    // only the admin: not a stranger, not the underwriter itself, not the guardian
    for who in [&stranger, &f.underwriter, &f.guardian] {
        refused(&mut ctx, set_underwriter(&who.pubkey(), &next), &[who], CreditsError::NotAdmin, &keys).await;
    }
    let ix = without_signer(set_underwriter(&admin, &next), &admin);
    refused(&mut ctx, ix, &[], AnchorError::AccountNotSigner, &keys).await;
    // the default key cannot be named (it would look like "no underwriter" and sign nothing)
    let ix = set_underwriter(&admin, &Pubkey::default());
    refused(&mut ctx, ix, &[&f.admin], CreditsError::DefaultKey, &keys).await;
    // not the platform account
    let ix = replace_account(set_underwriter(&admin, &next), &f.platform, &f.treasury_quote);
    refused(&mut ctx, ix, &[&f.admin], AnchorError::AccountOwnedByWrongProgram, &keys).await;

    let platform: compute_credits::state::Platform = ctx.anchor_account(f.platform).await;
    assert_eq!(platform.underwriter, f.underwriter.pubkey());
    ctx.send(&[set_underwriter(&admin, &next)], &[&f.admin]).await.unwrap();
    let platform: compute_credits::state::Platform = ctx.anchor_account(f.platform).await;
    assert_eq!(platform.underwriter, next);
    // the rest of the platform is untouched
    assert_eq!((platform.admin, platform.guardian), (admin, f.guardian.pubkey()));
}

#[tokio::test]
async fn approve_borrower_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let stranger = ctx.funded_keypair(SOL).await;
    let borrower = ctx.funded_keypair(SOL).await;
    let now = ctx.now().await;
    let terms = terms_for(&borrower.pubkey(), &f, 2, 1_000_000 * USD, now + 3_600);
    let approval = approval_pda(&borrower.pubkey(), &f.quote_mint);
    let uw = f.underwriter.pubkey();
    let keys = [approval, f.platform, uw];

    // signed by anyone but the underwriter: a stranger, the admin, the borrower itself
    for who in [&stranger, &f.admin, &borrower] {
        let ix = approve_borrower(&who.pubkey(), terms);
        refused(&mut ctx, ix, &[who], CreditsError::NotUnderwriter, &keys).await;
    }
    let ix = without_signer(approve_borrower(&uw, terms), &uw);
    refused(&mut ctx, ix, &[], AnchorError::AccountNotSigner, &keys).await;
    // bad terms: unknown tier, nothing to lend, already expired (expiry == now), no borrower or
    // quote currency
    let bad = [
        (ApprovalTerms { tier: 4, ..terms }, CreditsError::InvalidLoanTerms),
        (ApprovalTerms { max_principal: 0, ..terms }, CreditsError::ZeroAmount),
        (ApprovalTerms { expires_at: now, ..terms }, CreditsError::ApprovalExpired),
        (ApprovalTerms { borrower: Pubkey::default(), ..terms }, CreditsError::DefaultKey),
        (ApprovalTerms { quote_mint: Pubkey::default(), ..terms }, CreditsError::DefaultKey),
    ];
    for (t, code) in bad {
        let keys = [approval_pda(&t.borrower, &t.quote_mint), f.platform, uw];
        refused(&mut ctx, approve_borrower(&uw, t), &[&f.underwriter], code, &keys).await;
    }
    // an address that is not the PDA of the terms (another borrower's approval address)
    let elsewhere = approval_pda(&stranger.pubkey(), &f.quote_mint);
    let ix = replace_account(approve_borrower(&uw, terms), &approval, &elsewhere);
    refused(&mut ctx, ix, &[&f.underwriter], AnchorError::ConstraintSeeds, &[approval, elsewhere, uw]).await;
    // not the platform account
    let ix = replace_account(approve_borrower(&uw, terms), &f.platform, &f.treasury_quote);
    refused(&mut ctx, ix, &[&f.underwriter], AnchorError::AccountOwnedByWrongProgram, &keys).await;

    // lamports sent to the address first does not block the approval (donation-proof PDA)
    let gift = anchor_lang::solana_program::system_instruction::transfer(
        &ctx.payer().pubkey(),
        &approval,
        1_000_000,
    );
    ctx.send(&[gift], &[]).await.unwrap();
    ctx.send(&[approve_borrower(&uw, terms)], &[&f.underwriter]).await.unwrap();
    let a = approval_state(&mut ctx, &approval).await;
    assert_eq!((a.underwriter, a.borrower, a.quote_mint), (uw, borrower.pubkey(), f.quote_mint));
    assert_eq!(
        (a.tier, a.max_principal, a.used_principal, a.expires_at),
        (2, 1_000_000 * USD, 0, now + 3_600)
    );
    // one approval per borrower and quote currency: no second one over it, not even a better tier
    let keys = [approval, f.platform, uw];
    let ix = approve_borrower(&uw, ApprovalTerms { tier: 3, max_principal: 10_000_000 * USD, ..terms });
    refused(&mut ctx, ix, &[&f.underwriter], CreditsError::AlreadyInitialized, &keys).await;
}

#[tokio::test]
async fn revoke_approval_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let stranger = ctx.funded_keypair(SOL).await;
    let borrower = ctx.keypair().pubkey();
    let now = ctx.now().await;
    f.approve(&mut ctx, &borrower, 1, 500_000 * USD, now + 3_600).await.unwrap();
    let approval = approval_pda(&borrower, &f.quote_mint);
    let uw = f.underwriter.pubkey();
    let keys = [approval, f.platform, uw];

    for who in [&stranger, &f.admin] {
        let ix = revoke_approval(&who.pubkey(), &approval);
        refused(&mut ctx, ix, &[who], CreditsError::NotUnderwriter, &keys).await;
    }
    let ix = without_signer(revoke_approval(&uw, &approval), &uw);
    refused(&mut ctx, ix, &[], AnchorError::AccountNotSigner, &keys).await;
    // not an approval: the platform (our program, another type), a token account (another owner)
    let ix = revoke_approval(&uw, &f.platform);
    refused(&mut ctx, ix, &[&f.underwriter], AnchorError::AccountDiscriminatorMismatch, &keys).await;
    let ix = revoke_approval(&uw, &f.treasury_quote);
    refused(&mut ctx, ix, &[&f.underwriter], AnchorError::AccountOwnedByWrongProgram, &keys).await;

    // revoked: the account closes, its rent goes to the underwriter; a new approval starts afresh
    let before = ctx.lamports(uw).await;
    let rent = ctx.lamports(approval).await;
    ctx.send(&[revoke_approval(&uw, &approval)], &[&f.underwriter]).await.unwrap();
    assert!(ctx.account(approval).await.is_none());
    assert_eq!(ctx.lamports(uw).await, before + rent);
    f.approve(&mut ctx, &borrower, 0, 100_000 * USD, now + 3_600).await.unwrap();
    assert_eq!(approval_state(&mut ctx, &approval).await.tier, 0);
}

#[tokio::test]
async fn compute_financing_offer_needs_the_underwriters_approval() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    let k = w.keys();
    let borrower = w.borrower.pubkey();
    let base = OfferTerms { loan_id: k.loan_id, borrower, ..seed_terms(0, LoanKind::ComputeFinancing, 0) };
    let keys = loan_keys(&k, &w);
    let lender = &w.lender.key;
    let now = ctx.now().await;

    // the self-dealing of the issue: financing a second wallet nobody underwrote, without a
    // maintenance ratio, at the lender's favourite tier
    let self_deal = OfferTerms { borrower_tier: 3, maintenance_bps: 0, liquidation_bps: 0, ..base };
    let ix = replace_account(post_loan_offer(&k, self_deal), &k.approval, &compute_credits::ID);
    refused(&mut ctx, ix, &[lender], CreditsError::MissingApproval, &keys).await;
    // the approval address of a borrower nobody approved holds no approval
    refused(
        &mut ctx,
        post_loan_offer(&k, self_deal),
        &[lender],
        AnchorError::AccountOwnedByWrongProgram,
        &keys,
    )
    .await;
    // the lender as its own borrower, even with an approval of its own, and for both loan kinds
    w.f.approve(&mut ctx, &w.lender.pubkey(), 2, APPROVAL_MAX, now + 3_600).await.unwrap();
    let lender_approval = approval_pda(&w.lender.pubkey(), &w.f.quote_mint);
    let lender = &w.lender.key;
    let as_own_borrower = OfferTerms { borrower: w.lender.pubkey(), ..base };
    let ix = replace_account(post_loan_offer(&k, as_own_borrower), &k.approval, &lender_approval);
    refused(&mut ctx, ix, &[lender], CreditsError::LenderIsBorrower, &keys).await;
    let ix = post_loan_offer(&k, OfferTerms { kind: LoanKind::CreditBacked, ..as_own_borrower });
    refused(&mut ctx, ix, &[lender], CreditsError::LenderIsBorrower, &keys).await;

    // approvals that do not cover this offer
    let other = w.f.user(&mut ctx, &w.c, 0).await;
    w.f.approve(&mut ctx, &other.pubkey(), 2, APPROVAL_MAX, now + 3_600).await.unwrap();
    let other_approval = approval_pda(&other.pubkey(), &w.f.quote_mint);
    // another borrower's
    let ix = replace_account(post_loan_offer(&k, base), &k.approval, &other_approval);
    refused(&mut ctx, ix, &[&w.lender.key], CreditsError::WrongApproval, &keys).await;
    // the borrower's own, in another quote currency
    let foreign_mint = ctx.keypair().pubkey();
    let foreign = ApprovalTerms {
        borrower,
        quote_mint: foreign_mint,
        tier: 2,
        max_principal: APPROVAL_MAX,
        expires_at: now + 3_600,
    };
    ctx.send(&[approve_borrower(&w.f.underwriter.pubkey(), foreign)], &[&w.f.underwriter]).await.unwrap();
    let ix = replace_account(post_loan_offer(&k, base), &k.approval, &approval_pda(&borrower, &foreign_mint));
    refused(&mut ctx, ix, &[&w.lender.key], CreditsError::WrongApproval, &keys).await;
    // forgeries: a copy of a real approval owned by another program; accounts of another type
    let fake = forge(&mut ctx, &other_approval, harness::token::SPL_TOKEN).await;
    let ix = replace_account(post_loan_offer(&k, base), &k.approval, &fake);
    refused(&mut ctx, ix, &[&w.lender.key], AnchorError::AccountOwnedByWrongProgram, &keys).await;
    for not_an_approval in [w.f.platform, w.c.class, lending_pda()] {
        let ix = replace_account(post_loan_offer(&k, base), &k.approval, &not_an_approval);
        refused(&mut ctx, ix, &[&w.lender.key], AnchorError::AccountDiscriminatorMismatch, &keys).await;
    }

    // the borrower's approval: Series A, $1M in all, for an hour
    let expiry = now + 3_600;
    w.f.approve(&mut ctx, &borrower, 2, 1_000_000 * USD, expiry).await.unwrap();
    let keys = loan_keys(&k, &w);
    let lender = &w.lender.key;
    // an open offer, even with an approval at hand: compute financing names its borrower
    let ix = post_loan_offer(&k, OfferTerms { borrower: Pubkey::default(), ..base });
    refused(&mut ctx, ix, &[lender], CreditsError::BorrowerNotNamed, &keys).await;
    // the lender cannot declare a better tier than the underwriter's
    let ix = post_loan_offer(&k, OfferTerms { borrower_tier: 3, ..base });
    refused(&mut ctx, ix, &[lender], CreditsError::TierNotApproved, &keys).await;
    // one atom more than the approval allows
    let ix = post_loan_offer(&k, OfferTerms { principal: 1_000_000 * USD + 1, ..base });
    refused(&mut ctx, ix, &[lender], CreditsError::ApprovalExceeded, &keys).await;
    // an approval signed by a non-underwriter: the admin names a new underwriter, and every
    // approval of the previous one stops counting
    let admin = w.f.admin.pubkey();
    let next = Keypair::new_from_array([0x76; 32]);
    ctx.send(&[set_underwriter(&admin, &next.pubkey())], &[&w.f.admin]).await.unwrap();
    refused(&mut ctx, post_loan_offer(&k, base), &[&w.lender.key], CreditsError::WrongApproval, &keys).await;
    ctx.send(&[set_underwriter(&admin, &w.f.underwriter.pubkey())], &[&w.f.admin]).await.unwrap();
    // expiry: valid through its expiry second (another offer posted then), refused after it
    let now = ctx.now().await;
    ctx.advance_clock(expiry - now).await;
    let edge = w.keys();
    ctx.send(&[post_loan_offer(&edge, OfferTerms { loan_id: edge.loan_id, ..base })], &[&w.lender.key])
        .await
        .unwrap();
    ctx.advance_clock(1).await;
    refused(&mut ctx, post_loan_offer(&k, base), &[&w.lender.key], CreditsError::ApprovalExpired, &keys)
        .await;

    // a fresh approval: exactly its limit is accepted, at the approval's tier
    w.f.revoke(&mut ctx, &borrower).await.unwrap();
    let now = ctx.now().await;
    w.f.approve(&mut ctx, &borrower, 2, 1_000_000 * USD, now + 3_600).await.unwrap();
    ctx.send(&[post_loan_offer(&k, base)], &[&w.lender.key]).await.unwrap();
    let loan = loan_state(&mut ctx, &k.loan).await;
    assert_eq!((loan.borrower, loan.borrower_tier, loan.multiplier_bps), (borrower, 2, 13_500));
    // posting consumes nothing: the approval is used when a borrower accepts
    assert_eq!(approval_state(&mut ctx, &k.approval).await.used_principal, 0);
}

#[tokio::test]
async fn compute_financing_acceptance_needs_the_approval_to_still_hold() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let borrower = w.borrower.pubkey();
    let now = ctx.now().await;
    // Series A, $1.5M in all, for two hours: room for one of two $1M offers
    w.f.approve(&mut ctx, &borrower, 2, 1_500_000 * USD, now + 7_200).await.unwrap();
    let terms = OfferTerms { borrower, ..seed_terms(0, LoanKind::ComputeFinancing, 0) };
    let mut offers = vec![];
    for _ in 0..2 {
        let k = w.keys();
        let ix = post_loan_offer(&k, OfferTerms { loan_id: k.loan_id, ..terms });
        ctx.send(&[ix], &[&w.lender.key]).await.unwrap();
        offers.push(k);
    }
    let (k, second) = (offers[0], offers[1]);
    let keys = loan_keys(&k, &w);
    let b = &w.borrower.key;
    let treasury = w.f.treasury_quote;
    let accept = move |k: &LoanKeys| accept_loan(k, &treasury, None, 0, 0);

    // no approval passed
    let ix = replace_account(accept(&k), &k.approval, &compute_credits::ID);
    refused(&mut ctx, ix, &[b], CreditsError::MissingApproval, &keys).await;
    // another borrower's approval
    let other = w.f.user(&mut ctx, &w.c, 0).await;
    w.f.approve(&mut ctx, &other.pubkey(), 2, APPROVAL_MAX, now + 7_200).await.unwrap();
    let other_approval = approval_pda(&other.pubkey(), &w.f.quote_mint);
    let b = &w.borrower.key;
    let ix = replace_account(accept(&k), &k.approval, &other_approval);
    refused(&mut ctx, ix, &[b], CreditsError::WrongApproval, &keys).await;
    // forgeries
    let fake = forge(&mut ctx, &k.approval, harness::token::SPL_TOKEN).await;
    let ix = replace_account(accept(&k), &k.approval, &fake);
    refused(&mut ctx, ix, &[b], AnchorError::AccountOwnedByWrongProgram, &keys).await;
    let ix = replace_account(accept(&k), &k.approval, &w.f.platform);
    refused(&mut ctx, ix, &[b], AnchorError::AccountDiscriminatorMismatch, &keys).await;
    let ix = replace_account(accept(&k), &k.approval, &second.loan);
    refused(&mut ctx, ix, &[b], AnchorError::AccountDiscriminatorMismatch, &keys).await;
    // the underwriter re-approves at another tier: the offer's multiplier no longer holds
    w.f.revoke(&mut ctx, &borrower).await.unwrap();
    w.f.approve(&mut ctx, &borrower, 1, 1_500_000 * USD, now + 7_200).await.unwrap();
    refused(&mut ctx, accept(&k), &[&w.borrower.key], CreditsError::TierNotApproved, &keys).await;
    w.f.revoke(&mut ctx, &borrower).await.unwrap();
    // revoked: nothing at the address any more
    refused(&mut ctx, accept(&k), &[&w.borrower.key], AnchorError::AccountOwnedByWrongProgram, &keys).await;
    w.f.approve(&mut ctx, &borrower, 2, 1_500_000 * USD, now + 7_200).await.unwrap();
    // the underwriter was replaced since the approval
    let admin = w.f.admin.pubkey();
    ctx.send(&[set_underwriter(&admin, &Keypair::new_from_array([0x76; 32]).pubkey())], &[&w.f.admin])
        .await
        .unwrap();
    refused(&mut ctx, accept(&k), &[&w.borrower.key], CreditsError::WrongApproval, &keys).await;
    ctx.send(&[set_underwriter(&admin, &w.f.underwriter.pubkey())], &[&w.f.admin]).await.unwrap();

    // the first acceptance uses $1M of the $1.5M
    ctx.send(&[accept(&k)], &[&w.borrower.key]).await.unwrap();
    assert_eq!(approval_state(&mut ctx, &k.approval).await.used_principal, 1_000_000 * USD);
    // the second would take the total to $2M: refused, and nothing changed
    let keys = loan_keys(&second, &w);
    refused(&mut ctx, accept(&second), &[&w.borrower.key], CreditsError::ApprovalExceeded, &keys).await;
    // expired at acceptance (valid when posted)
    w.f.revoke(&mut ctx, &borrower).await.unwrap();
    let now = ctx.now().await;
    w.f.approve(&mut ctx, &borrower, 2, 1_000_000 * USD, now + 60).await.unwrap();
    ctx.advance_clock(61).await;
    w.set_price(&mut ctx, PRICE).await;
    refused(&mut ctx, accept(&second), &[&w.borrower.key], CreditsError::ApprovalExpired, &keys).await;
}

#[tokio::test]
async fn the_lender_cannot_take_its_own_open_offer() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Spl).await;
    // an open credit-backed offer; the lender holds credits and tries to accept it itself
    let pledge = 61_000 * USD;
    w.f.buy(&mut ctx, &w.c, &w.lender, pledge).await.unwrap();
    let terms = OfferTerms { principal: 100_000 * USD, ..seed_terms(0, LoanKind::CreditBacked, 0) };
    let (k, r) = w.offer(&mut ctx, terms).await;
    r.result.unwrap();
    let mut as_lender = k;
    as_lender.borrower = w.lender.pubkey();
    let ix = accept_loan(&as_lender, &w.lender.quote, Some(w.lender.credits), pledge, 0);
    let keys = [loan_keys(&k, &w), vec![w.lender.credits]].concat();
    refused(&mut ctx, ix, &[&w.lender.key], CreditsError::LenderIsBorrower, &keys).await;
}

#[tokio::test]
async fn the_borrowers_minimum_of_credits_is_exact() {
    let mut ctx = TestContext::start().await;
    let mut w = LoanWorld::new(&mut ctx, TokenKind::Token2022).await;
    let (k, r) = w.offer(&mut ctx, seed_terms(0, LoanKind::ComputeFinancing, 0)).await;
    r.result.unwrap();
    // $1M x 1.35 at $2.51 (price + confidence)
    let expected = credit_math::price::credits_for_quote_floor(
        credit_math::QuoteAtoms(1_350_000 * USD),
        credit_math::price::Price::new(251_000_000, -8).unwrap(),
        6,
        6,
    )
    .unwrap()
    .0;
    let keys = loan_keys(&k, &w);
    let ix = accept_loan(&k, &w.f.treasury_quote, None, 0, expected + 1);
    refused(&mut ctx, ix, &[&w.borrower.key], CreditsError::CreditsBelowMinimum, &keys).await;
    // the price rose 1% since the borrower's quote: what it asked for no longer comes
    w.set_price(&mut ctx, PRICE + PRICE / 100).await;
    let ix = accept_loan(&k, &w.f.treasury_quote, None, 0, expected);
    refused(&mut ctx, ix, &[&w.borrower.key], CreditsError::CreditsBelowMinimum, &keys).await;
    w.set_price(&mut ctx, PRICE).await;
    ctx.send(&[accept_loan(&k, &w.f.treasury_quote, None, 0, expected)], &[&w.borrower.key]).await.unwrap();
    assert_eq!(ctx.balance(k.vault).await, expected);

    // credit-backed: the pledge is the collateral, so a minimum above it is refused too
    let pledge = 61_000 * USD;
    w.f.buy(&mut ctx, &w.c, &w.borrower, pledge).await.unwrap();
    let terms = OfferTerms { principal: 100_000 * USD, ..seed_terms(0, LoanKind::CreditBacked, 0) };
    let (cb, r) = w.offer(&mut ctx, terms).await;
    r.result.unwrap();
    let b = &w.borrower;
    let keys = loan_keys(&cb, &w);
    let ix = accept_loan(&cb, &b.quote, Some(b.credits), pledge, pledge + 1);
    refused(&mut ctx, ix, &[&b.key], CreditsError::CreditsBelowMinimum, &keys).await;
    ctx.send(&[accept_loan(&cb, &b.quote, Some(b.credits), pledge, pledge)], &[&b.key]).await.unwrap();
    assert_eq!(ctx.balance(cb.vault).await, pledge);
}
