//! Market v2's account (docs/market-v2.md): one account that grows. A fixed part (the keys,
//! the engine's `MarketHeader`, two book sides of `V2_BOOK_CAPACITY` orders), then a table of
//! `Seat`s that `claim_seat` grows by one per trader. The pure state machine
//! (`credit_math::market`) runs on these bytes in place.
use anchor_lang::prelude::*;
use credit_math::market::{BookSide, MarketHeader, MarketMut, MatchLimits, Seat};

use crate::error::CreditsError;

/// Orders per side of a v2 book.
pub const V2_BOOK_CAPACITY: usize = 256;
/// One side of a v2 book, as the engine sees it.
pub type BookSideV2 = BookSide<V2_BOOK_CAPACITY>;
/// `BookSideV2::SIZE`, spelled as a literal so the IDL can state the array length.
pub const BOOK_SIDE_BYTES: usize = 10_248;
/// `size_of::<MarketHeader>()`, spelled as a literal for the IDL.
pub const ENGINE_HEADER_BYTES: usize = 80;
/// Bytes a seat adds to the account.
pub const SEAT_BYTES: usize = 72;
/// How far one match may go: fills, and removals of expired or own orders met on the way.
pub const V2_MATCH_LIMITS: MatchLimits = MatchLimits { max_fills: 16, max_removals: 48 };
/// The most resting orders a market may allow one seat (`max_orders_per_seat`): bounds what
/// `cancel_all_orders` and `cancel_frozen_orders_v2` pull in one instruction.
pub const MAX_ORDERS_PER_SEAT_V2: u32 = 64;
/// `Seat::_reserved[SEAT_FROZEN_BYTE]` is 1 while the seat is flagged frozen.
const SEAT_FROZEN_BYTE: usize = 0;
/// `Seat::_reserved[SEAT_HOLDS_BUMP_BYTE]`: the canonical bump of the owner's
/// `["owner_holds", credit_mint, owner]` address, recorded by `claim_seat`, so `withdraw`
/// checks that address with one hash instead of a bump search.
const SEAT_HOLDS_BUMP_BYTE: usize = 1;

const _: () = assert!(BookSideV2::SIZE == BOOK_SIDE_BYTES);
const _: () = assert!(std::mem::size_of::<MarketHeader>() == ENGINE_HEADER_BYTES);
const _: () = assert!(std::mem::size_of::<Seat>() == SEAT_BYTES);

/// A v2 market of one credit class against its quote mint. Created by the client at
/// `MarketV2::SPACE` bytes (beyond what a CPI may allocate) and initialised by
/// `create_market_v2`; `claim_seat` appends one `Seat` (72 bytes) per trader, the trader
/// paying its rent. The vaults belong to `["market_authority", market]`.
#[account(zero_copy)]
#[derive(Debug)]
pub struct MarketV2 {
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub quote_mint: Pubkey,
    pub credit_token_program: Pubkey,
    pub quote_token_program: Pubkey,
    pub base_vault: Pubkey,
    pub quote_vault: Pubkey,
    /// `["market_authority", market]`, owner of the vaults.
    pub market_authority: Pubkey,
    pub paused: u8,
    pub authority_bump: u8,
    pub credit_decimals: u8,
    pub quote_decimals: u8,
    pub _padding: [u8; 4],
    /// The engine's `MarketHeader` (sizes, fees, counters, totals).
    pub engine: [u8; 80],
    /// `BookSideV2` bytes: bids, then asks, each sorted worst to best.
    pub bids: [u8; 10_248],
    pub asks: [u8; 10_248],
}

/// Byte offsets in the account (discriminator included): pinned so clients can read it.
pub const V2_ENGINE_OFFSET: usize = 8 + 264;
pub const V2_BIDS_OFFSET: usize = V2_ENGINE_OFFSET + ENGINE_HEADER_BYTES;
pub const V2_ASKS_OFFSET: usize = V2_BIDS_OFFSET + BOOK_SIDE_BYTES;
/// Where the seat table starts: seat `i` is at `V2_SEATS_OFFSET + 72 i`.
pub const V2_SEATS_OFFSET: usize = V2_ASKS_OFFSET + BOOK_SIDE_BYTES;
/// Offset of `paused` in a `CreditClass` account (discriminator included): the hot
/// instructions read that one byte instead of loading the class.
pub const CLASS_PAUSED_OFFSET: usize = 8 + std::mem::offset_of!(crate::state::CreditClass, paused);

const _: () = assert!(8 + std::mem::offset_of!(MarketV2, engine) == V2_ENGINE_OFFSET);
const _: () = assert!(8 + std::mem::offset_of!(MarketV2, bids) == V2_BIDS_OFFSET);
const _: () = assert!(8 + std::mem::offset_of!(MarketV2, asks) == V2_ASKS_OFFSET);
const _: () = assert!(8 + std::mem::size_of::<MarketV2>() == V2_SEATS_OFFSET);
const _: () = assert!(
    V2_SEATS_OFFSET == 20_848 && V2_ENGINE_OFFSET.is_multiple_of(8) && V2_SEATS_OFFSET.is_multiple_of(8)
);

