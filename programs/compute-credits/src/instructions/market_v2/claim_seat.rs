use anchor_lang::prelude::*;

use crate::constants::{OWNER_HOLDS_SEED, SEAT_SEED};
use crate::error::CreditsError;
use crate::state::{set_seat_frozen, set_seat_holds_bump, split_market, MarketV2};
use crate::token::freeze::owner_is_held;

/// Trader: takes a seat in a v2 market. The market account grows by one `Seat` (72 bytes) and
/// the trader pays its rent, and `["seat", market, owner]` records the seat (one per owner:
/// a second claim is refused with `AlreadyInitialized`). There is no seat limit: squatting
/// blocks nobody. An owner under a freeze hold gets a seat flagged frozen (no asks, no credit
/// withdrawals until `clear_seat_freeze`). The seat records the canonical bump of the owner's
/// `owner_holds` address, so `withdraw` checks that address with one hash.
#[derive(Accounts)]
pub struct ClaimSeat<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(mut)]
    pub market: AccountLoader<'info, MarketV2>,
    /// CHECK: `["seat", market, owner]` (seeds checked), created here.
    #[account(mut, seeds = [SEAT_SEED, market.key().as_ref(), owner.key().as_ref()], bump)]
    pub seat_record: UncheckedAccount<'info>,
    /// CHECK: `["owner_holds", credit_mint, owner]` (address checked in the handler); may not
    /// exist.
    pub owner_holds: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl ClaimSeat<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = &ctx.accounts;
        let owner = a.owner.key();
        let credit_mint = a.market.load()?.credit_mint;
        let (holds, holds_bump) = Pubkey::find_program_address(
            &[OWNER_HOLDS_SEED, credit_mint.as_ref(), owner.as_ref()],
            &crate::ID,
        );
        require_keys_eq!(a.owner_holds.key(), holds, CreditsError::WrongHoldAccount);
        let held = owner_is_held(&a.owner_holds.to_account_info(), &owner, &credit_mint)?;

        let seat = super::loan_seat::append_seat(
            &a.market,
            &a.seat_record.to_account_info(),
            ctx.bumps.seat_record,
            &owner,
            &a.owner.to_account_info(),
            &a.system_program.to_account_info(),
        )?;
        let info = a.market.to_account_info();
        let mut data = info.try_borrow_mut_data()?;
        let (_, seats) = split_market(&mut data)?;
        let s = &mut seats[seat as usize];
        set_seat_holds_bump(s, holds_bump);
        if held {
            set_seat_frozen(s, true);
        }
        Ok(())
    }
}
