//! One builder per instruction: the accounts in the order the program declares them, from
//! Anchor's generated `accounts::` and `instruction::` types, with every derivable address
//! derived here (callers name only what is theirs to choose).
use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::{InstructionData, ToAccountMetas};
use solana_sdk::instruction::Instruction;

pub mod channel;
pub mod credits;
pub mod loans;
pub mod market;
pub mod oracle;
pub mod platform;

pub use channel::*;
pub use credits::*;
pub use loans::*;
pub use market::*;
pub use oracle::*;
pub use platform::*;

pub const SYSTEM_PROGRAM: Pubkey = anchor_lang::system_program::ID;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: compute_credits::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// Appends remaining accounts (a loan's held credit accounts and their hold records).
fn with_remaining(mut ix: Instruction, extra: &[AccountMeta]) -> Instruction {
    ix.accounts.extend_from_slice(extra);
    ix
}
