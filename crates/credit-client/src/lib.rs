//! The protocol's client over JSON-RPC: the Solana CLI's configuration and conventions
//! (`config`), one pipeline for every transaction (`tx`: compute units from simulation,
//! priority fees, simulate, sign-only, submit), failures explained by name (`errors`), and
//! deployment through the upgradeable loader (`deploy`). The instruction builders, PDAs and
//! account and event decoding move here from the test harness (issue "Reach the program over
//! RPC").
pub mod config;
pub mod deploy;
pub mod errors;
pub mod tx;
