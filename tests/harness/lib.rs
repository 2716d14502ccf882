//! The reusable program-test harness (after OpenBook v2's `tests/program_test/`).
//!
//! `TestContext` starts solana-program-test with our program and the real SPL Token,
//! Token-2022 and ATA programs that program-test bundles, natively (`processor!`) or from the
//! SBF `.so` (`CREDITS_TEST_MODE=sbf`). The integration suite, the CLI demo and the compute-unit
//! benchmark all drive the program through it.

// program-test 3.x marks its API "unstable" via deprecation notes; it is the API we test with.
#![allow(deprecated)]

pub mod assert;
pub mod bench;
pub mod bench_channel;
pub mod bench_loans;
pub mod bench_market_v2;
pub mod builders;
pub mod channel;
pub mod context;
pub mod events;
pub mod fixtures;
pub mod loan_sales;
pub mod loans;
pub mod market;
pub mod market_v2;
pub mod market_v2_ix;
pub mod oracle;
pub mod rpc;
pub mod token;

pub use assert::*;
pub use context::{Mode, TestContext, TxResult};
pub use fixtures::{ClassFixture, PlatformFixture, TokenKind};
