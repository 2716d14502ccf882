//! Bad input for the credit-class instructions: each refused with its named error, nothing changed.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022 as t22;
use compute_credits::error::CreditsError;
use harness::builders::*;
use harness::fixtures::*;
use harness::token::{SPL_TOKEN, TOKEN_2022};
use harness::{assert_error, TestContext};
use solana_sdk::signature::{Keypair, Signer};
use t22::extension::ExtensionType;

#[tokio::test]
async fn create_credit_class_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let stranger = ctx.funded_keypair(SOL).await;
    let admin = f.admin.pubkey();
    let class0 = class_pda(0);
    let snap = [f.platform, class0, credit_mint_pda(&class0)];
    let before = ctx.snapshot(&snap).await;
    let send_bad = |args: compute_credits::CreateCreditClassArgs| {
        create_credit_class(&admin, args, &f.quote_mint, &TOKEN_2022, &SPL_TOKEN)
    };

    // not the admin; missing signer
    let ix = create_credit_class(
        &stranger.pubkey(),
        class_args(0, LIST_PRICE),
        &f.quote_mint,
        &TOKEN_2022,
        &SPL_TOKEN,
    );
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotAdmin);
    let ix = without_signer(f.create_class_ix(0, TokenKind::Token2022, LIST_PRICE), &admin);
    assert_error(&ctx.send(&[ix], &[]).await, AnchorError::AccountNotSigner);
    // bad arguments
    let mut a = class_args(0, LIST_PRICE);
    a.name = String::new();
    assert_error(&ctx.send(&[send_bad(a)], &[&f.admin]).await, CreditsError::InvalidMetadata);
    let mut a = class_args(0, LIST_PRICE);
    a.uri = "x".repeat(201);
    assert_error(&ctx.send(&[send_bad(a)], &[&f.admin]).await, CreditsError::InvalidMetadata);
    let mut a = class_args(0, LIST_PRICE);
    a.unit = "u".repeat(33);
    assert_error(&ctx.send(&[send_bad(a)], &[&f.admin]).await, CreditsError::InvalidMetadata);
    let mut a = class_args(0, LIST_PRICE);
    a.decimals = 10;
    assert_error(&ctx.send(&[send_bad(a)], &[&f.admin]).await, CreditsError::InvalidDecimals);
    assert_error(&ctx.send(&[send_bad(class_args(0, 0))], &[&f.admin]).await, CreditsError::InvalidPrice);
    // ids are sequential: skipping one is refused
    assert_error(
        &ctx.send(&[send_bad(class_args(1, LIST_PRICE))], &[&f.admin]).await,
        CreditsError::WrongClassId,
    );
    // a substituted class or mint address
    let ix = replace_account(f.create_class_ix(0, TokenKind::Token2022, LIST_PRICE), &class0, &class_pda(7));
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, AnchorError::ConstraintSeeds);
    let fake_mint = Keypair::new();
    let ix = replace_account(
        f.create_class_ix(0, TokenKind::Token2022, LIST_PRICE),
        &credit_mint_pda(&class0),
        &fake_mint.pubkey(),
    );
    assert_error(&ctx.send(&[ix], &[&f.admin, &fake_mint]).await, AnchorError::ConstraintSeeds);
    // a fake token program; the quote mint's program swapped
    let ix =
        create_credit_class(&admin, class_args(0, LIST_PRICE), &f.quote_mint, &SYSTEM_PROGRAM, &SPL_TOKEN);
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, AnchorError::InvalidProgramId);
    let ix = create_credit_class(&admin, class_args(0, LIST_PRICE), &f.quote_mint, &TOKEN_2022, &TOKEN_2022);
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, AnchorError::ConstraintMintTokenProgram);
    // a quote "mint" that is not a mint at all (a token account)
    let ix =
        create_credit_class(&admin, class_args(0, LIST_PRICE), &f.treasury_quote, &TOKEN_2022, &SPL_TOKEN);
    let r = ctx.send(&[ix], &[&f.admin]).await;
    harness::assert_instruction_error(&r, solana_sdk::instruction::InstructionError::InvalidAccountData);
    ctx.assert_unchanged(&before).await;

    // reinitialisation: the same class id twice is refused (ids only move forward)
    ctx.send(&[f.create_class_ix(0, TokenKind::Token2022, LIST_PRICE)], &[&f.admin]).await.unwrap();
    let before = ctx.snapshot(&snap).await;
    let r = ctx.send(&[f.create_class_ix(0, TokenKind::Token2022, LIST_PRICE + 1)], &[&f.admin]).await;
    assert_error(&r, CreditsError::WrongClassId);
    ctx.assert_unchanged(&before).await;
}

