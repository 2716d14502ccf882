use anchor_lang::prelude::*;
use credit_math::book::{BaseLots, OrderKind, Side, Ticks};
use credit_math::market::{BatchCancels, CancelRequest, OrderRequest};

use super::{engine_side, event_buffer};
use crate::error::CreditsError;
use crate::events_v2::log_events;
use crate::state::{owned_seat, require_class_active, seat_is_frozen, split_market, MarketV2};
use crate::OrderSide;

/// One of a seat's resting orders, named by side, price and sequence number.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct CancelArgs {
    pub side: OrderSide,
    pub price_ticks: u64,
    pub seq: u64,
}

/// A post-only order of a batch.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchPlaceArgs {
    pub side: OrderSide,
    pub price_ticks: u64,
    pub lots: u64,
    pub expiry: i64,
}

/// Trader (a market maker's requote): cancels all of its seat's orders (`cancel_all`) or the
/// ones listed, then places post-only orders, all or nothing (the engine undoes the earlier
/// parts exactly on a refusal). No token CPI. Placing is refused while the class or market is
/// paused, and asks from a seat flagged frozen (`SeatFrozen`); a batch of cancels only is
/// open while paused (the class account is then not read).
#[derive(Accounts)]
pub struct BatchOrders<'info> {
    pub trader: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
    /// CHECK: the market's class (key checked when the batch places); only `paused` is read.
    pub class: UncheckedAccount<'info>,
}

impl BatchOrders<'_> {
    pub fn handler(
        ctx: Context<Self>,
        seat: u32,
        cancel_all: bool,
        cancels: Vec<CancelArgs>,
        places: Vec<BatchPlaceArgs>,
    ) -> Result<()> {
        let a = &ctx.accounts;
        process_batch_orders(
            a.trader.key,
            &a.market.to_account_info(),
            &a.class,
            seat,
            cancel_all,
            &cancels,
            &places,
        )
    }
}

/// `batch_orders` once its accounts are checked (by Anchor, or by hand in `hot_path`).
pub fn process_batch_orders(
    trader: &Pubkey,
    market: &AccountInfo,
    class: &AccountInfo,
    seat: u32,
    cancel_all: bool,
    cancels: &[CancelArgs],
    places: &[BatchPlaceArgs],
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut data = market.try_borrow_mut_data()?;
    let (m, seats) = split_market(&mut data)?;
    let s = owned_seat(seats, m.header().seat_count, seat, trader)?;
    if !places.is_empty() {
        require_class_active(class, m)?;
        m.require_open()?;
        let asks = places.iter().any(|p| p.side == OrderSide::Ask);
        require!(!asks || !seat_is_frozen(s), CreditsError::SeatFrozen);
    }
    require!(!cancel_all || cancels.is_empty(), CreditsError::InvalidOrder);
    let requests: Vec<CancelRequest> = cancels
        .iter()
        .map(|c| CancelRequest { side: engine_side(c.side), price: Ticks(c.price_ticks), seq: c.seq })
        .collect();
    let which = match (cancel_all, requests.is_empty()) {
        (true, _) => BatchCancels::All,
        (false, true) => BatchCancels::None,
        (false, false) => BatchCancels::These(&requests),
    };
    let orders: Vec<OrderRequest> = places
        .iter()
        .map(|p| {
            let side: Side = engine_side(p.side);
            OrderRequest {
                expiry: p.expiry,
                ..OrderRequest::new(side, OrderKind::PostOnly, Ticks(p.price_ticks), BaseLots(p.lots))
            }
        })
        .collect();
    let mut events = event_buffer();
    m.engine(seats).batch(seat, which, &orders, now, &mut events).map_err(super::engine_error)?;
    log_events(market.key, &events);
    Ok(())
}
