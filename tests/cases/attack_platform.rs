//! Bad input for the platform instructions: each refused with its named error, nothing changed.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use compute_credits::{constants::PROGRAM_DATA, error::CreditsError, FeeSettings};
use harness::builders::*;
use harness::context::program_data_account;
use harness::fixtures::*;
use harness::{assert_error, TestContext};
use solana_sdk::account::Account;
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn initialize_platform_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::keys(&mut ctx, TokenKind::Spl).await;
    let (admin, guardian, treasury) = (f.admin.pubkey(), f.guardian.pubkey(), f.treasury.pubkey());
    let snap = [f.platform, admin];

    // missing signer
    let before = ctx.snapshot(&snap).await;
    let ix = without_signer(initialize_platform(&admin, &guardian, &treasury, default_fees()), &admin);
    assert_error(&ctx.send(&[ix], &[]).await, AnchorError::AccountNotSigner);
    ctx.assert_unchanged(&before).await;

    // fee above the cap
    let fees = FeeSettings { purchase_fee_bps: 1_001, origination_fee_bps: 0 };
    assert_error(
        &ctx.send(&[initialize_platform(&admin, &guardian, &treasury, fees)], &[&f.admin]).await,
        CreditsError::FeeTooHigh,
    );
    let fees = FeeSettings { purchase_fee_bps: 0, origination_fee_bps: 1_001 };
    assert_error(
        &ctx.send(&[initialize_platform(&admin, &guardian, &treasury, fees)], &[&f.admin]).await,
        CreditsError::FeeTooHigh,
    );
    // a default (unset) guardian or treasury
    let ix = initialize_platform(&admin, &Pubkey::default(), &treasury, default_fees());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::DefaultKey);
    let ix = initialize_platform(&admin, &guardian, &Pubkey::default(), default_fees());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::DefaultKey);
    // a platform account at a foreign address (not the PDA)
    let fake = Keypair::new();
    let ix = replace_account(
        initialize_platform(&admin, &guardian, &treasury, default_fees()),
        &f.platform,
        &fake.pubkey(),
    );
    assert_error(&ctx.send(&[ix], &[&f.admin, &fake]).await, AnchorError::ConstraintSeeds);
    ctx.assert_unchanged(&before).await;

    // once only: a second initialisation is refused, to the upgrade authority too
    ctx.send(&[initialize_platform(&admin, &guardian, &treasury, default_fees())], &[&f.admin])
        .await
        .unwrap();
    let before = ctx.snapshot(&[f.platform]).await;
    let ix = initialize_platform(&admin, &admin, &admin, default_fees());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::AlreadyInitialized);
    // and a stranger still meets the authority check first
    let attacker = ctx.funded_keypair(SOL).await;
    let ix = initialize_platform(&attacker.pubkey(), &attacker.pubkey(), &attacker.pubkey(), default_fees());
    assert_error(&ctx.send(&[ix], &[&attacker]).await, CreditsError::NotUpgradeAuthority);
    ctx.assert_unchanged(&before).await;
}

/// Only the program's upgrade authority, read from the program's own ProgramData account, can
/// create the platform: the first caller after a deploy cannot make itself admin.
#[tokio::test]
async fn initialize_platform_needs_the_upgrade_authority() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::keys(&mut ctx, TokenKind::Spl).await;
    let (guardian, treasury) = (f.guardian.pubkey(), f.treasury.pubkey());
    let stranger = ctx.funded_keypair(10 * SOL).await;
    let s = stranger.pubkey();
    let snap = [f.platform, PROGRAM_DATA, f.admin.pubkey(), s];

    // a stranger front-running the deployer, as admin of its own platform
    let before = ctx.snapshot(&snap).await;
    let ix = initialize_platform(&s, &s, &s, default_fees());
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotUpgradeAuthority);
    let ix = initialize_platform(&s, &guardian, &treasury, default_fees());
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotUpgradeAuthority);
    ctx.assert_unchanged(&before).await;

    // a ProgramData at another address, genuinely the loader's, naming the stranger (e.g. the
    // ProgramData of a program the stranger deployed): refused for its address
    let elsewhere = Pubkey::new_unique();
    ctx.set_account(elsewhere, program_data_account(b"another program", Some(s)));
    let before = ctx.snapshot(&snap).await;
    let ix = replace_account(initialize_platform(&s, &s, &s, default_fees()), &PROGRAM_DATA, &elsewhere);
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::InvalidProgramData);
    // the same with the real authority signing
    let ix = replace_account(
        initialize_platform(&f.admin.pubkey(), &guardian, &treasury, default_fees()),
        &PROGRAM_DATA,
        &elsewhere,
    );
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::InvalidProgramData);
    // the program's own account, a system account or the platform PDA in its place
    for fake in [compute_credits::ID, s, f.platform] {
        let ix = replace_account(initialize_platform(&s, &s, &s, default_fees()), &PROGRAM_DATA, &fake);
        assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::InvalidProgramData);
    }
    ctx.assert_unchanged(&before).await;

    // the right address holding the right bytes under another owner (the loader keeps running
    // the .so: it does not check that owner, we do)
    let real = ctx.account(PROGRAM_DATA).await.unwrap();
    ctx.set_account(PROGRAM_DATA, Account { owner: anchor_lang::system_program::ID, ..real.clone() });
    let before = ctx.snapshot(&snap).await;
    let ix = initialize_platform(&f.admin.pubkey(), &guardian, &treasury, default_fees());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::InvalidProgramData);
    ctx.assert_unchanged(&before).await;
    ctx.set_account(PROGRAM_DATA, real);

    // an immutable program (no upgrade authority): nobody can initialise it
    ctx.set_upgrade_authority(None).await;
    let before = ctx.snapshot(&snap).await;
    let ix = initialize_platform(&f.admin.pubkey(), &guardian, &treasury, default_fees());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::NotUpgradeAuthority);
    let ix = initialize_platform(&s, &s, &s, default_fees());
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotUpgradeAuthority);
    ctx.assert_unchanged(&before).await;

    // the authority is whatever ProgramData says now: hand it to the stranger, and the old
    // authority is refused while the new one initialises (and becomes admin)
    ctx.set_upgrade_authority(Some(s)).await;
    let before = ctx.snapshot(&snap).await;
    let ix = initialize_platform(&f.admin.pubkey(), &guardian, &treasury, default_fees());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::NotUpgradeAuthority);
    ctx.assert_unchanged(&before).await;
    ctx.send(&[initialize_platform(&s, &guardian, &treasury, default_fees())], &[&stranger]).await.unwrap();
    let p: compute_credits::state::Platform = ctx.anchor_account(f.platform).await;
    assert_eq!(p.admin, s);
}

