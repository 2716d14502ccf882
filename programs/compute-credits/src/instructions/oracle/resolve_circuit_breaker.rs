use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::CircuitBreakerResolved;
use crate::state::{Platform, PriceFeed};
use anchor_lang::prelude::*;

/// Admin: resolves a tripped circuit breaker, accepting the held-back aggregate or keeping the
/// previous one (which then ages out through staleness unless publishers confirm it).
#[derive(Accounts)]
pub struct ResolveCircuitBreaker<'info> {
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut)]
    pub price_feed: AccountLoader<'info, PriceFeed>,
}

impl ResolveCircuitBreaker<'_> {
    pub fn handler(ctx: Context<Self>, accept: bool) -> Result<()> {
        let mut feed = ctx.accounts.price_feed.load_mut()?;
        require!(feed.is_tripped(), CreditsError::CircuitBreakerNotTripped);
        if accept {
            feed.price = feed.pending_price;
            feed.conf = feed.pending_conf;
            feed.publish_time = feed.pending_publish_time;
        }
        feed.tripped = 0;
        (feed.pending_price, feed.pending_conf, feed.pending_publish_time) = (0, 0, 0);
        emit!(CircuitBreakerResolved {
            feed: ctx.accounts.price_feed.key(),
            class: feed.class,
            accepted: accept,
            price: feed.price,
        });
        Ok(())
    }
}
