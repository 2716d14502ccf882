//! Accounts decoded as the chain stores them: Borsh accounts through Anchor, zero-copy
//! accounts by their discriminator and `Pod` layout (copied to an aligned buffer: RPC data sits
//! at any address), and the growable market account with its seats.
use anchor_lang::{AccountDeserialize, Discriminator};
use bytemuck::Pod;
use compute_credits::state::{split_market, BookSideV2, MarketV2};
use credit_math::market::{MarketHeader, Seat};

/// Why an account did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not this program's account of that type (discriminator or owner).
    WrongType(&'static str),
    /// Too short for the type's layout.
    TooShort {
        expected: usize,
        actual: usize,
    },
    Invalid(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::WrongType(t) => write!(f, "not a {t} account"),
            DecodeError::TooShort { expected, actual } => {
                write!(f, "account data too short: {actual} bytes, expected {expected}")
            }
            DecodeError::Invalid(e) => write!(f, "invalid account data: {e}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A Borsh account (Anchor's `#[account]`), discriminator checked.
pub fn borsh<T: AccountDeserialize>(data: &[u8]) -> Result<T, DecodeError> {
    T::try_deserialize(&mut &data[..]).map_err(|e| DecodeError::Invalid(e.to_string()))
}

/// A zero-copy account (`#[account(zero_copy)]`), discriminator checked.
pub fn zero_copy<T: Pod + Discriminator>(data: &[u8]) -> Result<T, DecodeError> {
    let body =
        data.strip_prefix(T::DISCRIMINATOR).ok_or(DecodeError::WrongType(std::any::type_name::<T>()))?;
    let size = std::mem::size_of::<T>();
    if body.len() < size {
        return Err(DecodeError::TooShort { expected: 8 + size, actual: data.len() });
    }
    Ok(bytemuck::pod_read_unaligned(&body[..size]))
}

/// A market account decoded: its fixed part (header, books) and its seats.
pub struct MarketState {
    pub fixed: Box<MarketV2>,
    pub seats: Vec<Seat>,
    /// The account's length (it grows by a seat at a time).
    pub len: usize,
}

impl MarketState {
    pub fn decode(data: &[u8]) -> Result<MarketState, DecodeError> {
        if !data.starts_with(MarketV2::DISCRIMINATOR) {
            return Err(DecodeError::WrongType("market"));
        }
        let len = data.len();
        // the engine reads the books in place: copy the bytes to an 8-aligned buffer first
        let mut aligned = vec![0u64; len.div_ceil(8)];
        let bytes = &mut bytemuck::cast_slice_mut::<u64, u8>(&mut aligned)[..len];
        bytes.copy_from_slice(data);
        let (fixed, seats) = split_market(bytes).map_err(|e| DecodeError::Invalid(e.to_string()))?;
        Ok(MarketState { fixed: Box::new(*fixed), seats: seats.to_vec(), len })
    }

    pub fn header(&self) -> MarketHeader {
        *self.fixed.header()
    }

    pub fn bids(&self) -> Box<BookSideV2> {
        Box::new(*self.fixed.bids())
    }

    pub fn asks(&self) -> Box<BookSideV2> {
        Box::new(*self.fixed.asks())
    }
}

/// The amount of a token account's data (Token and Token-2022 share the first 72 bytes), `None`
/// when it is too short to be one.
pub fn token_account_amount(data: &[u8]) -> Option<u64> {
    data.get(64..72).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
}
