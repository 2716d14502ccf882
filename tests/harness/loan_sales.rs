//! Liquidation sales on market v2: the builders of `sell_collateral` and `settle_loan_sale`,
//! and a defaulted loan with a buyer's bids on a v2 market.
use compute_credits::{MarketAsset, OrderSide, OrderType};

use crate::context::TestContext;
use crate::fixtures::User;
use crate::loans::{LoanKeys, LoanWorld};
use crate::market::MarketKeys;
use crate::market_v2::{market_v2_state, open_market_v2};
use crate::market_v2_ix::{bid_lock, claim_seat, deposit, limit_v2, place_order_v2};

pub use credit_client::ix::market::{loan_seat, sell_collateral, settle_loan_sale};

/// A trader with a seat in the v2 market `k` and `quote` atoms deposited; returns its seat.
pub async fn seated_buyer(ctx: &mut TestContext, k: &MarketKeys, buyer: &User, quote: u64) -> u32 {
    ctx.send(&[claim_seat(k, &buyer.pubkey())], &[&buyer.key]).await.result.unwrap();
    let seat = market_v2_state(ctx, &k.market).await.header().seat_count - 1;
    if quote > 0 {
        let ix = deposit(k, buyer, seat, MarketAsset::Quote, quote);
        ctx.send(&[ix], &[&buyer.key]).await.result.unwrap();
    }
    seat
}

/// A buyer's resting bids in the v2 market.
pub async fn bid(ctx: &mut TestContext, k: &MarketKeys, buyer: &User, seat: u32, price: u64, lots: u64) {
    let ix =
        place_order_v2(k, &buyer.pubkey(), limit_v2(seat, OrderSide::Bid, OrderType::Limit, price, lots));
    let r = ctx.send(&[ix], &[&buyer.key]).await;
    assert!(r.is_ok(), "bid: {:?}", r.result);
}

/// The defaulted $100,000 compute-financing loan of `defaulted_loan` and a v2 market on its
/// class with a buyer's bids: 20,000 GPU-hours at $2.45 and 30,000 at $2.40.
pub async fn defaulted_loan_with_bids_v2(
    ctx: &mut TestContext,
    w: &mut LoanWorld,
) -> (LoanKeys, MarketKeys, User, u32) {
    let (k, mk) = defaulted_loan_and_market(ctx, w).await;
    let buyer = w.f.user(ctx, &w.c, 1_000_000 * crate::loans::USD).await;
    let seat = seated_buyer(ctx, &mk, &buyer, bid_lock(245, 20_000) + bid_lock(240, 30_000)).await;
    bid(ctx, &mk, &buyer, seat, 245, 20_000).await;
    bid(ctx, &mk, &buyer, seat, 240, 30_000).await;
    (k, mk, buyer, seat)
}

/// A $100,000 compute-financing loan at 12% over 12 months, defaulted (past grace and cure,
/// fresh price), and an empty v2 market on its class.
pub async fn defaulted_loan_and_market(ctx: &mut TestContext, w: &mut LoanWorld) -> (LoanKeys, MarketKeys) {
    use crate::loans::*;
    let terms = compute_credits::OfferTerms {
        principal: 100_000 * USD,
        apr_bps: 1_200,
        periods: 12,
        borrower_tier: 0,
        ..seed_terms(0, compute_credits::LoanKind::ComputeFinancing, 1)
    };
    let k = w.originate(ctx, terms, 0).await;
    let mk = open_market_v2(ctx, &w.f, &w.c).await;
    let due = ledger(ctx, &k.loan).await.due_ts(1).unwrap();
    let now = ctx.now().await;
    w.advance(ctx, due + i64::from(GRACE + CURE) + 1 - now, PRICE).await;
    (k, mk)
}
