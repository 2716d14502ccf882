//! Market v2 builders and fixtures: a v2 market on a credit class, traders with seats, and the
//! account decoded (header, books, seats).
use anchor_lang::prelude::Pubkey;
use anchor_lang::{InstructionData, ToAccountMetas};
use compute_credits::constants::{MARKET_V2_SEED, SEAT_SEED};
use compute_credits::state::{split_market, BookSideV2, MarketV2};
use compute_credits::{accounts as acc, instruction as ix, MarketV2Params};
use credit_math::market::{MarketHeader, Seat};
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};

use crate::builders::{platform_pda, SYSTEM_PROGRAM};
use crate::context::{TestContext, TxResult};
use crate::fixtures::{ClassFixture, PlatformFixture};
use crate::market::{MarketKeys, LOT, MAKER_FEE_BPS, TAKER_FEE_BPS, TICK};

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

pub fn registration_v2(class: &Pubkey, quote_mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[MARKET_V2_SEED, class.as_ref(), quote_mint.as_ref()], &compute_credits::ID)
        .0
}

pub fn seat_record(market: &Pubkey, owner: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEAT_SEED, market.as_ref(), owner.as_ref()], &compute_credits::ID).0
}

/// The keys of a v2 market: v1's set (same vault and authority seeds), with its own registration.
pub fn market_v2_keys(f: &PlatformFixture, c: &ClassFixture, market: Pubkey) -> MarketKeys {
    let mut k = MarketKeys::new(f, c, market);
    k.registration = registration_v2(&c.class, &f.quote_mint);
    k
}

pub(crate) fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: compute_credits::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

pub fn create_market_v2(admin: &Pubkey, k: &MarketKeys, params: MarketV2Params) -> Instruction {
    build(
        acc::CreateMarketV2 {
            admin: *admin,
            platform: platform_pda(),
            class: k.class,
            market: k.market,
            registration: k.registration,
            market_authority: k.authority,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            base_vault: k.base_vault,
            quote_vault: k.quote_vault,
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
            system_program: SYSTEM_PROGRAM,
        },
        ix::CreateMarketV2 { params },
    )
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
    let rent = ctx.ctx.banks_client.get_rent().await.unwrap().minimum_balance(MarketV2::SPACE);
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

/// A v2 market account decoded: its fixed part and its seats.
pub struct MarketV2State {
    pub fixed: Box<MarketV2>,
    pub seats: Vec<Seat>,
    pub len: usize,
}

impl MarketV2State {
    pub fn header(&self) -> MarketHeader {
        *self.fixed.header()
    }

    pub fn bids(&self) -> Box<BookSideV2> {
        Box::new(*self.fixed.bids())
    }

    pub fn asks(&self) -> Box<BookSideV2> {
        Box::new(*self.fixed.asks())
    }
}

pub async fn market_v2_state(ctx: &mut TestContext, market: &Pubkey) -> MarketV2State {
    let mut data = ctx.account(*market).await.expect("market exists").data;
    let len = data.len();
    // the account's bytes may sit at any address here: copy them to an aligned buffer
    let mut aligned = vec![0u64; len.div_ceil(8)];
    bytemuck::cast_slice_mut::<u64, u8>(&mut aligned)[..len].copy_from_slice(&data);
    data.clear();
    let bytes = &mut bytemuck::cast_slice_mut::<u64, u8>(&mut aligned)[..len];
    let (fixed, seats) = split_market(bytes).expect("a v2 market");
    MarketV2State { fixed: Box::new(*fixed), seats: seats.to_vec(), len }
}
