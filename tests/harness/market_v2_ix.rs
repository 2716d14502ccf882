//! Market v2 instruction builders (seats, balances, orders, swap, frozen rule) and a world of
//! traders with seats.
use anchor_lang::prelude::Pubkey;
use compute_credits::{MarketAsset, OrderSide};
use solana_sdk::instruction::Instruction;

pub use credit_client::ix::market::{
    batch_orders, cancel_all_orders, cancel_frozen_orders_v2, cancel_order_v2, claim_seat, clear_seat_freeze,
    limit_v2, place_order_v2, post, prune_expired, set_market_v2_paused, withdraw_market_fees,
};

use crate::context::{TestContext, TxResult};
use crate::fixtures::{ClassFixture, PlatformFixture, TokenKind, User};
use crate::loans::USD;
use crate::market::{MarketKeys, LOT};
use crate::market_v2::{market_v2_state, open_market_v2};

/// The user's token account of `asset`.
fn token_of(t: &User, asset: MarketAsset) -> Pubkey {
    match asset {
        MarketAsset::Credits => t.credits,
        MarketAsset::Quote => t.quote,
    }
}

/// `t` deposits `amount` of `asset` from its wallet's account into its seat.
pub fn deposit(k: &MarketKeys, t: &User, seat: u32, asset: MarketAsset, amount: u64) -> Instruction {
    credit_client::ix::market::deposit(k, &t.pubkey(), &token_of(t, asset), seat, asset, amount)
}

/// `t` withdraws `amount` of `asset` from its seat to its wallet's account.
pub fn withdraw(k: &MarketKeys, t: &User, seat: u32, asset: MarketAsset, amount: u64) -> Instruction {
    credit_client::ix::market::withdraw(k, &t.pubkey(), &token_of(t, asset), seat, asset, amount)
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

/// Quote atoms a resting bid of `lots` at `price` locks: price and maker fee per lot.
pub fn bid_lock(price: u64, lots: u64) -> u64 {
    lots * (price * crate::market::TICK + crate::market::fee_per_lot(price, crate::market::MAKER_FEE_BPS))
}

/// A seatless swap by `taker` from and to its wallet's accounts.
pub fn swap(
    k: &MarketKeys,
    taker: &User,
    side: OrderSide,
    amount_in: u64,
    min_out: u64,
    limit: u64,
) -> Instruction {
    credit_client::ix::market::swap(
        k,
        &taker.pubkey(),
        (&taker.credits, &taker.quote),
        side,
        amount_in,
        min_out,
        limit,
    )
}
