use anchor_lang::prelude::*;

use crate::constants::{BOOK_CAPACITY, MAX_SEATS};

/// The book a market holds: `credit_math::book::Book<BOOK_CAPACITY>` (bids and asks, 256 orders
/// each, sorted worst to best), stored as bytes so the account layout stays plain data.
pub type MarketBook = credit_math::book::Book<BOOK_CAPACITY>;
/// `size_of::<MarketBook>()`, spelled as a literal so the IDL can state the array length.
pub const BOOK_BYTES: usize = 32_792;
const _: () = assert!(std::mem::size_of::<MarketBook>() == BOOK_BYTES);
const _: () = assert!(MAX_SEATS == 64);

/// A trader's balances in one market: what its resting orders lock, and what it may withdraw.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seat {
    pub owner: Pubkey,
    pub base_free: u64,
    pub quote_free: u64,
    pub base_locked: u64,
    pub quote_locked: u64,
}

impl Seat {
    pub fn is_empty(&self) -> bool {
        self.base_free == 0 && self.quote_free == 0 && self.base_locked == 0 && self.quote_locked == 0
    }
}

/// An order book market of one credit class against its quote mint. Zero-copy and created by
/// the client at its full size (about 37 KiB, beyond what a CPI may allocate), then
/// initialised by `create_market`. Its vaults belong to `["market_authority", market]`.
///
/// Prices are in ticks (`tick_size` quote atoms per lot), sizes in lots (`lot_size` credit
/// atoms). Resting orders name their trader by seat index (`owner[0..2]`, little endian).
#[account(zero_copy)]
#[derive(Debug)]
pub struct Market {
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub quote_mint: Pubkey,
    pub base_vault: Pubkey,
    pub quote_vault: Pubkey,
    /// `["market_authority", market]`, owner of the vaults: stored so instructions compare a
    /// key instead of re-deriving the address (1,500 CU).
    pub market_authority: Pubkey,
    pub lot_size: u64,
    pub tick_size: u64,
    pub min_lots: u64,
    /// Fees collected, in quote atoms (sent to the treasury as they are charged).
    pub fees_collected: u64,
    pub maker_fee_bps: u16,
    pub taker_fee_bps: u16,
    pub seat_count: u16,
    pub paused: u8,
    pub authority_bump: u8,
    /// The mints' decimals, recorded at creation so instructions need not deserialise mints.
    pub credit_decimals: u8,
    pub quote_decimals: u8,
    pub _padding: [u8; 6],
    pub seats: [Seat; 64],
    /// `MarketBook` bytes; read through `Market::book`.
    pub book: [u8; 32_792],
}

impl Market {
    pub const SPACE: usize = 8 + std::mem::size_of::<Market>();

    pub fn book(&self) -> &MarketBook {
        bytemuck::from_bytes(&self.book)
    }

    pub fn book_mut(&mut self) -> &mut MarketBook {
        bytemuck::from_bytes_mut(&mut self.book)
    }

    pub fn seat_of(&self, owner: &Pubkey) -> Option<usize> {
        self.seats[..usize::from(self.seat_count)].iter().position(|s| s.owner == *owner)
    }

    /// The trader's seat, taking a new one on first use. When all are taken, a seat with
    /// nothing in it (no balance, so no resting order names it) is handed over.
    pub fn seat_or_new(&mut self, owner: &Pubkey) -> Result<usize> {
        if let Some(i) = self.seat_of(owner) {
            return Ok(i);
        }
        let i = if usize::from(self.seat_count) < MAX_SEATS {
            self.seat_count += 1;
            usize::from(self.seat_count) - 1
        } else {
            self.seats
                .iter()
                .position(Seat::is_empty)
                .ok_or_else(|| error!(crate::error::CreditsError::SeatsFull))?
        };
        self.seats[i] = Seat { owner: *owner, ..Default::default() };
        Ok(i)
    }
}

/// The seat index a resting order carries as its owner.
pub fn seat_tag(seat: usize) -> [u8; 32] {
    let mut tag = [0u8; 32];
    tag[..2].copy_from_slice(&(seat as u16).to_le_bytes());
    tag
}

pub fn seat_of_tag(tag: &[u8; 32]) -> usize {
    usize::from(u16::from_le_bytes([tag[0], tag[1]]))
}

/// The one market of a (credit class, quote mint) pair (`["market", class, quote_mint]`):
/// created with the market, so a second market for the same pair is refused.
#[account]
#[derive(InitSpace)]
pub struct MarketRegistration {
    pub market: Pubkey,
    pub bump: u8,
}
