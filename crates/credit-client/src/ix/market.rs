//! The market: creation, seats, balances, orders, the seatless swap, the frozen rule, fees,
//! pruning, and a loan's liquidation sales.
use anchor_lang::prelude::Pubkey;
use compute_credits::{accounts as acc, instruction as ix};
use compute_credits::{
    BatchPlaceArgs, CancelArgs, MarketAsset, MarketV2Params, OrderSide, OrderType, PlaceOrderV2Args,
    SelfTradeBehavior,
};
use solana_sdk::instruction::Instruction;

use super::{build, SYSTEM_PROGRAM};
use crate::keys::{LoanKeys, MarketKeys};
use crate::pda;

pub fn create_market_v2(admin: &Pubkey, k: &MarketKeys, params: MarketV2Params) -> Instruction {
    build(
        acc::CreateMarketV2 {
            admin: *admin,
            platform: pda::platform(),
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

pub fn claim_seat(k: &MarketKeys, owner: &Pubkey) -> Instruction {
    build(
        acc::ClaimSeat {
            owner: *owner,
            market: k.market,
            seat_record: pda::seat_record(&k.market, owner),
            owner_holds: pda::owner_holds(&k.credit_mint, owner),
            system_program: SYSTEM_PROGRAM,
        },
        ix::ClaimSeat {},
    )
}

/// The vault, mint and token program of `asset` in the market `k`.
fn asset_accounts(k: &MarketKeys, asset: MarketAsset) -> (Pubkey, Pubkey, Pubkey) {
    match asset {
        MarketAsset::Credits => (k.base_vault, k.credit_mint, k.credit_program),
        MarketAsset::Quote => (k.quote_vault, k.quote_mint, k.quote_program),
    }
}

/// `trader` moves `amount` of `asset` from its token account `trader_token` into its seat.
pub fn deposit(
    k: &MarketKeys,
    trader: &Pubkey,
    trader_token: &Pubkey,
    seat: u32,
    asset: MarketAsset,
    amount: u64,
) -> Instruction {
    let (vault, mint, token_program) = asset_accounts(k, asset);
    build(
        acc::Deposit {
            trader: *trader,
            market: k.market,
            class: k.class,
            trader_token: *trader_token,
            vault,
            mint,
            token_program,
        },
        ix::Deposit { seat, asset, amount },
    )
}

/// `trader` moves `amount` of `asset` from its seat to its token account `trader_token`.
pub fn withdraw(
    k: &MarketKeys,
    trader: &Pubkey,
    trader_token: &Pubkey,
    seat: u32,
    asset: MarketAsset,
    amount: u64,
) -> Instruction {
    let (vault, mint, token_program) = asset_accounts(k, asset);
    build(
        acc::Withdraw {
            trader: *trader,
            market: k.market,
            class: k.class,
            trader_holds: pda::owner_holds(&k.credit_mint, trader),
            market_authority: k.authority,
            trader_token: *trader_token,
            vault,
            mint,
            token_program,
        },
        ix::Withdraw { seat, asset, amount },
    )
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
            seat_record: pda::seat_record(&k.market, owner),
        },
        ix::CancelFrozenOrdersV2 {},
    )
}

pub fn clear_seat_freeze(k: &MarketKeys, owner: &Pubkey, seat: u32) -> Instruction {
    build(
        acc::ClearSeatFreeze { market: k.market, owner_holds: pda::owner_holds(&k.credit_mint, owner) },
        ix::ClearSeatFreeze { seat },
    )
}

pub fn set_market_v2_paused(authority: &Pubkey, k: &MarketKeys, paused: bool) -> Instruction {
    build(
        acc::SetMarketV2Paused { authority: *authority, platform: pda::platform(), market: k.market },
        ix::SetMarketV2Paused { paused },
    )
}

/// A seatless swap by `taker` from and to its credit and quote token accounts.
pub fn swap(
    k: &MarketKeys,
    taker: &Pubkey,
    (taker_credits, taker_quote): (&Pubkey, &Pubkey),
    side: OrderSide,
    amount_in: u64,
    min_out: u64,
    limit: u64,
) -> Instruction {
    build(
        acc::Swap {
            taker: *taker,
            market: k.market,
            class: k.class,
            market_authority: k.authority,
            taker_credits: *taker_credits,
            taker_quote: *taker_quote,
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
            platform: pda::platform(),
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

/// The loan's seat record in the market `k`: `["seat", market, loan]`.
pub fn loan_seat(loan: &LoanKeys, k: &MarketKeys) -> Pubkey {
    pda::seat_record(&k.market, &loan.loan)
}

/// The lender sells collateral of `loan` on the v2 market `k` (`expiry` only for `Limit`).
pub fn sell_collateral(
    loan: &LoanKeys,
    k: &MarketKeys,
    borrower_quote: &Pubkey,
    order_type: OrderType,
    price_ticks: u64,
    lots: u64,
    expiry: i64,
) -> Instruction {
    build(
        acc::SellCollateral {
            lender: loan.lender,
            loan: loan.loan,
            class: loan.class,
            price_feed: loan.price_feed,
            market: k.market,
            loan_seat: loan_seat(loan, k),
            market_authority: k.authority,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            vault: loan.vault,
            base_vault: k.base_vault,
            quote_vault: k.quote_vault,
            lender_quote: loan.lender_quote,
            borrower_quote: *borrower_quote,
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
            system_program: SYSTEM_PROGRAM,
        },
        ix::SellCollateral { order_type, price_ticks, lots, expiry },
    )
}

/// `caller` settles the loan's seat (`cancel_orders`: the lender pulls the sale).
pub fn settle_loan_sale(
    caller: &Pubkey,
    loan: &LoanKeys,
    k: &MarketKeys,
    borrower_quote: &Pubkey,
    cancel_orders: bool,
) -> Instruction {
    build(
        acc::SettleLoanSale {
            caller: *caller,
            loan: loan.loan,
            class: loan.class,
            market: k.market,
            loan_seat: loan_seat(loan, k),
            market_authority: k.authority,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            vault: loan.vault,
            base_vault: k.base_vault,
            quote_vault: k.quote_vault,
            lender_quote: loan.lender_quote,
            borrower_quote: *borrower_quote,
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
        },
        ix::SettleLoanSale { cancel_orders },
    )
}