/// Quote mints whose Token-2022 extensions could move, block or skim protocol funds.
#[tokio::test]
async fn quote_mints_with_dangerous_extensions_are_refused() {
    use t22::extension::{default_account_state, pausable, transfer_fee, transfer_hook};
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let payer = ctx.payer().pubkey();
    let hole = Pubkey::default(); // the harness patches in the new mint's address
    let cases: Vec<(&str, Vec<ExtensionType>, Vec<solana_sdk::instruction::Instruction>)> = vec![
        (
            "transfer fee",
            vec![ExtensionType::TransferFeeConfig],
            vec![transfer_fee::instruction::initialize_transfer_fee_config(
                &t22::ID,
                &hole,
                None,
                None,
                50,
                1_000,
            )
            .unwrap()],
        ),
        (
            "permanent delegate",
            vec![ExtensionType::PermanentDelegate],
            vec![t22::instruction::initialize_permanent_delegate(&t22::ID, &hole, &payer).unwrap()],
        ),
        (
            "transfer hook",
            vec![ExtensionType::TransferHook],
            vec![transfer_hook::instruction::initialize(&t22::ID, &hole, None, Some(compute_credits::ID))
                .unwrap()],
        ),
        (
            "close authority",
            vec![ExtensionType::MintCloseAuthority],
            vec![t22::instruction::initialize_mint_close_authority(&t22::ID, &hole, Some(&payer)).unwrap()],
        ),
        (
            "default frozen",
            vec![ExtensionType::DefaultAccountState],
            vec![default_account_state::instruction::initialize_default_account_state(
                &t22::ID,
                &hole,
                &t22::state::AccountState::Frozen,
            )
            .unwrap()],
        ),
        (
            "pausable",
            vec![ExtensionType::Pausable],
            vec![pausable::instruction::initialize(&t22::ID, &hole, &payer).unwrap()],
        ),
    ];
    for (name, exts, init) in cases {
        let quote = ctx.create_mint_with(TOKEN_2022, 6, &payer, Some(&payer), &exts, init).await;
        let before = ctx.snapshot(&[f.platform, class_pda(0)]).await;
        let ix = create_credit_class(
            &f.admin.pubkey(),
            class_args(0, LIST_PRICE),
            &quote,
            &TOKEN_2022,
            &TOKEN_2022,
        );
        let r = ctx.send(&[ix], &[&f.admin]).await;
        assert_eq!(
            harness::custom_code(&r),
            Some(CreditsError::UnsupportedMintExtension.into()),
            "{name}: {r:?}"
        );
        ctx.assert_unchanged(&before).await;
    }
    // metadata-only extensions are fine
    let quote = ctx
        .create_mint_with(
            TOKEN_2022,
            6,
            &payer,
            None,
            &[ExtensionType::MetadataPointer],
            vec![t22::extension::metadata_pointer::instruction::initialize(
                &t22::ID,
                &hole,
                Some(payer),
                None,
            )
            .unwrap()],
        )
        .await;
    let ix =
        create_credit_class(&f.admin.pubkey(), class_args(0, LIST_PRICE), &quote, &TOKEN_2022, &TOKEN_2022);
    ctx.send(&[ix], &[&f.admin]).await.unwrap();
}

