//! Bad input for the oracle instructions, and forged or stale oracle accounts.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use compute_credits::{error::CreditsError, FeedConfig, FeedKind};
use harness::builders::*;
use harness::fixtures::*;
use harness::oracle::*;
use harness::{assert_error, TestContext};
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn feed_admin_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let other = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let stranger = ctx.funded_keypair(SOL).await;
    let admin = f.admin.pubkey();
    let feed = price_feed_pda(&c.class);
    let before = ctx.snapshot(&[feed, c.class]).await;

    let ix = create_price_feed(&stranger.pubkey(), &c.class, FeedKind::Native, native_config(1));
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotAdmin);
    let bad_configs = [
        FeedConfig { max_staleness_secs: 0, ..native_config(1) },
        FeedConfig { max_staleness_secs: 86_401, ..native_config(1) },
        FeedConfig { max_confidence_bps: 0, ..native_config(1) },
        FeedConfig { max_confidence_bps: 2_001, ..native_config(1) },
        FeedConfig { max_deviation_bps: 0, ..native_config(1) },
        // a zero deviation window would switch the circuit breaker off
        FeedConfig { deviation_window_secs: 0, ..native_config(1) },
        FeedConfig { expo: -19, ..native_config(1) },
        native_config(0),
        native_config(9),
    ];
    for config in bad_configs {
        let ix = create_price_feed(&admin, &c.class, FeedKind::Native, config);
        assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::InvalidFeedConfig);
    }
    let ix = create_price_feed(
        &admin,
        &c.class,
        FeedKind::Pyth,
        FeedConfig { pyth_feed_id: [0; 32], ..pyth_config() },
    );
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::InvalidFeedConfig);
    // a feed address that is not the class's PDA
    let ix = replace_account(
        create_price_feed(&admin, &c.class, FeedKind::Native, native_config(1)),
        &feed,
        &price_feed_pda(&other.class),
    );
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, AnchorError::ConstraintSeeds);
    ctx.assert_unchanged(&before).await;

    // created once only
    let nf = f.native_feed(&mut ctx, &c, 1, 1).await;
    let before = ctx.snapshot(&[feed]).await;
    let ix = create_price_feed(&admin, &c.class, FeedKind::Native, native_config(1));
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::AlreadyInitialized);
    // configure: not the admin; a quorum above the publisher count
    let ix = configure_price_feed(&stranger.pubkey(), &feed, FeedKind::Native, native_config(1));
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotAdmin);
    let ix = configure_price_feed(&admin, &feed, FeedKind::Native, native_config(2));
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::InvalidFeedConfig);
    // publishers: not the admin, a duplicate, the default key, removing below the quorum or an unknown key
    let ix = add_publisher(&stranger.pubkey(), &feed, &stranger.pubkey());
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotAdmin);
    let ix = add_publisher(&admin, &feed, &nf.publishers[0].pubkey());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::PublisherAlreadyAdded);
    let ix = add_publisher(&admin, &feed, &Pubkey::default());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::DefaultKey);
    let ix = remove_publisher(&admin, &feed, &nf.publishers[0].pubkey());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::InvalidFeedConfig);
    let ix = remove_publisher(&admin, &feed, &stranger.pubkey());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::NotPublisher);
    // a class account where the feed is expected (type cosplay)
    let ix = add_publisher(&admin, &c.class, &stranger.pubkey());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, AnchorError::AccountDiscriminatorMismatch);
    // pricing a class by another class's feed
    let ix = set_class_price_feed(&admin, &other.class, &feed, true);
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::WrongPriceFeed);
    let ix = set_class_price_feed(&stranger.pubkey(), &c.class, &feed, true);
    assert_error(&ctx.send(&[ix], &[&stranger]).await, CreditsError::NotAdmin);
    ctx.assert_unchanged(&before).await;
}

async fn feed_state(ctx: &mut TestContext, feed: Pubkey) -> compute_credits::state::PriceFeed {
    let acc = ctx.account(feed).await.unwrap();
    *anchor_lang::__private::bytemuck::from_bytes(&acc.data[8..])
}

