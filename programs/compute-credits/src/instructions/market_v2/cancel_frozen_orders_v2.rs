use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::SEAT_SEED;
use crate::error::CreditsError;
use crate::events_v2::{log_event, log_events, SeatFreezeChanged};
use crate::state::{seat_is_frozen, set_seat_frozen, split_market, MarketV2};

/// Anyone: given a **frozen** credit account of the market's class, flags its owner's seat
/// frozen and pulls every resting order of that seat (`remove_owner`; the locks become free
/// balances). While flagged the seat places no ask and withdraws no credits, until
/// `clear_seat_freeze` finds the owner under no freeze hold.
///
/// The seat is found through `["seat", market, owner]` (one per owner). With no seat, or a
/// seat already flagged with nothing resting, it succeeds and changes nothing, so a frozen
/// trader cannot make the freezer's transaction fail by cancelling first.
///
/// **The window.** A freeze alone does not reach the market: between the freeze and this
/// instruction the owner's resting asks can still fill, and it can still place asks from its
/// seat's credit balance (credit withdrawals are already refused by the hold record). Whoever
/// freezes (the guardian, a lender on default) puts this instruction in the freeze's
/// transaction, which closes the window; keepers can run it at any time afterwards.
#[derive(Accounts)]
pub struct CancelFrozenOrdersV2<'info> {
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
    /// A frozen credit account of the market's class; its owner's seat is flagged and pulled.
    #[account(constraint = frozen_account.mint == market.load()?.credit_mint @ CreditsError::WrongClass)]
    pub frozen_account: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: `["seat", market, frozen_account.owner]` (seeds checked); may not exist.
    #[account(seeds = [SEAT_SEED, market.key().as_ref(), frozen_account.owner.as_ref()], bump)]
    pub seat_record: UncheckedAccount<'info>,
}

impl CancelFrozenOrdersV2<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = &ctx.accounts;
        require!(a.frozen_account.is_frozen(), CreditsError::CreditAccountNotFrozen);
        let record = a.seat_record.to_account_info();
        if record.data_is_empty() {
            return Ok(());
        }
        let seat = {
            let data = record.try_borrow_data()?;
            u32::from_le_bytes([data[8], data[9], data[10], data[11]])
        };
        let info = a.market.to_account_info();
        let mut data = info.try_borrow_mut_data()?;
        let (m, seats) = split_market(&mut data)?;
        let s = seats.get_mut(seat as usize).ok_or(CreditsError::NoSeat)?;
        let newly = !seat_is_frozen(s);
        if newly {
            set_seat_frozen(s, true);
        }
        let mut events = Vec::with_capacity(s.order_count as usize);
        m.engine(seats).remove_owner(seat, &mut events).map_err(super::engine_error)?;
        log_events(&a.market.key(), &events);
        if newly {
            let owner = a.frozen_account.owner;
            log_event(&SeatFreezeChanged { market: a.market.key(), seat, owner, frozen: true });
        }
        Ok(())
    }
}
