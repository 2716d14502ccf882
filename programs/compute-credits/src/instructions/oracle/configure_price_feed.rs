use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::PriceFeedConfigured;
use crate::instructions::oracle::FeedConfig;
use crate::state::{FeedKind, Platform, PriceFeed};
use anchor_lang::prelude::*;

/// Admin: changes a feed's guards (within the protocol's bounds). The aggregate is kept; it is
/// re-checked against the new guards by every read. The call restates the feed's kind,
/// exponent and Pyth feed id, which are fixed at creation: a different value is refused
/// (`FeedFieldImmutable`) and nothing changes. A new exponent would rescale every stored
/// price by a power of ten without tripping the breaker; a new kind or feed id would switch
/// the price's source under the loans that rely on it.
#[derive(Accounts)]
pub struct ConfigurePriceFeed<'info> {
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut)]
    pub price_feed: AccountLoader<'info, PriceFeed>,
}

impl ConfigurePriceFeed<'_> {
    pub fn handler(ctx: Context<Self>, kind: FeedKind, config: FeedConfig) -> Result<()> {
        let mut feed = ctx.accounts.price_feed.load_mut()?;
        config.require_same_identity(kind, &feed)?;
        config.validate(kind)?;
        require!(
            config.min_publishers <= feed.publisher_count || feed.kind != 0,
            CreditsError::InvalidFeedConfig
        );
        config.apply_guards(&mut feed);
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
