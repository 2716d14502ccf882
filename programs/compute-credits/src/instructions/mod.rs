//! One file per instruction: its accounts, their checks, and the handler.
pub mod credits;
pub mod platform;

pub use credits::*;
pub use platform::*;