#[tokio::test]
async fn purchase_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let other_class = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let buyer = f.user(&mut ctx, &c, 50_000_000).await;
    let victim = f.user(&mut ctx, &c, 50_000_000).await;
    let other_quote = ctx.create_mint(SPL_TOKEN, 6).await;
    let other_quote_acc = ctx.ata(&buyer.pubkey(), &other_quote, &SPL_TOKEN).await;
    ctx.mint_to(&other_quote, &SPL_TOKEN, &other_quote_acc, 50_000_000).await;
    let before =
        ctx.snapshot(&[buyer.quote, buyer.credits, victim.quote, f.treasury_quote, c.mint, c.class]).await;
    let p = f.purchase(&c, &buyer);
    let base = purchase_credits(&p, 1_000_000, LIST_PRICE);
    let b = &buyer.key;

    // missing signer
    let ix = without_signer(base.clone(), &buyer.pubkey());
    assert_error(&ctx.send(&[ix], &[]).await, AnchorError::AccountNotSigner);
    // slippage: the list price is above the buyer's limit
    let ix = purchase_credits(&p, 1_000_000, LIST_PRICE - 1);
    assert_error(&ctx.send(&[ix], &[b]).await, CreditsError::PriceAboveLimit);
    // zero and overflowing amounts
    assert_error(&ctx.send(&[purchase_credits(&p, 0, LIST_PRICE)], &[b]).await, CreditsError::ZeroAmount);
    assert_error(
        &ctx.send(&[purchase_credits(&p, u64::MAX, LIST_PRICE)], &[b]).await,
        CreditsError::MathOverflow,
    );
    // more than the buyer can pay: the token program refuses and nothing is minted
    let r = ctx.send(&[purchase_credits(&p, 40_000_000, LIST_PRICE)], &[b]).await;
    assert_error(&r, t22::error::TokenError::InsufficientFunds as u32);
    // paying from someone else's account
    let ix = replace_account(base.clone(), &buyer.quote, &victim.quote);
    assert_error(&ctx.send(&[ix], &[b]).await, AnchorError::ConstraintTokenOwner);
    // the treasury replaced by the buyer's own account (the duplicate of buyer_quote)
    let ix = replace_account(base.clone(), &f.treasury_quote, &buyer.quote);
    let r = ctx.send(&[ix], &[b]).await;
    assert_error(&r, AnchorError::ConstraintDuplicateMutableAccount);
    // the treasury replaced by a foreign account of the right mint
    let ix = replace_account(base.clone(), &f.treasury_quote, &victim.quote);
    assert_error(&ctx.send(&[ix], &[b]).await, CreditsError::WrongTreasury);
    // another quote mint (paying in a worthless token)
    let mut q = f.purchase(&c, &buyer);
    q.quote_mint = other_quote;
    q.buyer_quote = other_quote_acc;
    assert_error(
        &ctx.send(&[purchase_credits(&q, 1_000_000, LIST_PRICE)], &[b]).await,
        CreditsError::WrongClass,
    );
    // another class's mint with this class
    let ix = replace_account(base.clone(), &c.mint, &other_class.mint);
    assert_error(&ctx.send(&[ix], &[b]).await, CreditsError::WrongClass);
    // the wrong token program for the credit mint, and a fake one
    let ix = replace_at(base.clone(), 8, &SPL_TOKEN);
    assert_error(&ctx.send(&[ix], &[b]).await, CreditsError::WrongTokenProgram);
    let ix = replace_at(base.clone(), 8, &SYSTEM_PROGRAM);
    assert_error(&ctx.send(&[ix], &[b]).await, AnchorError::InvalidProgramId);
    // a substituted platform account (the class account in its place: type cosplay)
    let ix = replace_at(base.clone(), 1, &c.class);
    assert_error(&ctx.send(&[ix], &[b]).await, AnchorError::AccountDiscriminatorMismatch);
    ctx.assert_unchanged(&before).await;
}

