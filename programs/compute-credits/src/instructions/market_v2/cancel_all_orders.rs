use anchor_lang::prelude::*;

use crate::events_v2::log_events;
use crate::state::{owned_seat, split_market, MarketV2};

/// Trader: cancels every resting order of its seat (one pass over both sides; at most
/// `max_orders_per_seat` orders). Open while paused. Two accounts: the trader and the market.
#[derive(Accounts)]
pub struct CancelAllOrders<'info> {
    pub trader: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
}

impl CancelAllOrders<'_> {
    pub fn handler(ctx: Context<Self>, seat: u32) -> Result<()> {
        let a = &ctx.accounts;
        let market = a.market.to_account_info();
        let mut data = market.try_borrow_mut_data()?;
        process_cancel_all_orders(a.trader.key, market.key, &mut data, seat)
    }
}

/// `cancel_all_orders` once its accounts are checked (by Anchor, or by hand in `hot_path`).
pub fn process_cancel_all_orders(trader: &Pubkey, market: &Pubkey, data: &mut [u8], seat: u32) -> Result<()> {
    let (m, seats) = split_market(data)?;
    let s = owned_seat(seats, m.header().seat_count, seat, trader)?;
    let mut events = Vec::with_capacity(s.order_count as usize);
    m.engine(seats).cancel_all(seat, &mut events).map_err(super::engine_error)?;
    log_events(market, &events);
    Ok(())
}
