use anchor_lang::prelude::*;

use crate::error::CreditsError;
use crate::events::{CircuitBreakerTripped, PriceAggregated};
use crate::oracle::{self, AggregateOutcome};
use crate::state::{FeedKind, PriceFeed};

/// A publisher submits its observation; the feed re-aggregates (median of fresh observations)
/// when a quorum is fresh. Too large a jump trips the circuit breaker instead.
#[derive(Accounts)]
pub struct SubmitPrice<'info> {
    pub publisher: Signer<'info>,
    #[account(mut)]
    pub price_feed: AccountLoader<'info, PriceFeed>,
}

impl SubmitPrice<'_> {
    pub fn handler(ctx: Context<Self>, price: i64, conf: u64) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let feed_key = ctx.accounts.price_feed.key();
        let mut feed = ctx.accounts.price_feed.load_mut()?;
        require!(feed.feed_kind() == FeedKind::Native, CreditsError::WrongFeedKind);
        let i = feed.publisher_index(&ctx.accounts.publisher.key()).ok_or(CreditsError::NotPublisher)?;
        // each observation must be usable on its own: positive, with a confidence inside the cap
        require!(price > 0, CreditsError::InvalidPrice);
        let band = credit_math::median::check_band(price, conf, feed.expo, feed.max_confidence_bps)
            .map_err(oracle::oracle_error)?;
        let slot = &mut feed.publishers[i];
        slot.price = price;
        slot.conf = band.conf;
        slot.publish_time = now;

        // Too few fresh publishers is not an error for the submitter: the observation is kept
        // and the aggregate waits for the quorum.
        let Ok(agg) = oracle::native::aggregate_publishers(&feed, now) else {
            return Ok(());
        };
        publish(&mut feed, feed_key, agg.price, agg.conf, agg.publish_time, agg.fresh)
    }
}

/// Offers an aggregate to the feed and emits what happened.
pub fn publish(
    feed: &mut PriceFeed,
    feed_key: Pubkey,
    price: u64,
    conf: u64,
    publish_time: i64,
    sources: u8,
) -> Result<()> {
    let previous = feed.price;
    match oracle::offer_aggregate(feed, price, conf, publish_time) {
        AggregateOutcome::Updated => emit!(PriceAggregated {
            feed: feed_key,
            class: feed.class,
            price,
            conf,
            expo: feed.expo,
            publish_time,
            sources,
        }),
        AggregateOutcome::Tripped => emit!(CircuitBreakerTripped {
            feed: feed_key,
            class: feed.class,
            last_price: previous,
            pending_price: price,
            pending_conf: conf,
        }),
    }
    Ok(())
}
