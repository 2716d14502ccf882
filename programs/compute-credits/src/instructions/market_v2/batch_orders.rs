use anchor_lang::prelude::*;
use credit_math::book::{BaseLots, OrderKind, Side, Ticks};
use credit_math::market::{BatchCancels, CancelRequest, OrderRequest};

use super::{engine_side, event_buffer};
use crate::error::CreditsError;
use crate::events_v2::log_events;
use crate::state::{
    owned_seat, require_class_view_active, seat_is_frozen, split_market, ClassView, MarketV2,
};
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
        let market = a.market.to_account_info();
        let mut data = market.try_borrow_mut_data()?;
        let class_data = if a.class.key == market.key { None } else { Some(a.class.try_borrow_data()?) };
        let class = ClassView { key: a.class.key, data: class_data.as_ref().map_or(&[][..], |d| &d[..]) };
        let cancels: Vec<CancelRequest> = cancels.iter().map(cancel_request).collect();
        let places: Vec<OrderRequest> = places.iter().map(place_request).collect();
        process_batch_orders(a.trader.key, market.key, &mut data, class, seat, cancel_all, &cancels, &places)
    }
}

/// `batch_orders` once its accounts are checked (by Anchor, or by hand in `hot_path`).
#[allow(clippy::too_many_arguments)]
pub fn process_batch_orders(
    trader: &Pubkey,
    market: &Pubkey,
    data: &mut [u8],
    class: ClassView,
    seat: u32,
    cancel_all: bool,
    cancels: &[CancelRequest],
    places: &[OrderRequest],
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (m, seats) = split_market(data)?;
    let s = owned_seat(seats, m.header().seat_count, seat, trader)?;
    if !places.is_empty() {
        require_class_view_active(class, m)?;
        m.require_open()?;
        let asks = places.iter().any(|p| p.side == Side::Ask);
        require!(!asks || !seat_is_frozen(s), CreditsError::SeatFrozen);
    }
    require!(!cancel_all || cancels.is_empty(), CreditsError::InvalidOrder);
    let which = match (cancel_all, cancels.is_empty()) {
        (true, _) => BatchCancels::All,
        (false, true) => BatchCancels::None,
        (false, false) => BatchCancels::These(cancels),
    };
    let mut events = event_buffer();
    m.engine(seats).batch(seat, which, places, now, &mut events).map_err(super::engine_error)?;
    log_events(market, &events);
    Ok(())
}

/// A batch's cancel, as the engine takes it.
pub fn cancel_request(c: &CancelArgs) -> CancelRequest {
    CancelRequest { side: engine_side(c.side), price: Ticks(c.price_ticks), seq: c.seq }
}

/// A batch's (post-only) order, as the engine takes it.
pub fn place_request(p: &BatchPlaceArgs) -> OrderRequest {
    OrderRequest {
        expiry: p.expiry,
        ..OrderRequest::new(engine_side(p.side), OrderKind::PostOnly, Ticks(p.price_ticks), BaseLots(p.lots))
    }
}
