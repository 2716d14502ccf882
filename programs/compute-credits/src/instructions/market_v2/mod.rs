//! Market v2 (docs/market-v2.md; market v1 is retired): a growable market account
//! with seats that hold balances (`claim_seat`, `deposit`, `withdraw`), orders funded from
//! those balances with no token CPI (`place_order_v2`, `cancel_order_v2`, `cancel_all_orders`,
//! `batch_orders`), a seatless taker (`swap`), the treasury's fees (`withdraw_market_fees`)
//! the frozen rule (`cancel_frozen_orders_v2`, `clear_seat_freeze`), and liquidation sales
//! from a loan's own seat (`sell_collateral`, `settle_loan_sale`; see `loan_seat`); the crank
//! `prune_expired` clears expired orders.
//!
//! The hot instructions (orders and cancels) take the trader and the market, plus the class
//! when the pause rule needs it (its `paused` byte read in place), and the seat index as an
//! argument (checked `seat.owner == signer`): no token account, no PDA derivation.
pub mod batch_orders;
pub mod cancel_all_orders;
pub mod cancel_frozen_orders_v2;
pub mod cancel_order_v2;
pub mod claim_seat;
pub mod clear_seat_freeze;
pub mod create_market_v2;
pub mod deposit;
pub mod loan_seat;
pub mod place_order_v2;
pub mod prune_expired;
pub mod sell_collateral;
pub mod set_market_v2_paused;
pub mod settle_loan_sale;
pub mod swap;
pub mod withdraw;
pub mod withdraw_market_fees;

pub use batch_orders::*;
pub use cancel_all_orders::*;
pub use cancel_frozen_orders_v2::*;
pub use cancel_order_v2::*;
pub use claim_seat::*;
pub use clear_seat_freeze::*;
pub use create_market_v2::*;
pub use deposit::*;
pub use place_order_v2::*;
pub use prune_expired::*;
pub use sell_collateral::*;
pub use set_market_v2_paused::*;
pub use settle_loan_sale::*;
pub use swap::*;
pub use withdraw::*;
pub use withdraw_market_fees::*;

use anchor_lang::prelude::*;
use credit_math::book::{OrderKind, Side};
use credit_math::market::{MarketError, SelfTrade};

use crate::error::CreditsError;

/// The side of an order: a bid buys credits, an ask sells them.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderSide {
    Bid,
    Ask,
}

/// How an order meets the book: `Limit` takes what crosses and rests the rest, `PostOnly`
/// only rests (refused if it would cross), `ImmediateOrCancel` takes what crosses and drops
/// the rest, `FillOrKill` fills completely or is refused.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderType {
    Limit,
    PostOnly,
    ImmediateOrCancel,
    FillOrKill,
}

/// Which of a market's two tokens a deposit or withdrawal moves.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarketAsset {
    Credits,
    Quote,
}

/// What an order does when it meets one of its own seat's resting orders.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelfTradeBehavior {
    /// Cancel the resting order and go on matching (v1's behaviour).
    CancelProvide,
    /// Stop matching and cancel the incoming remainder.
    AbortTake,
    /// Reduce both by the smaller size, trading nothing.
    DecrementTake,
}

impl SelfTradeBehavior {
    pub fn engine(self) -> SelfTrade {
        match self {
            SelfTradeBehavior::CancelProvide => SelfTrade::CancelResting,
            SelfTradeBehavior::AbortTake => SelfTrade::CancelTaker,
            SelfTradeBehavior::DecrementTake => SelfTrade::DecrementBoth,
        }
    }
}

pub fn engine_side(side: crate::OrderSide) -> Side {
    match side {
        crate::OrderSide::Bid => Side::Bid,
        crate::OrderSide::Ask => Side::Ask,
    }
}

pub fn engine_kind(order_type: crate::OrderType) -> OrderKind {
    match order_type {
        crate::OrderType::Limit => OrderKind::Limit,
        crate::OrderType::PostOnly => OrderKind::PostOnly,
        crate::OrderType::ImmediateOrCancel => OrderKind::ImmediateOrCancel,
        crate::OrderType::FillOrKill => OrderKind::FillOrKill,
    }
}

/// The engine's refusal as our named error.
pub fn engine_error(e: MarketError) -> anchor_lang::error::Error {
    let named = match e {
        MarketError::InvalidParams => CreditsError::InvalidMarketConfig,
        MarketError::InvalidSeat => CreditsError::NoSeat,
        MarketError::DuplicateSeat => CreditsError::AlreadyInitialized,
        MarketError::NoSeatSpace => CreditsError::NoSeat,
        MarketError::ZeroAmount => CreditsError::ZeroAmount,
        MarketError::InsufficientBalance => CreditsError::InsufficientBalance,
        MarketError::BookFull => CreditsError::BookFull,
        MarketError::TooManyOrders => CreditsError::TooManyOrders,
        MarketError::BelowMinimumNotional => CreditsError::BelowMinimumNotional,
        MarketError::WouldCross => CreditsError::WouldCross,
        MarketError::CannotFillCompletely => CreditsError::CannotFillCompletely,
        MarketError::InvalidOrder => CreditsError::InvalidOrder,
        MarketError::OrderNotFound => CreditsError::OrderNotFound,
        MarketError::SlippageExceeded => CreditsError::SlippageExceeded,
        MarketError::Overflow => CreditsError::MathOverflow,
    };
    error!(named)
}

/// Events a market instruction may emit: its fills and removals within the match limits, an
/// eviction, a placement, or a seat's orders pulled; allocated once.
pub fn event_buffer() -> Vec<credit_math::market::Emitted> {
    Vec::with_capacity(24)
}
