use anchor_lang::prelude::*;
use credit_math::book::Ticks;

use super::engine_side;
use crate::events_v2::log_events;
use crate::state::{owned_seat, split_market, MarketV2};
use crate::OrderSide;

/// Trader: cancels one of its seat's resting orders (side, price, sequence number): a binary
/// search and a memmove; its lock returns to the seat's free balance. Open while paused.
/// Two accounts: the trader and the market.
#[derive(Accounts)]
pub struct CancelOrderV2<'info> {
    pub trader: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
}

impl CancelOrderV2<'_> {
    pub fn handler(ctx: Context<Self>, seat: u32, side: OrderSide, price_ticks: u64, seq: u64) -> Result<()> {
        let a = &ctx.accounts;
        let market = a.market.to_account_info();
        let mut data = market.try_borrow_mut_data()?;
        process_cancel_order_v2(a.trader.key, market.key, &mut data, seat, side, price_ticks, seq)
    }
}

/// `cancel_order_v2` once its accounts are checked (by Anchor, or by hand in `hot_path`).
pub fn process_cancel_order_v2(
    trader: &Pubkey,
    market: &Pubkey,
    data: &mut [u8],
    seat: u32,
    side: OrderSide,
    price_ticks: u64,
    seq: u64,
) -> Result<()> {
    let (m, seats) = split_market(data)?;
    owned_seat(seats, m.header().seat_count, seat, trader)?;
    let mut events = Vec::with_capacity(1);
    m.engine(seats)
        .cancel(seat, engine_side(side), Ticks(price_ticks), seq, &mut events)
        .map_err(super::engine_error)?;
    log_events(market, &events);
    Ok(())
}
