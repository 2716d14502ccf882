use anchor_lang::prelude::*;

use crate::constants::OWNER_HOLDS_SEED;
use crate::error::CreditsError;
use crate::events_v2::{log_event, SeatFreezeChanged};
use crate::state::{seat_is_frozen, set_seat_frozen, split_market, MarketV2};
use crate::token::freeze::owner_is_held;

/// Anyone: clears a seat's frozen flag once its owner is under no freeze hold (its
/// `["owner_holds", credit_mint, owner]` record counts zero, or does not exist): asks and
/// credit withdrawals are open to it again. `OwnerUnderHold` while a hold remains,
/// `SeatNotFrozen` for a seat that is not flagged.
#[derive(Accounts)]
pub struct ClearSeatFreeze<'info> {
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
    /// CHECK: `["owner_holds", credit_mint, seat owner]` (address checked); may not exist.
    pub owner_holds: UncheckedAccount<'info>,
}

impl ClearSeatFreeze<'_> {
    pub fn handler(ctx: Context<Self>, seat: u32) -> Result<()> {
        let a = &ctx.accounts;
        let info = a.market.to_account_info();
        let mut data = info.try_borrow_mut_data()?;
        let (m, seats) = split_market(&mut data)?;
        require!(seat < m.header().seat_count && (seat as usize) < seats.len(), CreditsError::NoSeat);
        let s = &mut seats[seat as usize];
        require!(seat_is_frozen(s), CreditsError::SeatNotFrozen);
        let owner = Pubkey::new_from_array(s.owner);
        let holds = Pubkey::find_program_address(
            &[OWNER_HOLDS_SEED, m.credit_mint.as_ref(), owner.as_ref()],
            &crate::ID,
        )
        .0;
        require_keys_eq!(a.owner_holds.key(), holds, CreditsError::WrongHoldAccount);
        require!(
            !owner_is_held(&a.owner_holds.to_account_info(), &owner, &m.credit_mint)?,
            CreditsError::OwnerUnderHold
        );
        set_seat_frozen(s, false);
        log_event(&SeatFreezeChanged { market: a.market.key(), seat, owner, frozen: false });
        Ok(())
    }
}
