pub mod cancel_frozen_orders;
pub mod cancel_order;
pub mod create_market;
pub mod place_order;
pub mod set_market_paused;
pub mod settle_funds;

pub use cancel_frozen_orders::*;
pub use cancel_order::*;
pub use create_market::*;
pub use place_order::*;
pub use set_market_paused::*;
pub use settle_funds::*;
