//! Oracle fixtures: native feeds with publishers, and Pyth `PriceUpdateV2` accounts written
//! byte by byte from the documented layout (independently of the program's parser).
use anchor_lang::prelude::Pubkey;
use compute_credits::constants::PYTH_RECEIVER_PROGRAM_ID;
use compute_credits::{FeedConfig, FeedKind};
use solana_sdk::hash::hash;
use solana_sdk::{
    account::Account,
    signature::{Keypair, Signer},
};

use crate::builders::*;
use crate::context::TestContext;
use crate::fixtures::{ClassFixture, PlatformFixture, SOL};

/// Prices in the tests use Pyth's USD exponent: 250_000_000 = $2.50.
pub const EXPO: i32 = -8;
pub const STALENESS: u32 = 120;
pub const FEED_ID: [u8; 32] = [0xab; 32];

pub fn native_config(min_publishers: u8) -> FeedConfig {
    FeedConfig {
        expo: EXPO,
        min_publishers,
        max_staleness_secs: STALENESS,
        max_confidence_bps: 200,
        max_deviation_bps: 2_000,
        deviation_window_secs: 600,
        pyth_feed_id: [0; 32],
    }
}

pub fn pyth_config() -> FeedConfig {
    FeedConfig { min_publishers: 0, pyth_feed_id: FEED_ID, ..native_config(1) }
}

/// A native feed for `class` with `n` registered publishers.
pub struct NativeFeed {
    pub feed: Pubkey,
    pub publishers: Vec<Keypair>,
}

impl PlatformFixture {
    pub async fn native_feed(
        &self,
        ctx: &mut TestContext,
        class: &ClassFixture,
        n: usize,
        quorum: u8,
    ) -> NativeFeed {
        let feed = price_feed_pda(&class.class);
        let ix =
            create_price_feed(&self.admin.pubkey(), &class.class, FeedKind::Native, native_config(quorum));
        ctx.send(&[ix], &[&self.admin]).await.unwrap();
        let mut publishers = vec![];
        for _ in 0..n {
            let p = ctx.funded_keypair(SOL).await;
            ctx.send(&[add_publisher(&self.admin.pubkey(), &feed, &p.pubkey())], &[&self.admin])
                .await
                .unwrap();
            publishers.push(p);
        }
        NativeFeed { feed, publishers }
    }

    pub async fn pyth_feed(&self, ctx: &mut TestContext, class: &ClassFixture) -> Pubkey {
        let ix = create_price_feed(&self.admin.pubkey(), &class.class, FeedKind::Pyth, pyth_config());
        ctx.send(&[ix], &[&self.admin]).await.unwrap();
        price_feed_pda(&class.class)
    }

    /// Points the class's purchases at its feed.
    pub async fn price_by_feed(&self, ctx: &mut TestContext, class: &ClassFixture, feed: &Pubkey) {
        let ix = set_class_price_feed(&self.admin.pubkey(), &class.class, feed, true);
        ctx.send(&[ix], &[&self.admin]).await.unwrap();
    }
}

impl NativeFeed {
    /// Every publisher submits `prices[i]` with confidence `conf`.
    pub async fn submit_all(&self, ctx: &mut TestContext, prices: &[i64], conf: u64) {
        for (p, price) in self.publishers.iter().zip(prices) {
            ctx.send(&[submit_price(&p.pubkey(), &self.feed, *price, conf)], &[p]).await.unwrap();
        }
    }
}

/// A `PriceUpdateV2` as the Pyth receiver writes it.
#[derive(Clone, Copy, Debug)]
pub struct PythUpdate {
    pub feed_id: [u8; 32],
    pub price: i64,
    pub conf: u64,
    pub expo: i32,
    pub publish_time: i64,
    pub full_verification: bool,
}

impl PythUpdate {
    pub fn new(price: i64, conf: u64, publish_time: i64) -> Self {
        PythUpdate { feed_id: FEED_ID, price, conf, expo: EXPO, publish_time, full_verification: true }
    }

    /// The account bytes: discriminator, write authority, verification level (borsh enum),
    /// PriceFeedMessage, posted slot; padded to the receiver's fixed 134-byte allocation.
    pub fn bytes(&self) -> Vec<u8> {
        let mut d = hash(b"account:PriceUpdateV2").to_bytes()[..8].to_vec();
        d.extend_from_slice(&[7u8; 32]); // write authority
        if self.full_verification {
            d.push(1);
        } else {
            d.extend_from_slice(&[0, 5]); // Partial { num_signatures: 5 }
        }
        d.extend_from_slice(&self.feed_id);
        d.extend_from_slice(&self.price.to_le_bytes());
        d.extend_from_slice(&self.conf.to_le_bytes());
        d.extend_from_slice(&self.expo.to_le_bytes());
        d.extend_from_slice(&self.publish_time.to_le_bytes());
        d.extend_from_slice(&(self.publish_time - 1).to_le_bytes()); // prev publish time
        d.extend_from_slice(&self.price.to_le_bytes()); // ema price
        d.extend_from_slice(&self.conf.to_le_bytes()); // ema conf
        d.extend_from_slice(&42u64.to_le_bytes()); // posted slot
        d.resize(134, 0);
        d
    }

    pub fn account(&self) -> Account {
        self.account_owned_by(PYTH_RECEIVER_PROGRAM_ID)
    }

    pub fn account_owned_by(&self, owner: Pubkey) -> Account {
        Account { lamports: 10_000_000, data: self.bytes(), owner, executable: false, rent_epoch: 0 }
    }
}
