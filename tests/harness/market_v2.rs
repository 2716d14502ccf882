//! Market v2 builders and fixtures: a v2 market on a credit class, traders with seats, and the
//! account decoded (header, books, seats).
use anchor_lang::prelude::Pubkey;
use compute_credits::state::MarketV2;
use compute_credits::MarketV2Params;
use solana_sdk::signature::{Keypair, Signer};

pub use credit_client::ix::market::create_market_v2;
pub use credit_client::pda::{market_registration as registration_v2, seat_record};
/// A market account decoded (header, books, seats).
pub use credit_client::state::MarketState as MarketV2State;

use crate::context::{TestContext, TxResult};
use crate::fixtures::{ClassFixture, PlatformFixture};
use crate::market::{market_keys, MarketKeys, LOT, MAKER_FEE_BPS, TAKER_FEE_BPS, TICK};

/// $1 minimum notional (quote has 6 decimals), 16 resting orders a seat.
pub const MIN_NOTIONAL: u64 = 1_000_000;
pub const MAX_ORDERS_PER_SEAT: u32 = 16;

pub fn market_v2_params() -> MarketV2Params {
    MarketV2Params {
        lot_size: LOT,
        tick_size: TICK,
        min_order_notional: MIN_NOTIONAL,
        max_orders_per_seat: MAX_ORDERS_PER_SEAT,
        maker_fee_bps: MAKER_FEE_BPS,
        taker_fee_bps: TAKER_FEE_BPS,
    }
}

/// The keys of a market on a fixture's class.
pub fn market_v2_keys(f: &PlatformFixture, c: &ClassFixture, market: Pubkey) -> MarketKeys {
    market_keys(f, c, market)
}

/// `admin` allocates the v2 market account at its base size and initialises it, in one
/// transaction.
pub async fn create_market_v2_account(
    ctx: &mut TestContext,
    admin: &Keypair,
    market: &Keypair,
    k: &MarketKeys,
    params: MarketV2Params,
) -> TxResult {
    let rent = ctx.rent().await.minimum_balance(MarketV2::SPACE);
    let alloc = anchor_lang::solana_program::system_instruction::create_account(
        &admin.pubkey(),
        &market.pubkey(),
        rent,
        MarketV2::SPACE as u64,
        &compute_credits::ID,
    );
    ctx.send(&[alloc, create_market_v2(&admin.pubkey(), k, params)], &[admin, market]).await
}

/// A v2 market on `c`, opened by the admin.
pub async fn open_market_v2(ctx: &mut TestContext, f: &PlatformFixture, c: &ClassFixture) -> MarketKeys {
    let market = ctx.keypair();
    let k = market_v2_keys(f, c, market.pubkey());
    let r = create_market_v2_account(ctx, &f.admin, &market, &k, market_v2_params()).await;
    assert!(r.is_ok(), "create_market_v2: {:?}\n{:#?}", r.result, r.logs);
    k
}

pub async fn market_v2_state(ctx: &mut TestContext, market: &Pubkey) -> MarketV2State {
    let data = ctx.account(*market).await.expect("market exists").data;
    MarketV2State::decode(&data).expect("a market account")
}
