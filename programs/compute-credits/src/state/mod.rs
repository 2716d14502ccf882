//! Account layouts. No CPI and no clock reads here: time and prices come in as arguments.
pub mod credit_class;
pub mod platform;
pub mod provider;

pub use credit_class::*;
pub use platform::*;
pub use provider::*;
