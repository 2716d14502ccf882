//! A loan's seat in a v2 market (`["seat", market, loan]`, owner = the loan PDA): where a
//! liquidation sale's credits and proceeds sit between `sell_collateral` and
//! `settle_loan_sale`. No one can sign for the loan PDA but the program, so only those two
//! instructions move the seat's balances; `Loan::sale_credits` counts the collateral in it.
use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Transfer};
use credit_math::market::Seat;

use crate::constants::SEAT_SEED;
use crate::error::CreditsError;
use crate::events_v2::log_events;
use crate::pda::init_program_account;
use crate::state::{split_market, MarketV2, SeatRecord, SEAT_BYTES};

/// The index a seat record stores (its data after the discriminator).
pub fn recorded_index(record: &AccountInfo) -> Result<Option<u32>> {
    if record.data_is_empty() {
        return Ok(None);
    }
    require_keys_eq!(*record.owner, crate::ID, CreditsError::WrongMarketAccount);
    let data = record.try_borrow_data()?;
    let index = data.get(8..12).ok_or(CreditsError::WrongMarketAccount)?;
    Ok(Some(u32::from_le_bytes([index[0], index[1], index[2], index[3]])))
}

/// The loan's seat (`seat`) of `seats`: it must be the loan PDA's (`NotSeatOwner`).
pub fn loan_seat<'a>(seats: &'a mut [Seat], count: u32, seat: u32, loan: &Pubkey) -> Result<&'a mut Seat> {
    crate::state::owned_seat(seats, count, seat, loan)
}

/// The loan's seat index, claiming it when the loan has none (paid by `payer`, the lender
/// selling).
pub fn get_or_claim<'info>(
    market: &AccountLoader<'info, MarketV2>,
    record: &AccountInfo<'info>,
    record_bump: u8,
    loan: &Pubkey,
    payer: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
) -> Result<u32> {
    if let Some(index) = recorded_index(record)? {
        return Ok(index);
    }
    append_seat(market, record, record_bump, loan, payer, system)
}

/// Appends a seat for `owner`: the seat record is created at `["seat", market, owner]` (its
/// address checked by the caller's seeds constraint; a second one is refused with
/// `AlreadyInitialized`) and the market account grows by one `Seat`, both paid by `payer`.
/// Returns the seat's index. The one way a market gains a seat (`claim_seat`, a loan's sale).
pub fn append_seat<'info>(
    market: &AccountLoader<'info, MarketV2>,
    record: &AccountInfo<'info>,
    record_bump: u8,
    owner: &Pubkey,
    payer: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
) -> Result<u32> {
    let market_key = market.key();
    let info = market.to_account_info();
    let count = market.load()?.header().seat_count;
    let len = MarketV2::space_with(count as usize);
    require!(info.data_len() == len, CreditsError::WrongMarketAccount);
    init_program_account(
        payer,
        record,
        system,
        &[SEAT_SEED, market_key.as_ref(), owner.as_ref(), &[record_bump]],
        8 + SeatRecord::INIT_SPACE,
        &SeatRecord { index: count, bump: record_bump },
    )?;
    let rent = Rent::get()?.minimum_balance(len + SEAT_BYTES).saturating_sub(info.lamports());
    if rent > 0 {
        let to = Transfer { from: payer.clone(), to: info.clone() };
        system_program::transfer(CpiContext::new(system.key(), to), rent)?;
    }
    info.resize(len + SEAT_BYTES)?;
    let mut data = info.try_borrow_mut_data()?;
    let (m, seats) = split_market(&mut data)?;
    let mut events = Vec::with_capacity(1);
    let seat =
        m.engine(seats).claim_seat(owner.to_bytes(), None, &mut events).map_err(super::engine_error)?;
    log_events(&market_key, &events);
    Ok(seat)
}