impl MarketV2 {
    /// The account's size with no seat.
    pub const SPACE: usize = V2_SEATS_OFFSET;

    /// The account's size with `seats` seats.
    pub const fn space_with(seats: usize) -> usize {
        V2_SEATS_OFFSET + SEAT_BYTES * seats
    }

    pub fn header(&self) -> &MarketHeader {
        bytemuck::from_bytes(&self.engine)
    }

    pub fn header_mut(&mut self) -> &mut MarketHeader {
        bytemuck::from_bytes_mut(&mut self.engine)
    }

    pub fn bids(&self) -> &BookSideV2 {
        bytemuck::from_bytes(&self.bids)
    }

    pub fn asks(&self) -> &BookSideV2 {
        bytemuck::from_bytes(&self.asks)
    }

    /// The engine over this fixed part and the seat table `seats`.
    pub fn engine<'a>(&'a mut self, seats: &'a mut [Seat]) -> MarketMut<'a, V2_BOOK_CAPACITY> {
        MarketMut::new(
            bytemuck::from_bytes_mut(&mut self.engine),
            bytemuck::from_bytes_mut(&mut self.bids),
            bytemuck::from_bytes_mut(&mut self.asks),
            seats,
            V2_MATCH_LIMITS,
        )
    }

    pub fn require_open(&self) -> Result<()> {
        require!(self.paused == 0, CreditsError::MarketPaused);
        Ok(())
    }
}

/// The fixed part and the seat table of a v2 market account's bytes (the discriminator and
/// owner were checked by its `AccountLoader`).
pub fn split_market(data: &mut [u8]) -> Result<(&mut MarketV2, &mut [Seat])> {
    require!(data.len() >= V2_SEATS_OFFSET, ErrorCode::AccountDidNotDeserialize);
    let (fixed, seats) = data.split_at_mut(V2_SEATS_OFFSET);
    let whole = seats.len() - seats.len() % SEAT_BYTES;
    let market: &mut MarketV2 = bytemuck::from_bytes_mut(&mut fixed[8..]);
    Ok((market, bytemuck::cast_slice_mut(&mut seats[..whole])))
}

/// The seat `index` of `seats`, which `signer` must own (`NoSeat`, `NotSeatOwner`).
pub fn owned_seat<'a>(
    seats: &'a mut [Seat],
    count: u32,
    index: u32,
    signer: &Pubkey,
) -> Result<&'a mut Seat> {
    require!(index < count && (index as usize) < seats.len(), CreditsError::NoSeat);
    let seat = &mut seats[index as usize];
    require!(seat.owner == *signer.as_array(), CreditsError::NotSeatOwner);
    Ok(seat)
}

pub fn seat_is_frozen(seat: &Seat) -> bool {
    seat._reserved[SEAT_FROZEN_BYTE] != 0
}

pub fn set_seat_frozen(seat: &mut Seat, frozen: bool) {
    seat._reserved[SEAT_FROZEN_BYTE] = u8::from(frozen);
}

/// The canonical bump of the seat owner's `["owner_holds", credit_mint, owner]` address.
pub fn seat_holds_bump(seat: &Seat) -> u8 {
    seat._reserved[SEAT_HOLDS_BUMP_BYTE]
}

pub fn set_seat_holds_bump(seat: &mut Seat, bump: u8) {
    seat._reserved[SEAT_HOLDS_BUMP_BYTE] = bump;
}

/// The class's pause byte, read in place: `class` must be the market's class (`WrongClass`).
pub fn require_class_active(class: &AccountInfo, market: &MarketV2) -> Result<()> {
    require_keys_eq!(*class.key, market.class, CreditsError::WrongClass);
    let data = class.try_borrow_data()?;
    require!(data.get(CLASS_PAUSED_OFFSET) == Some(&0), CreditsError::ClassPaused);
    Ok(())
}

/// The class account a hot instruction names: its key and its bytes (empty when the slot
/// holds the market itself, which is never its own class).
#[derive(Clone, Copy)]
pub struct ClassView<'a> {
    pub key: &'a Pubkey,
    pub data: &'a [u8],
}

/// `require_class_active` over a `ClassView`.
pub fn require_class_view_active(class: ClassView, market: &MarketV2) -> Result<()> {
    require_keys_eq!(*class.key, market.class, CreditsError::WrongClass);
    require!(class.data.get(CLASS_PAUSED_OFFSET) == Some(&0), CreditsError::ClassPaused);
    Ok(())
}

/// Records the one seat of `owner` in a market (`["seat", market, owner]`): a second
/// `claim_seat` by the same owner is refused (`AlreadyInitialized`), so a frozen owner's
/// orders and balance are all in the one seat `cancel_frozen_orders_v2` flags.
#[account]
#[derive(InitSpace)]
pub struct SeatRecord {
    pub index: u32,
    pub bump: u8,
}

/// The one v2 market of a (credit class, quote mint) pair (`["market_v2", class, quote_mint]`).
#[account]
#[derive(InitSpace)]
pub struct MarketV2Registration {
    pub market: Pubkey,
    pub bump: u8,
}
