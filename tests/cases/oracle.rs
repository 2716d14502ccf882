//! GPU-hour price feeds: the native median, the Pyth adapter, and purchases at oracle price.
use compute_credits::error::CreditsError;
use compute_credits::state::PriceFeed;
use credit_math::median::{aggregate, Observation};
use harness::builders::*;
use harness::fixtures::*;
use harness::oracle::*;
use harness::{assert_error, TestContext};
use solana_sdk::signature::{Keypair, Signer};

async fn feed_state(ctx: &mut TestContext, feed: anchor_lang::prelude::Pubkey) -> PriceFeed {
    let acc = ctx.account(feed).await.unwrap();
    *anchor_lang::__private::bytemuck::from_bytes::<PriceFeed>(&acc.data[8..])
}

#[tokio::test]
async fn median_bounds_an_outlier_and_needs_a_quorum() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let nf = f.native_feed(&mut ctx, &c, 3, 2).await;

    // one publisher is below the quorum of two: no aggregate yet
    let p = &nf.publishers;
    ctx.send(&[submit_price(&p[0].pubkey(), &nf.feed, 250_000_000, 1_000_000)], &[&p[0]]).await.unwrap();
    assert_eq!(feed_state(&mut ctx, nf.feed).await.price, 0);

    // a wild third publisher cannot drag the median outside the honest two
    ctx.send(&[submit_price(&p[1].pubkey(), &nf.feed, 252_000_000, 1_000_000)], &[&p[1]]).await.unwrap();
    ctx.send(&[submit_price(&p[2].pubkey(), &nf.feed, 999_000_000, 1_000_000)], &[&p[2]]).await.unwrap();
    let s = feed_state(&mut ctx, nf.feed).await;
    assert!(
        s.price >= 250_000_000 && s.price <= 253_000_000,
        "median {} bounded by the honest publishers",
        s.price
    );
    // the program's aggregate is exactly the domain crate's median of the same observations
    let now = ctx.now().await;
    let obs: Vec<Observation> = [250_000_000, 252_000_000, 999_000_000]
        .iter()
        .map(|&price| Observation { price, conf: 1_000_000, publish_time: now })
        .collect();
    let expected = aggregate(&obs, now, STALENESS, 2).unwrap();
    assert_eq!((s.price, s.conf), (expected.price, expected.conf));
    assert_eq!(s.publish_time, now);
}

