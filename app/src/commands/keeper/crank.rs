//! One crank: simulated first, reading back the accounts it writes; sent (through the one
//! transaction pipeline, with the simulated units plus the margin as its limit) only when the
//! simulation succeeds and changes something. A crank another keeper (or this one, before a
//! dropped connection) already sent changes nothing now and is not sent again.
use anchor_lang::prelude::Pubkey;
use credit_client::tx::{
    limit_with_margin, with_budget, Budget, ComputeUnitLimit, Options, Outcome, Pipeline, TxError,
    MAX_COMPUTE_UNIT_LIMIT,
};
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::account::Account;
use solana_sdk::instruction::Instruction;
use solana_sdk::message::Message;
use solana_sdk::signature::Signer;
use solana_sdk::transaction::Transaction;

use super::retry::Failure;

/// An instruction the keeper may send, and what it is about.
pub struct Crank {
    /// The instruction's name (`update_loan`, `refresh_pyth_price`, ...).
    pub action: &'static str,
    /// The account it acts on (a loan, a feed, a market).
    pub address: Pubkey,
    /// What it would do, for the log (`Current -> Defaulted`).
    pub note: String,
    pub ix: Instruction,
}

/// What became of a crank.
pub enum Done {
    /// Sent (or with `--simulate`, simulated).
    Sent(Box<Outcome>),
    /// The simulation succeeded but wrote nothing new: not sent.
    Unchanged,
    /// The simulation failed: not sent. The error by name.
    Refused(String),
    /// Sent, and it failed on chain. The error by name.
    Failed(String),
}

/// The accounts `ix` writes.
fn written(ix: &Instruction) -> Vec<Pubkey> {
    let mut keys: Vec<Pubkey> = vec![];
    for m in ix.accounts.iter().filter(|m| m.is_writable) {
        if !keys.contains(&m.pubkey) {
            keys.push(m.pubkey);
        }
    }
    keys
}

/// True when the simulation left every account as it was (an account the node did not return
/// was not written: surfpool returns only the accounts a transaction wrote).
pub fn unchanged(before: &[Option<Account>], after: &[Option<Account>]) -> bool {
    before.iter().zip(after).all(|(b, a)| match (b, a) {
        (_, None) => true,
        (Some(b), Some(a)) => b.data == a.data && b.owner == a.owner,
        (None, Some(_)) => false,
    })
}

/// Simulates `crank` and sends it if it would change something.
pub fn run(rpc: &RpcClient, payer: &dyn Signer, options: &Options, crank: &Crank) -> Result<Done, Failure> {
    let addresses = written(&crank.ix);
    let before = rpc.get_multiple_accounts(&addresses).map_err(|e| Failure::Rpc(e.to_string()))?;
    // simulated as it will be sent: with both compute-budget instructions
    let probe = Budget { compute_unit_limit: Some(MAX_COMPUTE_UNIT_LIMIT), micro_lamports: Some(1) };
    let message = Message::new(&with_budget(std::slice::from_ref(&crank.ix), probe), Some(&payer.pubkey()));
    let pipeline = Pipeline::new(rpc, payer, options.clone());
    let (simulated, after) = match pipeline.simulate_reading(&Transaction::new_unsigned(message), &addresses)
    {
        Ok(s) => s,
        Err(TxError::Failed(e)) => return Ok(Done::Refused(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    if unchanged(&before, &after) {
        return Ok(Done::Unchanged);
    }
    let mut options = options.clone();
    if options.compute_unit_limit == ComputeUnitLimit::Simulate {
        if let Some(units) = simulated.units_consumed {
            options.compute_unit_limit = ComputeUnitLimit::Fixed(limit_with_margin(units));
        }
    }
    match Pipeline::new(rpc, payer, options).run(std::slice::from_ref(&crank.ix), &[]) {
        Ok(outcome) => Ok(Done::Sent(Box::new(outcome))),
        Err(TxError::Failed(e)) => Ok(Done::Failed(e.to_string())),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(data: &[u8]) -> Option<Account> {
        Some(Account { data: data.to_vec(), owner: compute_credits::ID, ..Account::default() })
    }

    #[test]
    fn a_crank_that_writes_the_same_bytes_changes_nothing() {
        assert!(unchanged(&[acc(&[1, 2])], &[acc(&[1, 2])]));
        assert!(unchanged(&[acc(&[1, 2])], &[None]), "not returned: not written");
        assert!(!unchanged(&[acc(&[1, 2])], &[acc(&[1, 3])]));
        assert!(!unchanged(&[None], &[acc(&[0])]), "created");
        assert!(unchanged(&[], &[]));
    }

    #[test]
    fn written_lists_each_writable_account_once() {
        use solana_sdk::instruction::AccountMeta;
        let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
        let ix = Instruction::new_with_bytes(
            compute_credits::ID,
            &[],
            vec![AccountMeta::new(a, false), AccountMeta::new_readonly(b, false), AccountMeta::new(a, false)],
        );
        assert_eq!(written(&ix), vec![a]);
    }
}