#[tokio::test]
async fn provider_and_redeem_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let other_class = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let holder = f.user(&mut ctx, &c, 50_000_000).await;
    let victim = f.user(&mut ctx, &c, 50_000_000).await;
    f.buy(&mut ctx, &c, &holder, 5_000_000).await.unwrap();
    f.buy(&mut ctx, &c, &victim, 5_000_000).await.unwrap();
    let provider = f.provider(&mut ctx, &c).await;
    let foreign_provider = f.provider(&mut ctx, &other_class).await;
    let stranger = ctx.funded_keypair(SOL).await;

    // register: not the admin, twice, the default key
    let before = ctx.snapshot(&[c.class, provider_pda(&c.class, &stranger.pubkey())]).await;
    let ix = register_provider(&stranger.pubkey(), &c.class, &stranger.pubkey());
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotAdmin);
    let ix = register_provider(&f.admin.pubkey(), &c.class, &provider.pubkey());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::AlreadyInitialized);
    let ix = register_provider(&f.admin.pubkey(), &c.class, &Pubkey::default());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::DefaultKey);
    // remove: not the admin; a provider of another class
    let ix = remove_provider(&stranger.pubkey(), &c.class, &provider.pubkey());
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotAdmin);
    let ix = replace_account(
        remove_provider(&f.admin.pubkey(), &c.class, &provider.pubkey()),
        &provider_pda(&c.class, &provider.pubkey()),
        &provider_pda(&other_class.class, &foreign_provider.pubkey()),
    );
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::WrongClass);
    ctx.assert_unchanged(&before).await;

    let before = ctx.snapshot(&[holder.credits, victim.credits, c.mint, c.class]).await;
    let r = f.redeem(&c, &holder, &provider.pubkey());
    let base = redeem_credits(&r, 1_000_000, [9; 32]);
    // each co-signer is required
    let ix = without_signer(base.clone(), &holder.pubkey());
    assert_error(&ctx.send(&[ix], &[&provider]).await, AnchorError::AccountNotSigner);
    let ix = without_signer(base.clone(), &provider.pubkey());
    assert_error(&ctx.send(&[ix], &[&holder.key]).await, AnchorError::AccountNotSigner);
    // an unregistered "provider" (its registration does not exist)
    let ix = redeem_credits(&f.redeem(&c, &holder, &stranger.pubkey()), 1_000_000, [9; 32]);
    assert_error(&ctx.send(&[ix], &[&holder.key, &stranger]).await, AnchorError::AccountOwnedByWrongProgram);
    // a provider registered for another class
    let mut x = f.redeem(&c, &holder, &foreign_provider.pubkey());
    x.class = c.class;
    let ix = replace_account(
        redeem_credits(&x, 1_000_000, [9; 32]),
        &provider_pda(&c.class, &foreign_provider.pubkey()),
        &provider_pda(&other_class.class, &foreign_provider.pubkey()),
    );
    assert_error(&ctx.send(&[ix], &[&holder.key, &foreign_provider]).await, CreditsError::WrongClass);
    // burning someone else's credits
    let ix = replace_account(base.clone(), &holder.credits, &victim.credits);
    assert_error(&ctx.send(&[ix], &[&holder.key, &provider]).await, AnchorError::ConstraintTokenOwner);
    // another class's mint
    let ix = replace_account(base.clone(), &c.mint, &other_class.mint);
    assert_error(&ctx.send(&[ix], &[&holder.key, &provider]).await, CreditsError::WrongClass);
    // wrong token program
    let ix = replace_at(base.clone(), 6, &SPL_TOKEN);
    assert_error(&ctx.send(&[ix], &[&holder.key, &provider]).await, CreditsError::WrongTokenProgram);
    // zero, and more than held
    assert_error(
        &ctx.send(&[redeem_credits(&r, 0, [9; 32])], &[&holder.key, &provider]).await,
        CreditsError::ZeroAmount,
    );
    let ix = redeem_credits(&r, 5_000_001, [9; 32]);
    let res = ctx.send(&[ix], &[&holder.key, &provider]).await;
    assert_error(&res, t22::error::TokenError::InsufficientFunds as u32);
    ctx.assert_unchanged(&before).await;
}

/// A registered provider that holds credits cannot co-sign its own redemption: it would
/// attest delivery to itself and inflate its `redeemed` record.
#[tokio::test]
async fn a_provider_cannot_redeem_its_own_credits() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    // a holder of credits that is also a registered provider of the class
    let both = f.user(&mut ctx, &c, 50_000_000).await;
    f.buy(&mut ctx, &c, &both, 5_000_000).await.unwrap();
    let ix = register_provider(&f.admin.pubkey(), &c.class, &both.pubkey());
    ctx.send(&[ix], &[&f.admin]).await.unwrap();
    let other_provider = f.provider(&mut ctx, &c).await;
    let registration = provider_pda(&c.class, &both.pubkey());

    let before = ctx.snapshot(&[both.credits, c.mint, c.class, registration]).await;
    let ix = redeem_credits(&f.redeem(&c, &both, &both.pubkey()), 1_000_000, [5; 32]);
    assert_error(&ctx.send(&[ix], &[&both.key]).await, CreditsError::SelfRedemption);
    // whatever the amount: the refusal comes first
    let ix = redeem_credits(&f.redeem(&c, &both, &both.pubkey()), 0, [5; 32]);
    assert_error(&ctx.send(&[ix], &[&both.key]).await, CreditsError::SelfRedemption);
    ctx.assert_unchanged(&before).await;

    // another provider may redeem that holder's credits, and the provider-holder may still
    // redeem other holders' credits
    let ix = redeem_credits(&f.redeem(&c, &both, &other_provider.pubkey()), 1_000_000, [5; 32]);
    ctx.send(&[ix], &[&both.key, &other_provider]).await.unwrap();
    assert_eq!(ctx.balance(both.credits).await, 4_000_000);
    let holder = f.user(&mut ctx, &c, 50_000_000).await;
    f.buy(&mut ctx, &c, &holder, 2_000_000).await.unwrap();
    let ix = redeem_credits(&f.redeem(&c, &holder, &both.pubkey()), 2_000_000, [6; 32]);
    ctx.send(&[ix], &[&holder.key, &both.key]).await.unwrap();
    assert_eq!(ctx.balance(holder.credits).await, 0);
}