#[tokio::test]
async fn stale_publishers_drop_out_and_removed_ones_leave() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let nf = f.native_feed(&mut ctx, &c, 3, 2).await;
    nf.submit_all(&mut ctx, &[200_000_000, 300_000_000, 400_000_000], 1_000_000).await;
    assert_eq!(feed_state(&mut ctx, nf.feed).await.price, 300_000_000);

    // publisher 2's observation ages out; 0 and 1 re-submit: the median is of those two only
    ctx.advance_clock(i64::from(STALENESS) + 1).await;
    let p = &nf.publishers;
    ctx.send(&[submit_price(&p[0].pubkey(), &nf.feed, 280_000_000, 1_000_000)], &[&p[0]]).await.unwrap();
    // one fresh observation is below the quorum of two: the old aggregate stands
    assert_eq!(feed_state(&mut ctx, nf.feed).await.price, 300_000_000);
    ctx.send(&[submit_price(&p[1].pubkey(), &nf.feed, 300_000_000, 1_000_000)], &[&p[1]]).await.unwrap();
    let s = feed_state(&mut ctx, nf.feed).await;
    // the mean of the two fresh middle votes (281 and 299); with the stale 400 it would be 300
    assert_eq!(s.price, 290_000_000);

    // removing a publisher takes its observation out and stops its submissions
    ctx.send(&[remove_publisher(&f.admin.pubkey(), &nf.feed, &p[1].pubkey())], &[&f.admin]).await.unwrap();
    let s = feed_state(&mut ctx, nf.feed).await;
    assert_eq!(s.publisher_count, 2);
    assert!(s.publisher_index(&p[1].pubkey()).is_none());
    // only publisher 0 is fresh now, below the quorum of two: the aggregate it no longer
    // backs is cleared at once (nothing pending either), and reads fail `NoPrice`
    assert_eq!((s.price, s.conf, s.publish_time), (0, 0, 0));
    assert_eq!((s.pending_price, s.tripped), (0, 0));
    f.price_by_feed(&mut ctx, &c, &nf.feed).await;
    let buyer = f.user(&mut ctx, &c, 100_000_000).await;
    let mut purchase = f.purchase(&c, &buyer);
    purchase.price_feed = Some(nf.feed);
    let before = ctx.snapshot(&[nf.feed, buyer.quote, buyer.credits, c.mint]).await;
    let r = ctx.send(&[purchase_credits(&purchase, 1_000_000, u64::MAX)], &[&buyer.key]).await;
    assert_error(&r, CreditsError::NoPrice);
    let r = ctx.send(&[submit_price(&p[1].pubkey(), &nf.feed, 300_000_001, 1_000_000)], &[&p[1]]).await;
    assert_error(&r, CreditsError::NotPublisher);
    ctx.assert_unchanged(&before).await;
    // a quorum of the remaining publishers prices the feed again
    ctx.send(&[submit_price(&p[2].pubkey(), &nf.feed, 284_000_000, 1_000_000)], &[&p[2]]).await.unwrap();
    assert_eq!(feed_state(&mut ctx, nf.feed).await.price, 282_000_000);
    ctx.send(&[purchase_credits(&purchase, 1_000_000, u64::MAX)], &[&buyer.key]).await.unwrap();
}

/// The aggregate a removal leaves is the median of the remaining fresh observations, stored in
/// the removal itself: a publisher removed for reporting nonsense stops counting at once.
#[tokio::test]
async fn removing_a_publisher_reaggregates_at_once() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let nf = f.native_feed(&mut ctx, &c, 3, 2).await;
    let p = &nf.publishers;
    nf.submit_all(&mut ctx, &[250_000_000, 252_000_000, 300_000_000], 1_000_000).await;
    let s = feed_state(&mut ctx, nf.feed).await;
    assert_eq!(s.price, 252_000_000, "the high publisher pulls the median to the upper honest one");

    ctx.advance_clock(5).await;
    ctx.send(&[remove_publisher(&f.admin.pubkey(), &nf.feed, &p[2].pubkey())], &[&f.admin]).await.unwrap();
    let s = feed_state(&mut ctx, nf.feed).await;
    let now = ctx.now().await;
    let obs: Vec<Observation> = [250_000_000, 252_000_000]
        .iter()
        .map(|&price| Observation { price, conf: 1_000_000, publish_time: now - 5 })
        .collect();
    let expected = aggregate(&obs, now, STALENESS, 2).unwrap();
    assert_eq!((s.price, s.conf, s.publish_time), (expected.price, expected.conf, now - 5));
    assert_eq!(s.price, 251_000_000);
    assert!(!s.is_tripped());
}

