//! Account layouts. No CPI and no clock reads here: time and prices come in as arguments.
pub mod approval;
pub mod channel;
pub mod credit_class;
pub mod holds;
pub mod loan;
pub mod market_v2;
pub mod platform;
pub mod price_feed;
pub mod provider;

pub use approval::*;
pub use channel::*;
pub use credit_class::*;
pub use holds::*;
pub use loan::*;
pub use market_v2::*;
pub use platform::*;
pub use price_feed::*;
pub use provider::*;
