use compute_credits::state::{CreditClass, Provider};
use harness::builders::*;
use harness::fixtures::*;
use harness::TestContext;
use solana_sdk::signature::Signer;

async fn purchase_then_redeem(kind: TokenKind) {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, kind).await;
    let buyer = f.user(&mut ctx, &c, 100_000_000).await;

    // 10 GPU-hours at $2.50 = $25 plus 1% = $25.25, paid to the treasury; 10 credits minted
    let r = f.buy(&mut ctx, &c, &buyer, 10_000_000).await.unwrap();
    assert_eq!(ctx.balance(buyer.quote).await, 100_000_000 - 25_250_000);
    assert_eq!(ctx.balance(f.treasury_quote).await, 25_250_000);
    assert_eq!(ctx.balance(buyer.credits).await, 10_000_000);
    if ctx.mode == harness::Mode::Sbf {
        assert!(
            r.logs.iter().any(|l| l.starts_with("Program data: ")),
            "CreditsPurchased event: {:#?}",
            r.logs
        );
    }

    // a registered provider and the holder co-sign a redemption: credits burn
    let provider = f.provider(&mut ctx, &c).await;
    let usage = [7u8; 32];
    let ix = redeem_credits(&f.redeem(&c, &buyer, &provider.pubkey()), 4_000_000, usage);
    ctx.send(&[ix], &[&buyer.key, &provider]).await.unwrap();
    assert_eq!(ctx.balance(buyer.credits).await, 6_000_000);

    let class: CreditClass = ctx.anchor_account(c.class).await;
    assert_eq!((class.minted, class.burned), (10_000_000, 4_000_000));
    // supply always equals minted - burned
    assert_eq!(ctx.mint_supply(c.mint).await, class.minted - class.burned);
    let p: Provider = ctx.anchor_account(provider_pda(&c.class, &provider.pubkey())).await;
    assert_eq!((p.redeemed, p.authority, p.class), (4_000_000, provider.pubkey(), c.class));
    assert_eq!(class.provider_count, 1);
}

#[tokio::test]
async fn purchase_and_redeem_token_2022() {
    purchase_then_redeem(TokenKind::Token2022).await
}

#[tokio::test]
async fn purchase_and_redeem_classic_spl() {
    purchase_then_redeem(TokenKind::Spl).await
}

#[tokio::test]
async fn purchase_rounds_cost_and_fee_up() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let buyer = f.user(&mut ctx, &c, 1_000).await;
    // one credit atom costs 2.5 quote atoms: the buyer pays 3, and the 1% fee of 3 rounds up to 1
    f.buy(&mut ctx, &c, &buyer, 1).await.unwrap();
    assert_eq!(ctx.balance(buyer.quote).await, 1_000 - 4);
    assert_eq!(ctx.balance(buyer.credits).await, 1);
}

#[tokio::test]
async fn credits_can_be_bought_for_another_wallet() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let buyer = f.user(&mut ctx, &c, 10_000_000).await;
    let friend = f.user(&mut ctx, &c, 0).await;
    let mut p = f.purchase(&c, &buyer);
    p.recipient_credits = friend.credits;
    ctx.send(&[purchase_credits(&p, 1_000_000, LIST_PRICE)], &[&buyer.key]).await.unwrap();
    assert_eq!((ctx.balance(friend.credits).await, ctx.balance(buyer.credits).await), (1_000_000, 0));
}

#[tokio::test]
async fn removed_provider_can_no_longer_redeem() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Spl).await;
    let holder = f.user(&mut ctx, &c, 10_000_000).await;
    f.buy(&mut ctx, &c, &holder, 2_000_000).await.unwrap();
    let provider = f.provider(&mut ctx, &c).await;
    let pda = provider_pda(&c.class, &provider.pubkey());
    let rent = ctx.lamports(pda).await;
    let admin_before = ctx.lamports(f.admin.pubkey()).await;
    ctx.send(&[remove_provider(&f.admin.pubkey(), &c.class, &provider.pubkey())], &[&f.admin]).await.unwrap();
    assert!(ctx.account(pda).await.is_none());
    // the rent goes back to the admin, who paid it (the payer pays the fee)
    assert_eq!(ctx.lamports(f.admin.pubkey()).await, admin_before + rent);
    let class: CreditClass = ctx.anchor_account(c.class).await;
    assert_eq!(class.provider_count, 0);

    let before = ctx.snapshot(&[holder.credits, c.mint, c.class]).await;
    let ix = redeem_credits(&f.redeem(&c, &holder, &provider.pubkey()), 1_000_000, [1; 32]);
    let r = ctx.send(&[ix], &[&holder.key, &provider]).await;
    harness::assert_error(&r, anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram);
    ctx.assert_unchanged(&before).await;
}
