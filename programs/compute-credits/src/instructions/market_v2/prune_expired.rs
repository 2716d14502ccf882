use anchor_lang::prelude::*;

use super::{engine_error, engine_side};
use crate::error::CreditsError;
use crate::events_v2::log_events;
use crate::state::{split_market, MarketV2};
use crate::OrderSide;

/// The most expired orders one `prune_expired` removes (a larger `max` is clamped): bounds its
/// events and compute.
pub const MAX_PRUNE: u32 = 32;

/// Anyone (a crank): removes up to `max` (at most `MAX_PRUNE`) expired orders from one side of
/// a v2 market, worst first; their locks return to their seats' free balances, with one
/// `OrderRemoved` event each (reason `Expired`). Unexpired orders are never touched. Refused
/// when no order of the side has expired (`NothingToPrune`) and for `max == 0`
/// (`ZeroAmount`). Open while the class or market is paused (it only unlocks, like a cancel).
/// One account: the market.
#[derive(Accounts)]
pub struct PruneExpired<'info> {
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
}

impl PruneExpired<'_> {
    pub fn handler(ctx: Context<Self>, side: OrderSide, max: u32) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let info = ctx.accounts.market.to_account_info();
        let mut data = info.try_borrow_mut_data()?;
        let (m, seats) = split_market(&mut data)?;
        let max = max.min(MAX_PRUNE);
        let mut events = Vec::with_capacity(max as usize);
        let pruned =
            m.engine(seats).prune_expired(engine_side(side), max, now, &mut events).map_err(engine_error)?;
        require!(pruned > 0, CreditsError::NothingToPrune);
        log_events(info.key, &events);
        Ok(())
    }
}