#[tokio::test]
async fn admin_instruction_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let stranger = ctx.funded_keypair(SOL).await;
    let before = ctx.snapshot(&[f.platform]).await;
    let (admin, guardian, treasury) = (f.admin.pubkey(), f.guardian.pubkey(), f.treasury.pubkey());

    // a stranger proposes itself, updates, or accepts without a proposal
    assert_error(
        &ctx.send(&[propose_admin(&stranger.pubkey(), &stranger.pubkey())], &[&stranger]).await,
        CreditsError::NotAdmin,
    );
    let ix = update_platform(&stranger.pubkey(), &stranger.pubkey(), &stranger.pubkey(), default_fees());
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotAdmin);
    assert_error(
        &ctx.send(&[accept_admin(&stranger.pubkey())], &[&stranger]).await,
        CreditsError::NotPendingAdmin,
    );
    // the guardian is not an admin
    let ix = update_platform(&guardian, &guardian, &treasury, default_fees());
    assert_error(&ctx.send(&[ix], &[&f.guardian]).await, CreditsError::NotAdmin);
    // a substituted platform: any other program account (here a credit class) fails the
    // discriminator, any foreign account the owner check; only the one PDA is a Platform
    ctx.assert_unchanged(&before).await;
    let class = f.create_class(&mut ctx, TokenKind::Spl).await;
    let before = ctx.snapshot(&[f.platform]).await;
    let ix = replace_account(
        update_platform(&admin, &guardian, &treasury, default_fees()),
        &f.platform,
        &class.class,
    );
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, AnchorError::AccountDiscriminatorMismatch);
    let ix = replace_account(
        update_platform(&admin, &guardian, &treasury, default_fees()),
        &f.platform,
        &class.mint,
    );
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, AnchorError::AccountOwnedByWrongProgram);
    // a copy of the platform at another address naming the stranger admin (a state the program
    // never creates: forged into the bank): only the PLATFORM address is the platform
    let mut forged = ctx.account(f.platform).await.expect("platform");
    forged.data[8..40].copy_from_slice(stranger.pubkey().as_ref()); // admin
    let forged_key = Pubkey::new_unique();
    ctx.set_account(forged_key, forged);
    let forged_before = ctx.snapshot(&[f.platform, forged_key]).await;
    let s = stranger.pubkey();
    let ix = replace_account(update_platform(&s, &s, &s, default_fees()), &f.platform, &forged_key);
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::WrongPlatform);
    let ix = replace_account(set_underwriter(&s, &s), &f.platform, &forged_key);
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::WrongPlatform);
    ctx.assert_unchanged(&forged_before).await;
    // missing signer
    let ix = without_signer(propose_admin(&admin, &stranger.pubkey()), &admin);
    assert_error(&ctx.send(&[ix], &[]).await, AnchorError::AccountNotSigner);
    // bad values
    assert_error(
        &ctx.send(&[propose_admin(&admin, &Pubkey::default())], &[&f.admin]).await,
        CreditsError::DefaultKey,
    );
    let fees = FeeSettings { purchase_fee_bps: u16::MAX, origination_fee_bps: 0 };
    assert_error(
        &ctx.send(&[update_platform(&admin, &guardian, &treasury, fees)], &[&f.admin]).await,
        CreditsError::FeeTooHigh,
    );
    ctx.assert_unchanged(&before).await;

    // after a proposal, only the proposed key may accept
    ctx.send(&[propose_admin(&admin, &Keypair::new().pubkey())], &[&f.admin]).await.unwrap();
    let before = ctx.snapshot(&[f.platform]).await;
    assert_error(
        &ctx.send(&[accept_admin(&stranger.pubkey())], &[&stranger]).await,
        CreditsError::NotPendingAdmin,
    );
    assert_error(&ctx.send(&[accept_admin(&admin)], &[&f.admin]).await, CreditsError::NotPendingAdmin);
    ctx.assert_unchanged(&before).await;
}