/// One publisher far off (high, or 80% low, the lowest its 2% band allows at this
/// confidence) among three, or among five, neither moves the price
/// outside the honest publishers nor widens the confidence past the cap: the feed stays usable.
#[tokio::test]
async fn one_outlier_publisher_cannot_make_the_feed_unusable() {
    for (honest, outlier) in [
        (&[250_000_000i64, 252_000_000][..], 999_000_000i64),
        (&[250_000_000, 252_000_000][..], 50_000_000),
        (&[250_000_000, 251_000_000, 252_000_000, 253_000_000][..], i64::MAX / 2),
        (&[250_000_000, 251_000_000, 252_000_000, 253_000_000][..], 50_000_000),
    ] {
        let mut ctx = TestContext::start().await;
        let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
        let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
        let n = honest.len() + 1;
        let nf = f.native_feed(&mut ctx, &c, n, n as u8).await;
        let mut prices = honest.to_vec();
        prices.push(outlier);
        nf.submit_all(&mut ctx, &prices, 1_000_000).await;
        let s = feed_state(&mut ctx, nf.feed).await;
        let (lo, hi) = (honest[0] as u64 - 1_000_000, *honest.last().unwrap() as u64 + 1_000_000);
        assert!(lo <= s.price && s.price <= hi, "{} outside the honest range", s.price);
        // under the 2% cap (the percentile rule put it at the outlier)
        assert!(s.conf * 10_000 <= s.price * 200, "conf {} at price {}", s.conf, s.price);
        assert!(s.conf <= hi - lo);
        // usable: a purchase at the feed's price goes through
        f.price_by_feed(&mut ctx, &c, &nf.feed).await;
        let buyer = f.user(&mut ctx, &c, 100_000_000).await;
        let mut purchase = f.purchase(&c, &buyer);
        purchase.price_feed = Some(nf.feed);
        ctx.send(&[purchase_credits(&purchase, 1_000_000, u64::MAX)], &[&buyer.key]).await.unwrap();
        // one credit at price + confidence (exponent -8 to 6 quote decimals), plus the 1% fee
        let cost = (s.price + s.conf).div_ceil(100);
        assert_eq!(ctx.balance(f.treasury_quote).await, cost + (cost * 100).div_ceil(10_000));
    }
}

#[tokio::test]
async fn purchase_at_oracle_price_pays_price_plus_confidence() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let nf = f.native_feed(&mut ctx, &c, 1, 1).await;
    nf.submit_all(&mut ctx, &[300_000_000], 2_000_000).await; // $3.00 ± $0.02
    f.price_by_feed(&mut ctx, &c, &nf.feed).await;
    let buyer = f.user(&mut ctx, &c, 100_000_000).await;
    let mut p = f.purchase(&c, &buyer);
    p.price_feed = Some(nf.feed);

    // the buyer's limit is per whole credit: $3.02 passes, $3.019999 does not
    let r = ctx.send(&[purchase_credits(&p, 10_000_000, 3_019_999)], &[&buyer.key]).await;
    assert_error(&r, CreditsError::PriceAboveLimit);
    ctx.send(&[purchase_credits(&p, 10_000_000, 3_020_000)], &[&buyer.key]).await.unwrap();
    // 10 credits at $3.02 = $30.20, plus the 1% fee
    assert_eq!(ctx.balance(f.treasury_quote).await, 30_200_000 + 302_000);
    assert_eq!(ctx.balance(buyer.credits).await, 10_000_000);

    // omitting the feed, or passing another, is refused
    let mut q = f.purchase(&c, &buyer);
    q.price_feed = None;
    let r = ctx.send(&[purchase_credits(&q, 1_000_000, 10_000_000)], &[&buyer.key]).await;
    assert_error(&r, CreditsError::WrongPriceSource);

    // the price goes stale: purchases stop until publishers refresh it
    ctx.advance_clock(i64::from(STALENESS) + 1).await;
    let before = ctx.snapshot(&[buyer.quote, buyer.credits, c.mint]).await;
    let r = ctx.send(&[purchase_credits(&p, 1_000_000, 10_000_000)], &[&buyer.key]).await;
    assert_error(&r, CreditsError::StalePrice);
    ctx.assert_unchanged(&before).await;
    nf.submit_all(&mut ctx, &[300_000_000], 2_000_000).await;
    ctx.send(&[purchase_credits(&p, 1_000_000, 10_000_000)], &[&buyer.key]).await.unwrap();
}

