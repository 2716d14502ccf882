use anchor_lang::prelude::*;
use credit_math::book::{BaseLots, Side, Ticks};
use credit_math::market::OrderRequest;

use super::{engine_kind, engine_side, event_buffer, SelfTradeBehavior};
use crate::error::CreditsError;
use crate::events_v2::log_events;
use crate::state::{
    owned_seat, require_class_view_active, seat_is_frozen, split_market, ClassView, MarketV2,
};
use crate::{OrderSide, OrderType};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlaceOrderV2Args {
    /// The trader's seat index (its owner must sign).
    pub seat: u32,
    pub side: OrderSide,
    pub order_type: OrderType,
    /// The limit in ticks: a bid never pays more per lot, an ask never receives less.
    pub price_ticks: u64,
    pub lots: u64,
    /// 0 = good until cancelled; otherwise the unix time from which a resting order is void.
    pub expiry: i64,
    pub self_trade: SelfTradeBehavior,
}

/// Trader: places an order funded from its seat's free balances, with no token CPI: fills
/// debit and credit the seats in place, a remainder rests with its lock (evicting the side's
/// worst order when the side is full and it is priced better). Three accounts: the trader, the
/// market and its class (its `paused` byte). Refused while the class or market is paused, and
/// for an ask from a seat flagged frozen (`SeatFrozen`). One event per fill, removal and
/// placement, with the market-wide sequence number.
#[derive(Accounts)]
pub struct PlaceOrderV2<'info> {
    pub trader: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
    /// CHECK: the market's class (key checked); only its `paused` byte is read.
    pub class: UncheckedAccount<'info>,
}

impl PlaceOrderV2<'_> {
    pub fn handler(ctx: Context<Self>, args: PlaceOrderV2Args) -> Result<()> {
        let a = &ctx.accounts;
        let market = a.market.to_account_info();
        let mut data = market.try_borrow_mut_data()?;
        let class_data = if a.class.key == market.key { None } else { Some(a.class.try_borrow_data()?) };
        let class = ClassView { key: a.class.key, data: class_data.as_ref().map_or(&[][..], |d| &d[..]) };
        process_place_order_v2(a.trader.key, market.key, &mut data, class, args)
    }
}

/// `place_order_v2` once its accounts are checked (by Anchor, or by hand in `hot_path`):
/// `trader` signed, `data` are the bytes of `market`, a writable `MarketV2` of this program.
pub fn process_place_order_v2(
    trader: &Pubkey,
    market: &Pubkey,
    data: &mut [u8],
    class: ClassView,
    args: PlaceOrderV2Args,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (m, seats) = split_market(data)?;
    require_class_view_active(class, m)?;
    m.require_open()?;
    let side = engine_side(args.side);
    let s = owned_seat(seats, m.header().seat_count, args.seat, trader)?;
    require!(side == Side::Bid || !seat_is_frozen(s), CreditsError::SeatFrozen);
    let req = OrderRequest {
        expiry: args.expiry,
        self_trade: args.self_trade.engine(),
        ..OrderRequest::new(side, engine_kind(args.order_type), Ticks(args.price_ticks), BaseLots(args.lots))
    };
    let mut events = event_buffer();
    m.engine(seats).place(args.seat, req, now, &mut events).map_err(super::engine_error)?;
    log_events(market, &events);
    Ok(())
}
