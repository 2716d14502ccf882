use anchor_spl::token_2022::spl_token_2022 as t22;
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata;
use compute_credits::state::{CreditClass, Platform};
use harness::fixtures::*;
use harness::TestContext;
use t22::extension::{
    metadata_pointer::MetadataPointer, pausable::PausableConfig, BaseStateWithExtensions, ExtensionType,
    StateWithExtensions,
};

#[tokio::test]
async fn token_2022_class_has_pda_authorities_metadata_and_pausable() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;

    let class: CreditClass = ctx.anchor_account(c.class).await;
    assert_eq!(class.credit_mint, c.mint);
    assert_eq!(class.credit_token_program, t22::ID);
    assert_eq!((class.quote_mint, class.quote_decimals), (f.quote_mint, QUOTE_DECIMALS));
    assert_eq!(
        (class.list_price, class.decimals, class.minted, class.burned),
        (LIST_PRICE, CREDIT_DECIMALS, 0, 0)
    );
    assert_eq!(class.unit(), "H100 GPU-hour");
    assert!(!class.is_paused());
    let platform: Platform = ctx.anchor_account(f.platform).await;
    assert_eq!(platform.class_count, 1);

    let acc = ctx.account(c.mint).await.unwrap();
    assert_eq!(acc.owner, t22::ID);
    let mint = StateWithExtensions::<t22::state::Mint>::unpack(&acc.data).unwrap();
    // the class PDA holds every authority: nobody outside the program can mint, freeze or pause
    assert_eq!(mint.base.mint_authority, Some(c.class).into());
    assert_eq!(mint.base.freeze_authority, Some(c.class).into());
    assert_eq!((mint.base.decimals, mint.base.supply), (CREDIT_DECIMALS, 0));
    let pausable = mint.get_extension::<PausableConfig>().unwrap();
    assert_eq!(Option::<anchor_lang::prelude::Pubkey>::from(pausable.authority), Some(c.class));
    assert!(!bool::from(pausable.paused));
    let pointer = mint.get_extension::<MetadataPointer>().unwrap();
    assert_eq!(Option::<anchor_lang::prelude::Pubkey>::from(pointer.metadata_address), Some(c.mint));
    assert_eq!(Option::<anchor_lang::prelude::Pubkey>::from(pointer.authority), Some(c.class));
    let meta = mint.get_variable_len_extension::<TokenMetadata>().unwrap();
    assert_eq!((meta.name.as_str(), meta.symbol.as_str()), ("H100 GPU-hour", "H100H"));
    assert_eq!(meta.uri, "https://credits.example/h100.json");
    assert_eq!(meta.additional_metadata, vec![("unit".to_string(), "H100 GPU-hour".to_string())]);
    assert_eq!(Option::<anchor_lang::prelude::Pubkey>::from(meta.update_authority), Some(c.class));
    // the account was funded for its final size
    let rent = ctx.rent().await;
    assert!(rent.is_exempt(acc.lamports, acc.data.len()));
}

#[tokio::test]
async fn classic_spl_class_works_with_pda_authorities() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Spl).await;
    let acc = ctx.account(c.mint).await.unwrap();
    assert_eq!(acc.owner, anchor_spl::token::ID);
    let mint = StateWithExtensions::<t22::state::Mint>::unpack(&acc.data).unwrap();
    assert_eq!(mint.base.mint_authority, Some(c.class).into());
    assert_eq!(mint.base.freeze_authority, Some(c.class).into());
    assert!(mint.get_extension_types().unwrap().is_empty());
    // ids are sequential: a second class gets id 1
    let c2 = f.create_class(&mut ctx, TokenKind::Token2022).await;
    assert_eq!(c2.class_id, 1);
    assert_eq!(
        ctx.mint_extensions(c2.mint).await,
        vec![ExtensionType::MetadataPointer, ExtensionType::Pausable, ExtensionType::TokenMetadata]
    );
}

#[tokio::test]
async fn token_2022_quote_currency_works() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Token2022).await;
    let c = f.create_class(&mut ctx, TokenKind::Spl).await;
    let buyer = f.user(&mut ctx, &c, 100_000_000).await;
    f.buy(&mut ctx, &c, &buyer, 2_000_000).await.unwrap();
    assert_eq!(ctx.balance(buyer.credits).await, 2_000_000);
    // 2 credits at $2.50 plus the 1% fee
    assert_eq!(ctx.balance(f.treasury_quote).await, 5_050_000);
}