/// Exponent, kind and Pyth feed id are fixed at creation: a configure call that changes any of
/// them is refused by name and changes nothing; the same call restating them changes the guards.
#[tokio::test]
async fn configure_price_feed_cannot_change_the_fixed_fields() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let other = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let admin = f.admin.pubkey();
    let nf = f.native_feed(&mut ctx, &c, 1, 1).await;
    nf.submit_all(&mut ctx, &[250_000_000], 1_000_000).await;
    let pyth = f.pyth_feed(&mut ctx, &other).await;

    // a native feed (exponent -8, no feed id)
    let before = ctx.snapshot(&[nf.feed]).await;
    let native = native_config(1);
    let refused = [
        ("exponent -6", FeedKind::Native, FeedConfig { expo: -6, ..native }),
        ("exponent -9", FeedKind::Native, FeedConfig { expo: EXPO - 1, ..native }),
        ("exponent out of range", FeedKind::Native, FeedConfig { expo: -19, ..native }),
        ("kind", FeedKind::Pyth, native),
        ("kind with a feed id", FeedKind::Pyth, FeedConfig { pyth_feed_id: FEED_ID, ..native }),
        ("feed id", FeedKind::Native, FeedConfig { pyth_feed_id: FEED_ID, ..native }),
    ];
    for (name, kind, config) in refused {
        let r = ctx.send(&[configure_price_feed(&admin, &nf.feed, kind, config)], &[&f.admin]).await;
        assert_eq!(
            harness::custom_code(&r),
            Some(CreditsError::FeedFieldImmutable as u32 + 6000),
            "{name}: {:?}",
            r.result
        );
        ctx.assert_unchanged(&before).await;
    }
    // a zero deviation window is refused on configure too
    let ix = configure_price_feed(
        &admin,
        &nf.feed,
        FeedKind::Native,
        FeedConfig { deviation_window_secs: 0, ..native },
    );
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::InvalidFeedConfig);
    ctx.assert_unchanged(&before).await;

    // a Pyth feed (exponent -8, feed id FEED_ID)
    let before = ctx.snapshot(&[pyth]).await;
    let pc = pyth_config();
    let refused = [
        ("exponent", FeedKind::Pyth, FeedConfig { expo: -10, ..pc }),
        ("kind", FeedKind::Native, pc),
        ("feed id", FeedKind::Pyth, FeedConfig { pyth_feed_id: [0xcd; 32], ..pc }),
        ("feed id cleared", FeedKind::Pyth, FeedConfig { pyth_feed_id: [0; 32], ..pc }),
    ];
    for (name, kind, config) in refused {
        let r = ctx.send(&[configure_price_feed(&admin, &pyth, kind, config)], &[&f.admin]).await;
        assert_eq!(
            harness::custom_code(&r),
            Some(CreditsError::FeedFieldImmutable as u32 + 6000),
            "{name}: {:?}",
            r.result
        );
        ctx.assert_unchanged(&before).await;
    }

    // unchanged fixed fields pass: the guards change, the fixed fields and the price stay
    let guards = FeedConfig {
        max_staleness_secs: 300,
        max_confidence_bps: 150,
        max_deviation_bps: 1_000,
        deviation_window_secs: 60,
        ..native
    };
    ctx.send(&[configure_price_feed(&admin, &nf.feed, FeedKind::Native, guards)], &[&f.admin]).await.unwrap();
    let s = feed_state(&mut ctx, nf.feed).await;
    assert_eq!((s.expo, s.kind, s.pyth_feed_id), (EXPO, 0, [0; 32]));
    assert_eq!(
        (s.max_staleness_secs, s.max_confidence_bps, s.max_deviation_bps, s.deviation_window_secs),
        (300, 150, 1_000, 60)
    );
    assert_eq!((s.price, s.conf), (250_000_000, 1_000_000));
    let guards = FeedConfig { max_staleness_secs: 30, ..pc };
    ctx.send(&[configure_price_feed(&admin, &pyth, FeedKind::Pyth, guards)], &[&f.admin]).await.unwrap();
    let s = feed_state(&mut ctx, pyth).await;
    assert_eq!((s.expo, s.kind, s.pyth_feed_id, s.max_staleness_secs), (EXPO, 1, FEED_ID, 30));
}

#[tokio::test]
async fn publisher_set_is_capped_at_eight() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let nf = f.native_feed(&mut ctx, &c, 8, 5).await;
    let before = ctx.snapshot(&[nf.feed]).await;
    let ninth = Keypair::new();
    let ix = add_publisher(&f.admin.pubkey(), &nf.feed, &ninth.pubkey());
    assert_error(&ctx.send(&[ix], &[&f.admin]).await, CreditsError::PublisherSetFull);
    ctx.assert_unchanged(&before).await;
    // all eight count: five fresh observations make the quorum
    let prices: Vec<i64> = (0..8).map(|i| 250_000_000 + i * 1_000_000).collect();
    nf.submit_all(&mut ctx, &prices[..5], 1_000_000).await;
    let acc = ctx.account(nf.feed).await.unwrap();
    let s: &compute_credits::state::PriceFeed = anchor_lang::__private::bytemuck::from_bytes(&acc.data[8..]);
    assert_eq!(s.price, 252_000_000);
}

