//! One file per instruction: its accounts, their checks, and the handler.
pub mod channel;
pub mod credits;
pub mod loans;
pub mod market_v2;
pub mod oracle;
pub mod platform;

pub use channel::*;
pub use credits::*;
pub use loans::*;
pub use market_v2::*;
pub use oracle::*;
pub use platform::*;
