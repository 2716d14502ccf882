//! The Pyth adapter: a pull-oracle `PriceUpdateV2` account, parsed from its documented layout
//! (the receiver SDK does not build against Anchor 1.2 / Solana 3.x).
use anchor_lang::prelude::*;
use credit_math::pyth::{check_pyth, parse_price_update_v2};

use crate::constants::PYTH_RECEIVER_PROGRAM_ID;
use crate::error::CreditsError;
use crate::oracle::{oracle_error, CheckedPrice};
use crate::state::PriceFeed;

/// Reads and checks a `PriceUpdateV2` for `feed`: owner, discriminator, feed id, full
/// verification, staleness, positive price and confidence.
pub fn read_price_update(update: &AccountInfo, feed: &PriceFeed, now: i64) -> Result<CheckedPrice> {
    require_keys_eq!(*update.owner, PYTH_RECEIVER_PROGRAM_ID, CreditsError::WrongOracleOwner);
    let data = update.try_borrow_data()?;
    let parsed = parse_price_update_v2(&data).map_err(oracle_error)?;
    let (band, publish_time) =
        check_pyth(&parsed, &feed.pyth_feed_id, now, feed.max_staleness_secs, feed.max_confidence_bps)
            .map_err(oracle_error)?;
    Ok(CheckedPrice { band, publish_time })
}
