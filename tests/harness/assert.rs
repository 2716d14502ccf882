//! Assertions on transaction outcomes: the named error, and that nothing changed.
use anchor_lang::prelude::Pubkey;
use solana_sdk::{account::Account, instruction::InstructionError, transaction::TransactionError};

use crate::context::{TestContext, TxResult};

/// The custom error code a failed transaction returned, if it was one.
pub fn custom_code(r: &TxResult) -> Option<u32> {
    match &r.result {
        Err(TransactionError::InstructionError(_, InstructionError::Custom(code))) => Some(*code),
        _ => None,
    }
}

/// Asserts the transaction failed with exactly `code` (our `CreditsError`, Anchor's
/// `ErrorCode`, or a token program's numbered error).
#[track_caller]
pub fn assert_error(r: &TxResult, code: impl Into<u32>) {
    let code = code.into();
    assert_eq!(
        custom_code(r),
        Some(code),
        "expected custom error {code}, got {:?}\nlogs: {:#?}",
        r.result,
        r.logs
    );
}

/// Asserts the transaction failed with a non-custom instruction error (e.g. missing signature).
#[track_caller]
pub fn assert_instruction_error(r: &TxResult, expected: InstructionError) {
    match &r.result {
        Err(TransactionError::InstructionError(_, e)) if *e == expected => {}
        other => panic!("expected {expected:?}, got {other:?}\nlogs: {:#?}", r.logs),
    }
}

/// Full copies of accounts, to prove a refused transaction changed nothing.
pub struct Snapshot(Vec<(Pubkey, Option<Account>)>);

impl TestContext {
    pub async fn snapshot(&mut self, keys: &[Pubkey]) -> Snapshot {
        let mut v = Vec::with_capacity(keys.len());
        for k in keys {
            v.push((*k, self.account(*k).await));
        }
        Snapshot(v)
    }

    /// Asserts every account in the snapshot is byte-for-byte and lamport-for-lamport unchanged.
    pub async fn assert_unchanged(&mut self, before: &Snapshot) {
        for (k, acc) in &before.0 {
            let now = self.account(*k).await;
            assert_eq!(&now, acc, "account {k} changed although the transaction was refused");
        }
    }
}

/// Sends `ix` signed by `signers`, asserts our named error `code` (or Anchor's), and that none of
/// `keys` changed: the shape of every attack test.
pub async fn refused(
    ctx: &mut TestContext,
    ix: solana_sdk::instruction::Instruction,
    signers: &[&solana_sdk::signature::Keypair],
    code: impl Into<u32>,
    keys: &[Pubkey],
) {
    let before = ctx.snapshot(keys).await;
    let r = ctx.send(&[ix], signers).await;
    assert_error(&r, code);
    ctx.assert_unchanged(&before).await;
}
