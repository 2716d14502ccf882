//! The one way in to a price. Every consumer (purchases at oracle price, and later loan
//! origination, coverage and liquidation) calls [`load_price`]; no other code reads a feed.
//!
//! Security assumptions, checked here or at the feed's creation:
//! - the feed account is ours (Anchor's owner + discriminator checks on `AccountLoader`) and
//!   belongs to the class being priced (`WrongPriceFeed`), so a feed of a cheap class cannot
//!   value an expensive one;
//! - its aggregate was built only from fresh observations of registered publishers (median, with
//!   a quorum) or from a fully verified Pyth update of the configured feed id, newer than the
//!   last one;
//! - the aggregate itself is fresh (`StalePrice`), narrow enough (`ConfidenceTooWide`), positive
//!   (`NoPrice`), and not held by the deviation circuit breaker (`CircuitBreakerTripped`).
//!
//! Consumers take the conservative side of the band: collateral at `low()`, debts and purchase
//! amounts at `high()` (marginfi's discipline).
pub mod native;
pub mod pyth;

use anchor_lang::prelude::*;
use credit_math::price::PriceBand;

use crate::error::CreditsError;
use crate::state::PriceFeed;

/// A price that passed every guard, with the confidence band consumers choose a side of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckedPrice {
    pub band: PriceBand,
    pub publish_time: i64,
}

/// Loads the checked price of `class` from `feed` at time `now`.
pub fn load_price(feed: &AccountLoader<PriceFeed>, class: &Pubkey, now: i64) -> Result<CheckedPrice> {
    let feed = feed.load()?;
    check_aggregate(&feed, class, now)
}

/// Like [`load_price`], but a feed of the class that cannot give a usable price now (stale,
/// held by the circuit breaker, no price, too wide) gives `None`: for enforcement that time
/// alone justifies (a default after the cure window). A feed of another class is refused.
pub fn load_price_if_usable(
    feed: &AccountLoader<PriceFeed>,
    class: &Pubkey,
    now: i64,
) -> Result<Option<CheckedPrice>> {
    let feed = feed.load()?;
    require_keys_eq!(feed.class, *class, CreditsError::WrongPriceFeed);
    Ok(check_aggregate(&feed, class, now).ok())
}

/// The guards of [`load_price`] on an already loaded feed.
pub fn check_aggregate(feed: &PriceFeed, class: &Pubkey, now: i64) -> Result<CheckedPrice> {
    require_keys_eq!(feed.class, *class, CreditsError::WrongPriceFeed);
    require!(!feed.is_tripped(), CreditsError::CircuitBreakerTripped);
    require!(feed.price > 0, CreditsError::NoPrice);
    require!(
        feed.publish_time <= now && now - feed.publish_time <= i64::from(feed.max_staleness_secs),
        CreditsError::StalePrice
    );
    require!(
        credit_math::median::confidence_bps_ceil(feed.price, feed.conf) <= u64::from(feed.max_confidence_bps),
        CreditsError::ConfidenceTooWide
    );
    let band =
        PriceBand::new(feed.price, feed.conf, feed.expo).map_err(|_| error!(CreditsError::InvalidPrice))?;
    Ok(CheckedPrice { band, publish_time: feed.publish_time })
}

/// What happened when a new aggregate was offered to a feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggregateOutcome {
    Updated,
    /// The move from the last aggregate was too large: held as pending for the admin.
    Tripped,
}

/// Offers a new aggregate to `feed`, applying the deviation circuit breaker: a move larger than
/// `max_deviation_bps` within `deviation_window_secs` of the last aggregate is held back.
pub fn offer_aggregate(feed: &mut PriceFeed, price: u64, conf: u64, publish_time: i64) -> AggregateOutcome {
    let recent = feed.price > 0 && publish_time - feed.publish_time <= i64::from(feed.deviation_window_secs);
    let jump = credit_math::median::deviation_bps_ceil(feed.price, price) > u64::from(feed.max_deviation_bps);
    if feed.is_tripped() || (recent && jump) {
        feed.tripped = 1;
        feed.pending_price = price;
        feed.pending_conf = conf;
        feed.pending_publish_time = publish_time;
        return AggregateOutcome::Tripped;
    }
    feed.price = price;
    feed.conf = conf;
    feed.publish_time = publish_time;
    AggregateOutcome::Updated
}

/// Maps the domain crate's oracle refusals to the program's named errors.
pub fn oracle_error(e: credit_math::median::OracleError) -> anchor_lang::error::Error {
    error!(CreditsError::from(e))
}
