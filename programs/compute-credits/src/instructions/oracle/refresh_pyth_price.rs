use anchor_lang::prelude::*;

use crate::error::CreditsError;
use crate::instructions::oracle::submit_price::publish;
use crate::oracle;
use crate::state::{FeedKind, PriceFeed};

/// Permissionless crank: copies a fully verified Pyth `PriceUpdateV2` into the class's feed, so
/// every consumer reads one account through `load_price`. An update not newer than the feed's
/// current price is refused, so nobody can roll the price back with an older update.
#[derive(Accounts)]
pub struct RefreshPythPrice<'info> {
    #[account(mut)]
    pub price_feed: AccountLoader<'info, PriceFeed>,
    /// CHECK: owner, discriminator, layout, feed id and verification are checked by
    /// `oracle::pyth::read_price_update`.
    pub price_update: UncheckedAccount<'info>,
}

impl RefreshPythPrice<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let feed_key = ctx.accounts.price_feed.key();
        let mut feed = ctx.accounts.price_feed.load_mut()?;
        require!(feed.feed_kind() == FeedKind::Pyth, CreditsError::WrongFeedKind);
        let checked =
            oracle::pyth::read_price_update(&ctx.accounts.price_update.to_account_info(), &feed, now)?;
        require!(checked.band.expo == feed.expo, CreditsError::InvalidFeedConfig);
        let newest = feed.publish_time.max(if feed.is_tripped() { feed.pending_publish_time } else { 0 });
        require!(checked.publish_time > newest, CreditsError::OutdatedPriceUpdate);
        publish(&mut feed, feed_key, checked.band.mantissa, checked.band.conf, checked.publish_time, 1)
    }
}
