//! What every market test shares: the lot and tick of the harness's markets, their fees, and
//! the keys of a market on a credit class (market v2's builders are in `market_v2` and
//! `market_v2_ix`).
use anchor_lang::prelude::Pubkey;
use compute_credits::constants::{BASE_VAULT_SEED, MARKET_AUTHORITY_SEED, MARKET_V2_SEED, QUOTE_VAULT_SEED};

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

pub fn market_authority(market: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[MARKET_AUTHORITY_SEED, market.as_ref()], &compute_credits::ID).0
}

/// Every key a market instruction names.
#[derive(Clone, Copy, Debug)]
pub struct MarketKeys {
    pub market: Pubkey,
    pub registration: Pubkey,
    pub authority: Pubkey,
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub quote_mint: Pubkey,
    pub base_vault: Pubkey,
    pub quote_vault: Pubkey,
    pub treasury_quote: Pubkey,
    pub credit_program: Pubkey,
    pub quote_program: Pubkey,
}

impl MarketKeys {
    pub fn new(f: &PlatformFixture, c: &ClassFixture, market: Pubkey) -> Self {
        let authority = market_authority(&market);
        let registration = Pubkey::find_program_address(
            &[MARKET_V2_SEED, c.class.as_ref(), f.quote_mint.as_ref()],
            &compute_credits::ID,
        )
        .0;
        MarketKeys {
            market,
            registration,
            authority,
            class: c.class,
            credit_mint: c.mint,
            quote_mint: f.quote_mint,
            base_vault: Pubkey::find_program_address(
                &[BASE_VAULT_SEED, market.as_ref()],
                &compute_credits::ID,
            )
            .0,
            quote_vault: Pubkey::find_program_address(
                &[QUOTE_VAULT_SEED, market.as_ref()],
                &compute_credits::ID,
            )
            .0,
            treasury_quote: f.treasury_quote,
            credit_program: c.program,
            quote_program: f.quote_program,
        }
    }
}
