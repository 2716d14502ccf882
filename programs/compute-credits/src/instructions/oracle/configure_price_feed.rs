use anchor_lang::prelude::*;

use crate::error::CreditsError;
use crate::events::PriceFeedConfigured;
use crate::instructions::oracle::FeedConfig;
use crate::state::{Platform, PriceFeed};

/// Admin: changes a feed's guards (within the protocol's bounds). The aggregate is kept; it is
/// re-checked against the new guards by every read.
#[derive(Accounts)]
pub struct ConfigurePriceFeed<'info> {
    pub admin: Signer<'info>,
    #[account(has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut)]
    pub price_feed: AccountLoader<'info, PriceFeed>,
}

impl ConfigurePriceFeed<'_> {
    pub fn handler(ctx: Context<Self>, config: FeedConfig) -> Result<()> {
        let mut feed = ctx.accounts.price_feed.load_mut()?;
        config.validate(feed.feed_kind())?;
        require!(
            config.min_publishers <= feed.publisher_count || feed.kind != 0,
            CreditsError::InvalidFeedConfig
        );
        config.apply(&mut feed);
        emit!(PriceFeedConfigured {
            feed: ctx.accounts.price_feed.key(),
            class: feed.class,
            kind: feed.kind,
            expo: config.expo,
            min_publishers: config.min_publishers,
            max_staleness_secs: config.max_staleness_secs,
            max_confidence_bps: config.max_confidence_bps,
            max_deviation_bps: config.max_deviation_bps,
        });
        Ok(())
    }
}
