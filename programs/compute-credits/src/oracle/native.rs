//! The native benchmark feed: the median of the publishers' fresh observations.
use anchor_lang::prelude::*;
use credit_math::median::{aggregate, Aggregate, Observation};

use crate::error::CreditsError;
use crate::oracle::oracle_error;
use crate::state::{PriceFeed, MAX_PUBLISHERS};

/// Aggregates the feed's publisher slots at `now` (stale slots drop out; quorum enforced).
pub fn aggregate_publishers(feed: &PriceFeed, now: i64) -> Result<Aggregate> {
    let mut observations = [Observation { price: 0, conf: 0, publish_time: 0 }; MAX_PUBLISHERS];
    let slots = feed.publishers();
    for (o, p) in observations.iter_mut().zip(slots) {
        *o = Observation { price: p.price, conf: p.conf, publish_time: p.publish_time };
    }
    let observations = &observations[..slots.len()];
    require!(!observations.is_empty(), CreditsError::NoQuorum);
    aggregate(observations, now, feed.max_staleness_secs, feed.min_publishers).map_err(oracle_error)
}
