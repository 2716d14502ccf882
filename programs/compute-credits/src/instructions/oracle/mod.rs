pub mod add_publisher;
pub mod configure_price_feed;
pub mod create_price_feed;
pub mod refresh_pyth_price;
pub mod resolve_circuit_breaker;
pub mod set_class_price_feed;
pub mod submit_price;

pub use add_publisher::*;
pub use configure_price_feed::*;
pub use create_price_feed::*;
pub use refresh_pyth_price::*;
pub use resolve_circuit_breaker::*;
pub use set_class_price_feed::*;
pub use submit_price::*;
