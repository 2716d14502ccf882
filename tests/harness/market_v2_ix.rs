//! Market v2 instruction builders (seats, balances, orders, swap, frozen rule) and a world of
//! traders with seats.
use anchor_lang::prelude::Pubkey;
use compute_credits::{
    accounts as acc, instruction as ix, BatchPlaceArgs, CancelArgs, MarketAsset, OrderSide, OrderType,
    PlaceOrderV2Args, SelfTradeBehavior,
};
use solana_sdk::instruction::Instruction;

use crate::builders::{owner_holds_pda, SYSTEM_PROGRAM};
use crate::context::{TestContext, TxResult};
use crate::fixtures::{ClassFixture, PlatformFixture, TokenKind, User};
use crate::loans::USD;
use crate::market::{MarketKeys, LOT};
use crate::market_v2::{build, market_v2_state, open_market_v2, seat_record};

pub fn claim_seat(k: &MarketKeys, owner: &Pubkey) -> Instruction {
    build(
        acc::ClaimSeat {
            owner: *owner,
            market: k.market,
            seat_record: seat_record(&k.market, owner),
            owner_holds: owner_holds_pda(&k.credit_mint, owner),
            system_program: SYSTEM_PROGRAM,
        },
        ix::ClaimSeat {},
    )
}

/// The vault, mint and token program of `asset`, and the user's token account of it.
fn asset_accounts(k: &MarketKeys, t: &User, asset: MarketAsset) -> (Pubkey, Pubkey, Pubkey, Pubkey) {
    match asset {
        MarketAsset::Credits => (t.credits, k.base_vault, k.credit_mint, k.credit_program),
        MarketAsset::Quote => (t.quote, k.quote_vault, k.quote_mint, k.quote_program),
    }
}

pub fn deposit(k: &MarketKeys, t: &User, seat: u32, asset: MarketAsset, amount: u64) -> Instruction {
    let (trader_token, vault, mint, token_program) = asset_accounts(k, t, asset);
    build(
        acc::Deposit {
            trader: t.pubkey(),
            market: k.market,
            class: k.class,
            trader_token,
            vault,
            mint,
            token_program,
        },
        ix::Deposit { seat, asset, amount },
    )
}

pub fn withdraw(k: &MarketKeys, t: &User, seat: u32, asset: MarketAsset, amount: u64) -> Instruction {
    let (trader_token, vault, mint, token_program) = asset_accounts(k, t, asset);
    build(
        acc::Withdraw {
            trader: t.pubkey(),
            market: k.market,
            class: k.class,
            trader_holds: owner_holds_pda(&k.credit_mint, &t.pubkey()),
            market_authority: k.authority,
            trader_token,
            vault,
            mint,
            token_program,
        },
        ix::Withdraw { seat, asset, amount },
    )
}

/// Asserts the vaults hold exactly the market's `base_total` / `quote_total`.
pub async fn assert_vaults_match(ctx: &mut TestContext, k: &MarketKeys) {
    let h = market_v2_state(ctx, &k.market).await.header();
    let (base, quote) = (ctx.balance(k.base_vault).await, ctx.balance(k.quote_vault).await);
    assert_eq!((base, quote), (h.base_total.0, h.quote_total.0), "vaults against the header's totals");
}

/// A platform, a credit class, a v2 market on it and traders with seats, each holding 10,000
/// credits and $100,000 in its wallet and nothing deposited.
pub struct V2World {
    pub f: PlatformFixture,
    pub c: ClassFixture,
    pub k: MarketKeys,
    pub traders: Vec<User>,
    pub seats: Vec<u32>,
}

impl V2World {
    pub async fn new(ctx: &mut TestContext, kind: TokenKind, traders: usize) -> V2World {
        let f = PlatformFixture::new(ctx, TokenKind::Spl).await;
        let c = f.create_class(ctx, kind).await;
        let k = open_market_v2(ctx, &f, &c).await;
        let mut w = V2World { f, c, k, traders: vec![], seats: vec![] };
        for _ in 0..traders {
            w.add_trader(ctx).await;
        }
        w
    }

    /// A funded wallet with a seat; returns its index in `traders`.
    pub async fn add_trader(&mut self, ctx: &mut TestContext) -> usize {
        let t = self.f.user(ctx, &self.c, 100_000 * USD).await;
        self.f.buy(ctx, &self.c, &t, 10_000 * LOT).await.unwrap();
        ctx.send(&[claim_seat(&self.k, &t.pubkey())], &[&t.key]).await.unwrap();
        self.seats.push(market_v2_state(ctx, &self.k.market).await.header().seat_count - 1);
        self.traders.push(t);
        self.traders.len() - 1
    }

