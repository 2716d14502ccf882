//! The builders live in `credit_client::ix` (one per instruction) and the PDAs in
//! `credit_client::pda`; the harness re-exports them under the names the suite uses and adds
//! the mutations attack tests apply to a built instruction.
use anchor_lang::prelude::Pubkey;
use solana_sdk::instruction::{AccountMeta, Instruction};

pub use credit_client::ix::credits::*;
pub use credit_client::ix::oracle::*;
pub use credit_client::ix::platform::*;
pub use credit_client::ix::SYSTEM_PROGRAM;
pub use credit_client::pda::{
    approval as approval_pda, class as class_pda, credit_mint as credit_mint_pda,
    freeze_hold as freeze_hold_pda, held_pair, owner_holds as owner_holds_pda, platform as platform_pda,
    price_feed as price_feed_pda, provider as provider_pda,
};

/// Marks `key` as not signing (the "missing signer" attack).
pub fn without_signer(mut ix: Instruction, key: &Pubkey) -> Instruction {
    for m in ix.accounts.iter_mut().filter(|m| m.pubkey == *key) {
        m.is_signer = false;
    }
    ix
}

/// Replaces every occurrence of account `from` by `to` (substitution attacks).
pub fn replace_account(mut ix: Instruction, from: &Pubkey, to: &Pubkey) -> Instruction {
    for m in ix.accounts.iter_mut().filter(|m| m.pubkey == *from) {
        m.pubkey = *to;
    }
    ix
}

/// Replaces the account at `index` (for duplicates where two slots hold the same key).
pub fn replace_at(mut ix: Instruction, index: usize, to: &Pubkey) -> Instruction {
    ix.accounts[index].pubkey = *to;
    ix
}

pub fn with_extra_accounts(mut ix: Instruction, extra: &[AccountMeta]) -> Instruction {
    ix.accounts.extend_from_slice(extra);
    ix
}