#[tokio::test]
async fn freeze_and_pause_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let other_class = f.create_class(&mut ctx, TokenKind::Spl).await;
    let holder = f.user(&mut ctx, &c, 50_000_000).await;
    let foreign = f.user(&mut ctx, &other_class, 0).await;
    let stranger = ctx.funded_keypair(SOL).await;
    let (g, a) = (f.guardian.pubkey(), f.admin.pubkey());
    let records = [freeze_hold_pda(&holder.credits), owner_holds_pda(&c.mint, &holder.pubkey())];
    let before =
        ctx.snapshot(&[holder.credits, foreign.credits, c.class, c.mint, records[0], records[1]]).await;

    // only the guardian freezes and thaws (not a stranger, not even the admin)
    let ix = freeze_credits(
        &stranger.pubkey(),
        &c.class,
        &c.mint,
        (&holder.pubkey(), &holder.credits),
        &c.program,
        1,
    );
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotGuardian);
    let ix = freeze_credits(&a, &c.class, &c.mint, (&holder.pubkey(), &holder.credits), &c.program, 1);
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::NotGuardian);
    let ix = without_signer(
        freeze_credits(&g, &c.class, &c.mint, (&holder.pubkey(), &holder.credits), &c.program, 1),
        &g,
    );
    assert_error(&ctx.send(&[ix], &[]).await, AnchorError::AccountNotSigner);
    // lifting a hold the guardian does not have (the account is not frozen at all)
    let ix = thaw_credits(&g, &c.class, &c.mint, (&holder.pubkey(), &holder.credits), &c.program, 1);
    assert_error(&ctx.send(&[ix], &[&f.guardian]).await, CreditsError::NotHeld);
    // hold records of another account or owner
    let ix = replace_account(
        freeze_credits(&g, &c.class, &c.mint, (&holder.pubkey(), &holder.credits), &c.program, 1),
        &freeze_hold_pda(&holder.credits),
        &freeze_hold_pda(&foreign.credits),
    );
    assert_error(&ctx.send(&[ix], &[&f.guardian]).await, CreditsError::WrongHoldAccount);
    let ix = replace_account(
        freeze_credits(&g, &c.class, &c.mint, (&holder.pubkey(), &holder.credits), &c.program, 1),
        &owner_holds_pda(&c.mint, &holder.pubkey()),
        &owner_holds_pda(&c.mint, &stranger.pubkey()),
    );
    assert_error(&ctx.send(&[ix], &[&f.guardian]).await, CreditsError::WrongHoldAccount);
    // an account of another class's mint
    let ix = freeze_credits(&g, &c.class, &c.mint, (&foreign.pubkey(), &foreign.credits), &c.program, 1);
    assert_error(&ctx.send(&[ix], &[&f.guardian]).await, CreditsError::WrongTokenProgram);
    let ix = freeze_credits(
        &g,
        &c.class,
        &other_class.mint,
        (&foreign.pubkey(), &foreign.credits),
        &other_class.program,
        1,
    );
    assert_error(&ctx.send(&[ix], &[&f.guardian]).await, CreditsError::WrongClass);
    // wrong token program
    let ix = freeze_credits(&g, &c.class, &c.mint, (&holder.pubkey(), &holder.credits), &SPL_TOKEN, 1);
    assert_error(&ctx.send(&[ix], &[&f.guardian]).await, CreditsError::WrongTokenProgram);
    // pause: a stranger; resume: not paused, or by the guardian
    let ix = pause_class(&stranger.pubkey(), &c.class, &c.mint, &c.program);
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotAdminOrGuardian);
    let ix = resume_class(&a, &c.class, &c.mint, &c.program);
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::ClassNotPaused);
    let ix = pause_class(&g, &c.class, &other_class.mint, &c.program);
    assert_error(&ctx.send(&[ix], &[&f.guardian]).await, CreditsError::WrongClass);
    ctx.assert_unchanged(&before).await;

    // freezing twice; pausing twice
    ctx.send(
        &[freeze_credits(&g, &c.class, &c.mint, (&holder.pubkey(), &holder.credits), &c.program, 1)],
        &[&f.guardian],
    )
    .await
    .unwrap();
    ctx.send(&[pause_class(&g, &c.class, &c.mint, &c.program)], &[&f.guardian]).await.unwrap();
    let before = ctx.snapshot(&[holder.credits, c.class, c.mint, records[0], records[1]]).await;
    let ix = freeze_credits(&g, &c.class, &c.mint, (&holder.pubkey(), &holder.credits), &c.program, 2);
    assert_error(&ctx.send(&[ix], &[&f.guardian]).await, CreditsError::AlreadyHeld);
    let ix = pause_class(&a, &c.class, &c.mint, &c.program);
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::ClassPaused);
    ctx.assert_unchanged(&before).await;
}
