use anchor_lang::prelude::*;

/// Publishers per native feed (the issue asks for a cap of at least 8).
pub const MAX_PUBLISHERS: usize = 8;

/// Where a feed's aggregate comes from.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedKind {
    /// Median of the feed's own publishers (`submit_price`).
    Native,
    /// A Pyth pull-oracle `PriceUpdateV2` account (`refresh_pyth_price`).
    Pyth,
}

/// One publisher's latest observation, in the feed's exponent.
#[zero_copy]
#[derive(Default, Debug, PartialEq, Eq)]
pub struct PublisherSlot {
    pub authority: Pubkey,
    pub price: i64,
    pub conf: u64,
    pub publish_time: i64,
}

/// The USD (quote) price of one whole credit of a class (`["price_feed", class]`), with every
/// guard a lending protocol needs. Zero-copy: consumers read it without deserialising the
/// publisher set. Only `oracle::load_price` reads it on behalf of other instructions.
#[account(zero_copy)]
#[derive(Debug)]
pub struct PriceFeed {
    pub class: Pubkey,
    /// Pyth feeds only: the price feed id a `PriceUpdateV2` must carry.
    pub pyth_feed_id: [u8; 32],
    /// The current aggregate: `price * 10^expo` quote units per credit, ± `conf`.
    pub price: u64,
    pub conf: u64,
    pub publish_time: i64,
    /// An aggregate held back by the circuit breaker until the admin resolves it.
    pub pending_price: u64,
    pub pending_conf: u64,
    pub pending_publish_time: i64,
    pub max_staleness_secs: u32,
    pub expo: i32,
    /// A move above `max_deviation_bps` within this window of the last aggregate trips the breaker.
    pub deviation_window_secs: u32,
    pub max_confidence_bps: u16,
    pub max_deviation_bps: u16,
    pub min_publishers: u8,
    pub publisher_count: u8,
    /// `FeedKind` as a byte (zero-copy accounts hold plain data).
    pub kind: u8,
    /// 1 while the circuit breaker holds a pending aggregate.
    pub tripped: u8,
    pub bump: u8,
    pub _padding: [u8; 3],
    pub publishers: [PublisherSlot; MAX_PUBLISHERS],
}

const _: () = assert!(std::mem::size_of::<PriceFeed>() == 584);

impl PriceFeed {
    pub const SPACE: usize = 8 + std::mem::size_of::<PriceFeed>();

    pub fn feed_kind(&self) -> FeedKind {
        if self.kind == 1 {
            FeedKind::Pyth
        } else {
            FeedKind::Native
        }
    }

    pub fn is_tripped(&self) -> bool {
        self.tripped != 0
    }

    pub fn publishers(&self) -> &[PublisherSlot] {
        &self.publishers[..self.publisher_count as usize]
    }

    pub fn publisher_index(&self, authority: &Pubkey) -> Option<usize> {
        self.publishers().iter().position(|p| p.authority == *authority)
    }
}
