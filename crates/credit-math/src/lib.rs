//! Pure domain logic for tokenized compute credits.
//!
//! No Anchor, no accounts, no floats: the on-chain program, the CLI and the tests share this
//! crate, so every number the program enforces can be reproduced and property-tested off-chain.
//! Rounding is explicit in every name (`_floor`, `_ceil`) and always favours the protocol.
#![deny(unsafe_code)]

pub mod error;
pub mod fixed;
pub mod price;
pub mod quantities;

pub mod book;
pub mod channel;
pub mod coverage;
pub mod holds;
pub mod ledger;
pub mod market;
pub mod median;
pub mod metering;
pub mod pyth;
pub mod recovery;
pub mod schedule;
pub mod underwriting;

pub use error::{MathError, MathResult};
pub use quantities::{Bps, CreditAtoms, QuoteAtoms};
