use anchor_lang::prelude::*;

use crate::error::CreditsError;
use crate::events::OrderRemoved;
use crate::instructions::market::place_order::OrderSide;
use crate::settlement::release;
use credit_math::book::Ticks;

use crate::state::{seat_tag, Market};

/// The owner cancels a resting order; its lock becomes withdrawable (`settle_funds`). Works
/// while the market is paused, so traders can always leave.
#[derive(Accounts)]
pub struct CancelOrder<'info> {
    pub trader: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, Market>,
}

impl CancelOrder<'_> {
    pub fn handler(ctx: Context<Self>, side: OrderSide, price_ticks: u64, seq: u64) -> Result<()> {
        let trader = ctx.accounts.trader.key();
        let mut m = ctx.accounts.market.load_mut()?;
        let seat = m.seat_of(&trader).ok_or(CreditsError::NoSeat)?;
        let side = side.engine();
        let order = m
            .book_mut()
            .cancel(side, Ticks(price_ticks), seq, &seat_tag(seat))
            .ok_or(CreditsError::OrderNotFound)?;
        release(&mut m, side, order.price.0, order.lots.0, seat)?;
        emit!(OrderRemoved {
            market: ctx.accounts.market.key(),
            owner: trader,
            seq,
            lots: order.lots.0,
            reason: 0
        });
        Ok(())
    }
}
