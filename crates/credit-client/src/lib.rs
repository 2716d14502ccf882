//! The protocol's client: every instruction's builder (`ix`), every PDA (`pda`), the key
//! bundles of loans and markets (`keys`), accounts decoded as the chain stores them (`state`),
//! events decoded from transaction logs (`events`), reads over JSON-RPC (`read`), the Solana
//! CLI's configuration and conventions (`config`), one pipeline for every transaction (`tx`:
//! compute units from simulation, priority fees, simulate, sign-only, submit), failures
//! explained by name (`errors`), deployment through the upgradeable loader (`deploy`), and what
//! a keeper should crank, decided from the accounts (`keeper`), and the protocol's default
//! lending terms (`defaults`), and the sample world's pieces (`sample`). The
//! CLI, the keeper and the test harness all build on it.
pub mod config;
pub mod defaults;
pub mod deploy;
pub mod errors;
pub mod events;
pub mod ix;
pub mod keeper;
pub mod keys;
pub mod pda;
pub mod read;
pub mod sample;
pub mod state;
pub mod tx;

pub use compute_credits::ID as PROGRAM_ID;
pub use keys::{ChannelKeys, ClassKeys, LoanKeys, MarketKeys};

/// An Anchor error as a user reads it: `Name: message` (our program's codes by the IDL's
/// names, Anchor's framework codes by theirs).
pub fn describe_error(e: &anchor_lang::error::Error) -> String {
    match e {
        anchor_lang::error::Error::AnchorError(a) => format!("{}: {}", a.error_name, a.error_msg),
        anchor_lang::error::Error::ProgramError(p) => format!("{}", p.program_error),
    }
}