    /// Trader `i` deposits `credits` and `quote` atoms into its seat.
    pub async fn fund(&self, ctx: &mut TestContext, i: usize, credits: u64, quote: u64) {
        let (t, seat) = (&self.traders[i], self.seats[i]);
        let mut ixs = vec![];
        if credits > 0 {
            ixs.push(deposit(&self.k, t, seat, MarketAsset::Credits, credits));
        }
        if quote > 0 {
            ixs.push(deposit(&self.k, t, seat, MarketAsset::Quote, quote));
        }
        let r: TxResult = ctx.send(&ixs, &[&t.key]).await;
        assert!(r.is_ok(), "deposit: {:?}", r.result);
    }
}

pub fn limit_v2(
    seat: u32,
    side: OrderSide,
    order_type: OrderType,
    price_ticks: u64,
    lots: u64,
) -> PlaceOrderV2Args {
    PlaceOrderV2Args {
        seat,
        side,
        order_type,
        price_ticks,
        lots,
        expiry: 0,
        self_trade: SelfTradeBehavior::CancelProvide,
    }
}

pub fn place_order_v2(k: &MarketKeys, trader: &Pubkey, args: PlaceOrderV2Args) -> Instruction {
    build(acc::PlaceOrderV2 { trader: *trader, market: k.market, class: k.class }, ix::PlaceOrderV2 { args })
}

pub fn cancel_order_v2(
    k: &MarketKeys,
    trader: &Pubkey,
    seat: u32,
    side: OrderSide,
    price_ticks: u64,
    seq: u64,
) -> Instruction {
    build(
        acc::CancelOrderV2 { trader: *trader, market: k.market },
        ix::CancelOrderV2 { seat, side, price_ticks, seq },
    )
}

pub fn cancel_all_orders(k: &MarketKeys, trader: &Pubkey, seat: u32) -> Instruction {
    build(acc::CancelAllOrders { trader: *trader, market: k.market }, ix::CancelAllOrders { seat })
}

pub fn batch_orders(
    k: &MarketKeys,
    trader: &Pubkey,
    seat: u32,
    cancel_all: bool,
    cancels: Vec<CancelArgs>,
    places: Vec<BatchPlaceArgs>,
) -> Instruction {
    build(
        acc::BatchOrders { trader: *trader, market: k.market, class: k.class },
        ix::BatchOrders { seat, cancel_all, cancels, places },
    )
}

pub fn post(side: OrderSide, price_ticks: u64, lots: u64) -> BatchPlaceArgs {
    BatchPlaceArgs { side, price_ticks, lots, expiry: 0 }
}

pub fn cancel_frozen_orders_v2(k: &MarketKeys, frozen_account: &Pubkey, owner: &Pubkey) -> Instruction {
    build(
        acc::CancelFrozenOrdersV2 {
            market: k.market,
            frozen_account: *frozen_account,
            seat_record: seat_record(&k.market, owner),
        },
        ix::CancelFrozenOrdersV2 {},
    )
}

pub fn clear_seat_freeze(k: &MarketKeys, owner: &Pubkey, seat: u32) -> Instruction {
    build(
        acc::ClearSeatFreeze { market: k.market, owner_holds: owner_holds_pda(&k.credit_mint, owner) },
        ix::ClearSeatFreeze { seat },
    )
}

pub fn set_market_v2_paused(authority: &Pubkey, k: &MarketKeys, paused: bool) -> Instruction {
    build(
        acc::SetMarketV2Paused {
            authority: *authority,
            platform: crate::builders::platform_pda(),
            market: k.market,
        },
        ix::SetMarketV2Paused { paused },
    )
}

/// Quote atoms a resting bid of `lots` at `price` locks: price and maker fee per lot.
pub fn bid_lock(price: u64, lots: u64) -> u64 {
    lots * (price * crate::market::TICK + crate::market::fee_per_lot(price, crate::market::MAKER_FEE_BPS))
}

/// A seatless swap by `taker` (its credit and quote accounts).
pub fn swap(
    k: &MarketKeys,
    taker: &User,
    side: OrderSide,
    amount_in: u64,
    min_out: u64,
    limit: u64,
) -> Instruction {
    build(
        acc::Swap {
            taker: taker.pubkey(),
            market: k.market,
            class: k.class,
            market_authority: k.authority,
            taker_credits: taker.credits,
            taker_quote: taker.quote,
            base_vault: k.base_vault,
            quote_vault: k.quote_vault,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
        },
        ix::Swap { side, amount_in, min_out, limit_price_ticks: limit },
    )
}

pub fn withdraw_market_fees(k: &MarketKeys, treasury_quote: &Pubkey, amount: u64) -> Instruction {
    build(
        acc::WithdrawMarketFees {
            platform: crate::builders::platform_pda(),
            market: k.market,
            market_authority: k.authority,
            quote_vault: k.quote_vault,
            quote_mint: k.quote_mint,
            treasury_quote: *treasury_quote,
            quote_token_program: k.quote_program,
        },
        ix::WithdrawMarketFees { amount },
    )
}

/// Anyone prunes up to `max` expired orders from `side` of the v2 market `k`.
pub fn prune_expired(k: &MarketKeys, side: OrderSide, max: u32) -> Instruction {
    build(acc::PruneExpired { market: k.market }, ix::PruneExpired { side, max })
}
