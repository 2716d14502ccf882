use anchor_lang::prelude::*;

use super::submit_price::publish;
use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::{PriceAggregateCleared, PublisherChanged};
use crate::oracle;
use crate::state::{FeedKind, Platform, PriceFeed, PublisherSlot, MAX_PUBLISHERS};

/// Admin: adds a publisher to a native feed (at most 8; one slot per key, so a duplicate
/// publisher can never count twice towards the median).
#[derive(Accounts)]
pub struct ManagePublisher<'info> {
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut)]
    pub price_feed: AccountLoader<'info, PriceFeed>,
}

impl ManagePublisher<'_> {
    pub fn add(ctx: Context<Self>, publisher: Pubkey) -> Result<()> {
        let mut feed = ctx.accounts.price_feed.load_mut()?;
        require!(feed.feed_kind() == FeedKind::Native, CreditsError::WrongFeedKind);
        require!(publisher != Pubkey::default(), CreditsError::DefaultKey);
        require!(feed.publisher_index(&publisher).is_none(), CreditsError::PublisherAlreadyAdded);
        let n = feed.publisher_count as usize;
        require!(n < MAX_PUBLISHERS, CreditsError::PublisherSetFull);
        feed.publishers[n] = PublisherSlot { authority: publisher, ..Default::default() };
        feed.publisher_count += 1;
        emit!(PublisherChanged {
            feed: ctx.accounts.price_feed.key(),
            publisher,
            added: true,
            publisher_count: feed.publisher_count
        });
        Ok(())
    }

    /// Removes a publisher; its observation leaves the aggregate at once. The quorum may not
    /// exceed the publishers left.
    ///
    /// The stored aggregate is recomputed from the remaining fresh observations in the same
    /// instruction (through the circuit breaker, like any new aggregate), so a publisher
    /// removed for reporting nonsense stops counting now, not at the next submission. If the
    /// remaining fresh observations no longer make the quorum, the aggregate (and anything
    /// the breaker held) is cleared: reads fail `NoPrice` until a quorum of the current
    /// publishers submits, rather than serving a price the removed publisher helped make.
    pub fn remove(ctx: Context<Self>, publisher: Pubkey) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let feed_key = ctx.accounts.price_feed.key();
        let mut feed = ctx.accounts.price_feed.load_mut()?;
        let i = feed.publisher_index(&publisher).ok_or(CreditsError::NotPublisher)?;
        let n = feed.publisher_count as usize;
        require!(n > feed.min_publishers as usize, CreditsError::InvalidFeedConfig);
        feed.publishers.copy_within(i + 1..n, i);
        feed.publishers[n - 1] = PublisherSlot::default();
        feed.publisher_count -= 1;
        emit!(PublisherChanged {
            feed: feed_key,
            publisher,
            added: false,
            publisher_count: feed.publisher_count
        });
        match oracle::native::aggregate_publishers(&feed, now) {
            Ok(agg) => publish(&mut feed, feed_key, agg.price, agg.conf, agg.publish_time, agg.fresh),
            Err(_) => {
                clear_aggregate(&mut feed);
                emit!(PriceAggregateCleared { feed: feed_key, class: feed.class });
                Ok(())
            }
        }
    }
}

/// Forgets the feed's aggregate and anything the circuit breaker holds: the feed reads as
/// having no price (`NoPrice`) until a quorum aggregates again.
fn clear_aggregate(feed: &mut PriceFeed) {
    (feed.price, feed.conf, feed.publish_time) = (0, 0, 0);
    (feed.pending_price, feed.pending_conf, feed.pending_publish_time) = (0, 0, 0);
    feed.tripped = 0;
}
