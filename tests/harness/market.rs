//! What every market test shares: the lot and tick of the harness's markets, their fees, and
//! the keys of a market on a credit class (market v2's builders are in `market_v2` and
//! `market_v2_ix`).
use anchor_lang::prelude::Pubkey;

use crate::fixtures::{ClassFixture, PlatformFixture};

/// One credit per lot, $0.01 per tick: 250 ticks = $2.50 a GPU-hour.
pub const LOT: u64 = 1_000_000;
pub const TICK: u64 = 10_000;
pub const MAKER_FEE_BPS: u16 = 10;
pub const TAKER_FEE_BPS: u16 = 30;

/// Quote atoms of a fee per lot at `price` ticks, rounded up (the program's `fee_per_lot`).
pub fn fee_per_lot(price: u64, bps: u16) -> u64 {
    (price * TICK * u64::from(bps)).div_ceil(10_000)
}

pub use credit_client::pda::market_authority;
pub use credit_client::MarketKeys;

/// The keys of market account `market` on a fixture's class in the platform's quote currency.
pub fn market_keys(f: &PlatformFixture, c: &ClassFixture, market: Pubkey) -> MarketKeys {
    MarketKeys::new(&crate::loans::class_keys(f, c), market, &f.treasury_quote)
}
