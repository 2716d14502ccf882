//! Events decoded from a transaction's logs: `credit_client::events` (the harness re-exports
//! it). Only the `.so` records program logs: natively the program is a builtin and its
//! transactions carry none.
pub use credit_client::events::*;
