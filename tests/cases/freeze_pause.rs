//! Blockable credits: the guardian's freeze and the class pause, proven through the token
//! programs themselves (real transfers that fail), not by reading flags.
use anchor_spl::token_2022::spl_token_2022::error::TokenError;
use compute_credits::{error::CreditsError, state::CreditClass};
use harness::builders::*;
use harness::fixtures::*;
use harness::{assert_error, TestContext};
use solana_sdk::signature::Signer;

async fn freeze_blocks_transfer_and_redeem(kind: TokenKind) {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, kind).await;
    let holder = f.user(&mut ctx, &c, 100_000_000).await;
    let other = f.user(&mut ctx, &c, 0).await;
    f.buy(&mut ctx, &c, &holder, 5_000_000).await.unwrap();
    let provider = f.provider(&mut ctx, &c).await;
    let g = f.guardian.pubkey();

    ctx.send(
        &[freeze_credits(&g, &c.class, &c.mint, (&holder.pubkey(), &holder.credits), &c.program, 42)],
        &[&f.guardian],
    )
    .await
    .unwrap();
    assert!(ctx.token_account(holder.credits).await.frozen);

    // the token program itself refuses to move frozen credits
    let r = ctx.raw_transfer(&c, &holder.credits, &other.credits, &holder.key, 1_000_000).await;
    assert_error(&r, TokenError::AccountFrozen as u32);
    // and the program refuses to redeem them
    let before = ctx.snapshot(&[holder.credits, c.mint, c.class]).await;
    let ix = redeem_credits(&f.redeem(&c, &holder, &provider.pubkey()), 1_000_000, [3; 32]);
    assert_error(&ctx.send(&[ix], &[&holder.key, &provider]).await, CreditsError::CreditAccountFrozen);
    // nor can it receive new credits
    let r = f.buy(&mut ctx, &c, &holder, 1_000_000).await;
    assert_error(&r, CreditsError::CreditAccountFrozen);
    ctx.assert_unchanged(&before).await;

    ctx.send(
        &[thaw_credits(&g, &c.class, &c.mint, (&holder.pubkey(), &holder.credits), &c.program, 42)],
        &[&f.guardian],
    )
    .await
    .unwrap();
    let r = ctx.raw_transfer(&c, &holder.credits, &other.credits, &holder.key, 1_000_000).await;
    r.unwrap();
    assert_eq!(ctx.balance(other.credits).await, 1_000_000);
}

#[tokio::test]
async fn guardian_freeze_token_2022() {
    freeze_blocks_transfer_and_redeem(TokenKind::Token2022).await
}

#[tokio::test]
async fn guardian_freeze_classic_spl() {
    freeze_blocks_transfer_and_redeem(TokenKind::Spl).await
}

#[tokio::test]
async fn paused_token_2022_class_cannot_move_at_all() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let holder = f.user(&mut ctx, &c, 100_000_000).await;
    let other = f.user(&mut ctx, &c, 0).await;
    f.buy(&mut ctx, &c, &holder, 5_000_000).await.unwrap();

    // the guardian pauses; the Token-2022 mint itself is paused
    ctx.send(&[pause_class(&f.guardian.pubkey(), &c.class, &c.mint, &c.program)], &[&f.guardian])
        .await
        .unwrap();
    let class: CreditClass = ctx.anchor_account(c.class).await;
    assert!(class.is_paused());
    let r = ctx.raw_transfer(&c, &holder.credits, &other.credits, &holder.key, 1_000_000).await;
    assert_error(&r, TokenError::MintPaused as u32);
    let before = ctx.snapshot(&[holder.credits, holder.quote, c.mint, c.class]).await;
    assert_error(&f.buy(&mut ctx, &c, &holder, 1_000_000).await, CreditsError::ClassPaused);
    ctx.assert_unchanged(&before).await;

    // only the admin resumes
    let r =
        ctx.send(&[resume_class(&f.guardian.pubkey(), &c.class, &c.mint, &c.program)], &[&f.guardian]).await;
    assert_error(&r, CreditsError::NotAdmin);
    ctx.send(&[resume_class(&f.admin.pubkey(), &c.class, &c.mint, &c.program)], &[&f.admin]).await.unwrap();
    ctx.raw_transfer(&c, &holder.credits, &other.credits, &holder.key, 1_000_000).await.unwrap();
    f.buy(&mut ctx, &c, &holder, 1_000_000).await.unwrap();
}

#[tokio::test]
async fn paused_classic_class_stops_program_instructions_only() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Spl).await;
    let holder = f.user(&mut ctx, &c, 100_000_000).await;
    let other = f.user(&mut ctx, &c, 0).await;
    f.buy(&mut ctx, &c, &holder, 5_000_000).await.unwrap();
    let provider = f.provider(&mut ctx, &c).await;

    ctx.send(&[pause_class(&f.admin.pubkey(), &c.class, &c.mint, &c.program)], &[&f.admin]).await.unwrap();
    let before = ctx.snapshot(&[holder.credits, holder.quote, c.mint, c.class]).await;
    assert_error(&f.buy(&mut ctx, &c, &holder, 1_000_000).await, CreditsError::ClassPaused);
    let ix = redeem_credits(&f.redeem(&c, &holder, &provider.pubkey()), 1_000_000, [0; 32]);
    assert_error(&ctx.send(&[ix], &[&holder.key, &provider]).await, CreditsError::ClassPaused);
    ctx.assert_unchanged(&before).await;
    // classic SPL Token has no pause: holder-to-holder transfers continue (see README)
    ctx.raw_transfer(&c, &holder.credits, &other.credits, &holder.key, 1_000_000).await.unwrap();
}