#[tokio::test]
async fn submit_price_attacks() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let other = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let nf = f.native_feed(&mut ctx, &c, 2, 1).await;
    let pyth = f.pyth_feed(&mut ctx, &other).await;
    let p = &nf.publishers[0];
    let stranger = ctx.funded_keypair(SOL).await;
    let before = ctx.snapshot(&[nf.feed, pyth]).await;

    let r = ctx.send(&[submit_price(&stranger.pubkey(), &nf.feed, 250_000_000, 1)], &[&stranger]).await;
    assert_error(&r, CreditsError::NotPublisher);
    let ix = without_signer(submit_price(&p.pubkey(), &nf.feed, 250_000_000, 1), &p.pubkey());
    assert_error(&ctx.send(&[ix], &[]).await, AnchorError::AccountNotSigner);
    for price in [0, -1, i64::MIN] {
        let r = ctx.send(&[submit_price(&p.pubkey(), &nf.feed, price, 0)], &[p]).await;
        assert_error(&r, CreditsError::InvalidPrice);
    }
    // 2% cap: a $2.50 price with $0.06 confidence is too wide
    let r = ctx.send(&[submit_price(&p.pubkey(), &nf.feed, 250_000_000, 6_000_000)], &[p]).await;
    assert_error(&r, CreditsError::ConfidenceTooWide);
    let r = ctx.send(&[submit_price(&p.pubkey(), &pyth, 250_000_000, 1)], &[p]).await;
    assert_error(&r, CreditsError::WrongFeedKind);
    ctx.assert_unchanged(&before).await;
}

#[tokio::test]
async fn forged_and_stale_pyth_updates_are_refused() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let other = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let feed = f.pyth_feed(&mut ctx, &c).await;
    let native = f.native_feed(&mut ctx, &other, 1, 1).await;
    let now = ctx.now().await;
    let good = PythUpdate::new(250_000_000, 500_000, now);
    let update = Pubkey::new_unique();
    let before = ctx.snapshot(&[feed]).await;

    let mut cases: Vec<(&str, solana_sdk::account::Account, u32)> = vec![
        ("wrong owner", good.account_owned_by(compute_credits::ID), CreditsError::WrongOracleOwner.into()),
        (
            "wrong feed id",
            PythUpdate { feed_id: [1; 32], ..good }.account(),
            CreditsError::WrongPythFeedId.into(),
        ),
        (
            "partial verification",
            PythUpdate { full_verification: false, ..good }.account(),
            CreditsError::PartialVerification.into(),
        ),
        (
            "stale",
            PythUpdate { publish_time: now - i64::from(STALENESS) - 1, ..good }.account(),
            CreditsError::StalePrice.into(),
        ),
        ("future", PythUpdate { publish_time: now + 30, ..good }.account(), CreditsError::StalePrice.into()),
        ("zero price", PythUpdate { price: 0, ..good }.account(), CreditsError::InvalidPrice.into()),
        ("negative price", PythUpdate { price: -5, ..good }.account(), CreditsError::InvalidPrice.into()),
        (
            "confidence over the cap",
            PythUpdate { conf: 10_000_000, ..good }.account(),
            CreditsError::ConfidenceTooWide.into(),
        ),
        ("other exponent", PythUpdate { expo: -6, ..good }.account(), CreditsError::InvalidFeedConfig.into()),
    ];
    let mut bad_disc = good.account();
    bad_disc.data[0] ^= 1;
    cases.push(("wrong discriminator", bad_disc, CreditsError::InvalidOracleAccount.into()));
    let mut short = good.account();
    short.data.truncate(60);
    cases.push(("truncated", short, CreditsError::InvalidOracleAccount.into()));
    let mut bad_tag = good.account();
    bad_tag.data[40] = 7; // verification level tag
    cases.push(("bad verification tag", bad_tag, CreditsError::InvalidOracleAccount.into()));

    for (name, account, code) in cases {
        ctx.set_account(update, account);
        let r = ctx.send(&[refresh_pyth_price(&feed, &update)], &[]).await;
        assert_eq!(harness::custom_code(&r), Some(code), "{name}: {:?}", r.result);
        ctx.assert_unchanged(&before).await;
    }
    // a native feed cannot be refreshed from Pyth
    ctx.set_account(update, good.account());
    let r = ctx.send(&[refresh_pyth_price(&native.feed, &update)], &[]).await;
    assert_error(&r, CreditsError::WrongFeedKind);
    // and the good update works
    ctx.send(&[refresh_pyth_price(&feed, &update)], &[]).await.unwrap();
}

#[tokio::test]
async fn a_feed_of_another_class_cannot_price_a_purchase() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let cheap = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let nf = f.native_feed(&mut ctx, &c, 1, 1).await;
    let cheap_feed = f.native_feed(&mut ctx, &cheap, 1, 1).await;
    nf.submit_all(&mut ctx, &[300_000_000], 1_000_000).await;
    cheap_feed.submit_all(&mut ctx, &[1_000_000], 10_000).await;
    f.price_by_feed(&mut ctx, &c, &nf.feed).await;
    let buyer = f.user(&mut ctx, &c, 100_000_000).await;
    let mut p = f.purchase(&c, &buyer);
    p.price_feed = Some(cheap_feed.feed);
    let before = ctx.snapshot(&[buyer.quote, buyer.credits, c.mint]).await;
    let r = ctx.send(&[purchase_credits(&p, 1_000_000, 10_000_000)], &[&buyer.key]).await;
    assert_error(&r, CreditsError::WrongPriceSource);
    ctx.assert_unchanged(&before).await;
}