#[tokio::test]
async fn circuit_breaker_holds_a_jump_until_the_admin_resolves_it() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let nf = f.native_feed(&mut ctx, &c, 1, 1).await;
    nf.submit_all(&mut ctx, &[250_000_000], 1_000_000).await;
    f.price_by_feed(&mut ctx, &c, &nf.feed).await;
    let buyer = f.user(&mut ctx, &c, 100_000_000).await;
    let mut p = f.purchase(&c, &buyer);
    p.price_feed = Some(nf.feed);

    // +40% within the window (limit 20%): the breaker trips, the old price is held
    ctx.advance_clock(10).await;
    nf.submit_all(&mut ctx, &[350_000_000], 1_000_000).await;
    let s = feed_state(&mut ctx, nf.feed).await;
    assert!(s.is_tripped());
    assert_eq!((s.price, s.pending_price), (250_000_000, 350_000_000));
    let r = ctx.send(&[purchase_credits(&p, 1_000_000, 10_000_000)], &[&buyer.key]).await;
    assert_error(&r, CreditsError::CircuitBreakerTripped);

    // only the admin resolves it
    let stranger = Keypair::new();
    let r = ctx.send(&[resolve_circuit_breaker(&stranger.pubkey(), &nf.feed, true)], &[&stranger]).await;
    assert_error(&r, CreditsError::NotAdmin);
    ctx.send(&[resolve_circuit_breaker(&f.admin.pubkey(), &nf.feed, true)], &[&f.admin]).await.unwrap();
    let s = feed_state(&mut ctx, nf.feed).await;
    assert!(!s.is_tripped());
    assert_eq!(s.price, 350_000_000);
    let r = ctx.send(&[resolve_circuit_breaker(&f.admin.pubkey(), &nf.feed, true)], &[&f.admin]).await;
    assert_error(&r, CreditsError::CircuitBreakerNotTripped);
    ctx.send(&[purchase_credits(&p, 1_000_000, 10_000_000)], &[&buyer.key]).await.unwrap();

    // after the window, a large move is an ordinary update
    ctx.advance_clock(601).await;
    nf.submit_all(&mut ctx, &[500_000_000], 1_000_000).await;
    let s = feed_state(&mut ctx, nf.feed).await;
    assert!(!s.is_tripped());
    assert_eq!(s.price, 500_000_000);
}

#[tokio::test]
async fn pyth_update_prices_a_class() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let feed = f.pyth_feed(&mut ctx, &c).await;
    let now = ctx.now().await;
    let update = anchor_lang::prelude::Pubkey::new_unique();
    ctx.set_account(update, PythUpdate::new(250_000_000, 500_000, now).account());
    ctx.send(&[refresh_pyth_price(&feed, &update)], &[]).await.unwrap();
    let s = feed_state(&mut ctx, feed).await;
    assert_eq!((s.price, s.conf, s.expo, s.publish_time), (250_000_000, 500_000, EXPO, now));

    // a newer update moves it; an older or equal one cannot roll it back
    ctx.advance_clock(5).await;
    let later = ctx.now().await;
    ctx.set_account(update, PythUpdate::new(260_000_000, 500_000, later).account());
    ctx.send(&[refresh_pyth_price(&feed, &update)], &[]).await.unwrap();
    assert_eq!(feed_state(&mut ctx, feed).await.price, 260_000_000);
    ctx.set_account(update, PythUpdate::new(250_000_000, 500_000, later - 1).account());
    let before = ctx.snapshot(&[feed]).await;
    assert_error(
        &ctx.send(&[refresh_pyth_price(&feed, &update)], &[]).await,
        CreditsError::OutdatedPriceUpdate,
    );
    ctx.assert_unchanged(&before).await;

    // purchases read it through the same single path
    f.price_by_feed(&mut ctx, &c, &feed).await;
    let buyer = f.user(&mut ctx, &c, 100_000_000).await;
    let mut p = f.purchase(&c, &buyer);
    p.price_feed = Some(feed);
    ctx.send(&[purchase_credits(&p, 1_000_000, 2_605_000)], &[&buyer.key]).await.unwrap();
    // $2.60 + $0.005 confidence = $2.605 per credit, plus the 1% fee (rounded up)
    assert_eq!(ctx.balance(f.treasury_quote).await, 2_605_000 + 26_050);
}
