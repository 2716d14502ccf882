use compute_credits::{error::CreditsError, state::Platform, FeeSettings};
use harness::builders::*;
use harness::fixtures::*;
use harness::{assert_error, TestContext};
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn initialize_platform_records_roles_and_fees() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let p: Platform = ctx.anchor_account(f.platform).await;
    assert_eq!(p.admin, f.admin.pubkey());
    assert_eq!(p.guardian, f.guardian.pubkey());
    assert_eq!(p.treasury, f.treasury.pubkey());
    assert_eq!(p.pending_admin, Default::default());
    assert_eq!(p.fees(), default_fees());
    assert_eq!(p.class_count, 0);
}

#[tokio::test]
async fn admin_transfer_takes_two_steps() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let new_admin = ctx.funded_keypair(SOL).await;

    ctx.send(&[propose_admin(&f.admin.pubkey(), &new_admin.pubkey())], &[&f.admin]).await.unwrap();
    let p: Platform = ctx.anchor_account(f.platform).await;
    assert_eq!((p.admin, p.pending_admin), (f.admin.pubkey(), new_admin.pubkey()));

    // the old admin is still in charge until the new one accepts
    let fees = FeeSettings { purchase_fee_bps: 200, origination_fee_bps: 0 };
    let ix = update_platform(&f.admin.pubkey(), &f.guardian.pubkey(), &f.treasury.pubkey(), fees);
    ctx.send(&[ix], &[&f.admin]).await.unwrap();

    ctx.send(&[accept_admin(&new_admin.pubkey())], &[&new_admin]).await.unwrap();
    let p: Platform = ctx.anchor_account(f.platform).await;
    assert_eq!((p.admin, p.pending_admin), (new_admin.pubkey(), Default::default()));
    assert_eq!(p.fees(), fees);

    // and then the old admin is not
    let ix = update_platform(&f.admin.pubkey(), &f.guardian.pubkey(), &f.treasury.pubkey(), default_fees());
    let before = ctx.snapshot(&[f.platform]).await;
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::NotAdmin);
    ctx.assert_unchanged(&before).await;
}

#[tokio::test]
async fn update_platform_changes_guardian_and_treasury() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let (guardian, treasury) = (Keypair::new(), Keypair::new());
    let ix = update_platform(&f.admin.pubkey(), &guardian.pubkey(), &treasury.pubkey(), default_fees());
    ctx.send(&[ix], &[&f.admin]).await.unwrap();
    let p: Platform = ctx.anchor_account(f.platform).await;
    assert_eq!((p.guardian, p.treasury), (guardian.pubkey(), treasury.pubkey()));
}

/// Our PDAs are predictable, so anyone can send lamports to one before it exists; that must not
/// block its creation (plain `create_account` would refuse the address forever).
#[tokio::test]
async fn prefunded_pdas_can_still_be_created() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::keys(&mut ctx, TokenKind::Spl).await;
    let class = class_pda(0);
    let griefer = ctx.payer().pubkey();
    for target in [f.platform, class, credit_mint_pda(&class)] {
        let ix = anchor_lang::solana_program::system_instruction::transfer(&griefer, &target, 1_000_000);
        ctx.send(&[ix], &[]).await.unwrap();
    }
    let ix =
        initialize_platform(&f.admin.pubkey(), &f.guardian.pubkey(), &f.treasury.pubkey(), default_fees());
    ctx.send(&[ix], &[&f.admin]).await.unwrap();
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    assert_eq!(c.class, class);
    let p: Platform = ctx.anchor_account(f.platform).await;
    assert_eq!(p.class_count, 1);
    let rent = ctx.rent().await;
    for key in [f.platform, class, c.mint] {
        let acc = ctx.account(key).await.unwrap();
        assert!(rent.is_exempt(acc.lamports, acc.data.len()), "{key} is rent-exempt");
    }
}
