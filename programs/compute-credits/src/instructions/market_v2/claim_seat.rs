use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Transfer};

use crate::constants::{OWNER_HOLDS_SEED, SEAT_SEED};
use crate::error::CreditsError;
use crate::events_v2::log_events;
use crate::pda::init_program_account;
use crate::state::{set_seat_frozen, set_seat_holds_bump, split_market, MarketV2, SeatRecord, SEAT_BYTES};
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
        let (owner, market_key) = (a.owner.key(), a.market.key());
        let (credit_mint, count) = {
            let m = a.market.load()?;
            (m.credit_mint, m.header().seat_count)
        };
        let (holds, holds_bump) = Pubkey::find_program_address(
            &[OWNER_HOLDS_SEED, credit_mint.as_ref(), owner.as_ref()],
            &crate::ID,
        );
        require_keys_eq!(a.owner_holds.key(), holds, CreditsError::WrongHoldAccount);
        let held = owner_is_held(&a.owner_holds.to_account_info(), &owner, &credit_mint)?;

        let info = a.market.to_account_info();
        let len = MarketV2::space_with(count as usize);
        require!(info.data_len() == len, CreditsError::WrongMarketAccount);
        init_program_account(
            &a.owner.to_account_info(),
            &a.seat_record.to_account_info(),
            &a.system_program.to_account_info(),
            &[SEAT_SEED, market_key.as_ref(), owner.as_ref(), &[ctx.bumps.seat_record]],
            8 + SeatRecord::INIT_SPACE,
            &SeatRecord { index: count, bump: ctx.bumps.seat_record },
        )?;
        let rent = Rent::get()?.minimum_balance(len + SEAT_BYTES).saturating_sub(info.lamports());
        if rent > 0 {
            let to = Transfer { from: a.owner.to_account_info(), to: info.clone() };
            system_program::transfer(CpiContext::new(a.system_program.key(), to), rent)?;
        }
        info.resize(len + SEAT_BYTES)?;

        let mut data = info.try_borrow_mut_data()?;
        let (m, seats) = split_market(&mut data)?;
        let mut events = Vec::with_capacity(1);
        let seat =
            m.engine(seats).claim_seat(owner.to_bytes(), None, &mut events).map_err(super::engine_error)?;
        let s = &mut seats[seat as usize];
        set_seat_holds_bump(s, holds_bump);
        if held {
            set_seat_frozen(s, true);
        }
        log_events(&market_key, &events);
        Ok(())
    }
}
