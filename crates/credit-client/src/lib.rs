//! The protocol's client: every instruction's builder (`ix`), every PDA (`pda`), the key
//! bundles of loans and markets (`keys`), accounts decoded as the chain stores them (`state`),
//! events decoded from transaction logs (`events`), and deployment through the upgradeable
//! loader (`deploy`). The CLI, the keeper and the test harness all build on it.
pub mod deploy;
pub mod events;
pub mod ix;
pub mod keys;
pub mod pda;
pub mod read;
pub mod state;

pub use compute_credits::ID as PROGRAM_ID;
pub use keys::{ClassKeys, LoanKeys, MarketKeys};
