//! One file per instruction: its accounts, their checks, and the handler.
pub mod credits;
pub mod loans;
pub mod oracle;
pub mod platform;

pub use credits::*;
pub use loans::*;
pub use oracle::*;
pub use platform::*;
