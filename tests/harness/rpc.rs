//! The harness's JSON-RPC backend: the same `TestContext` API over a real endpoint (the demo's
//! `--url`). Every transaction is simulated first (a refusal comes back with its logs and
//! units, like the bank's metadata), then sent and confirmed, and its logs and units are read
//! back from the ledger. The clock moves only where the endpoint can move it (surfpool's
//! `surfnet_timeTravel`).
use anchor_lang::prelude::Pubkey;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::config::{RpcSimulateTransactionConfig, RpcTransactionConfig};
use solana_rpc_client_api::request::RpcRequest;
use solana_sdk::account::Account;
use solana_sdk::clock::Clock;
use solana_sdk::hash::Hash;
use solana_sdk::instruction::Instruction;
use solana_sdk::rent::Rent;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;

use crate::context::TxResult;

pub struct RpcBackend {
    rpc: RpcClient,
    url: String,
    payer: Keypair,
    last_blockhash: Hash,
}

impl RpcBackend {
    pub async fn connect(url: &str, payer: Keypair) -> Result<RpcBackend, String> {
        let rpc = RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed());
        let last_blockhash = rpc.get_latest_blockhash().await.map_err(|e| format!("{url}: {e}"))?;
        Ok(RpcBackend { rpc, url: url.to_string(), payer, last_blockhash })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn payer(&self) -> &Keypair {
        &self.payer
    }

    pub async fn rent(&self) -> Rent {
        let acc = self.account(&solana_sdk::sysvar::rent::ID).await.expect("the rent sysvar");
        bincode::deserialize(&acc.data).expect("rent sysvar layout")
    }

    pub async fn clock(&self) -> Clock {
        let acc = self.account(&solana_sdk::sysvar::clock::ID).await.expect("the clock sysvar");
        bincode::deserialize(&acc.data).expect("clock sysvar layout")
    }

    pub async fn account(&self, key: &Pubkey) -> Option<Account> {
        self.rpc
            .get_account_with_commitment(key, CommitmentConfig::confirmed())
            .await
            .unwrap_or_else(|e| panic!("getAccountInfo {key} on {}: {e}", self.url))
            .value
    }

    /// Waits for a blockhash newer than the last transaction's (so an identical transaction
    /// is not a duplicate).
    pub async fn next_blockhash(&mut self) {
        for _ in 0..100 {
            let h = self.rpc.get_latest_blockhash().await.expect("blockhash");
            if h != self.last_blockhash {
                self.last_blockhash = h;
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("{}: no new blockhash in 10 s", self.url);
    }

    /// Moves the cluster's clock `secs` forward: surfpool's `surfnet_timeTravel` cheatcode.
    pub async fn advance_clock(&mut self, secs: i64) {
        let target_ms = (self.clock().await.unix_timestamp + secs) * 1_000;
        let params = serde_json::json!([{ "absoluteTimestamp": target_ms }]);
        let moved: Result<serde_json::Value, _> =
            self.rpc.send(RpcRequest::Custom { method: "surfnet_timeTravel" }, params).await;
        if let Err(e) = moved {
            panic!(
                "{} cannot move its clock ({e}): the steps that wait for a due date need a local \
                 network with time travel (`cargo run -p app -- localnet`)",
                self.url
            );
        }
        self.next_blockhash().await;
    }

    /// Simulates, then sends and confirms; a refusal is returned with the simulation's logs.
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        let required: Vec<Pubkey> =
            ixs.iter().flat_map(|ix| ix.accounts.iter().filter(|m| m.is_signer).map(|m| m.pubkey)).collect();
        let mut all: Vec<&Keypair> = vec![&self.payer];
        all.extend(
            signers
                .iter()
                .copied()
                .filter(|k| k.pubkey() != self.payer.pubkey() && required.contains(&k.pubkey())),
        );
        let blockhash = self.rpc.get_latest_blockhash().await.expect("blockhash");
        self.last_blockhash = blockhash;
        let tx = Transaction::new_signed_with_payer(ixs, Some(&self.payer.pubkey()), &all, blockhash);
        let tx_bytes = bincode::serialized_size(&tx).expect("size") as usize;
        let account_count = tx.message.account_keys.len();
        let config = RpcSimulateTransactionConfig {
            sig_verify: true,
            commitment: Some(CommitmentConfig::confirmed()),
            ..RpcSimulateTransactionConfig::default()
        };
        let sim =
            self.rpc.simulate_transaction_with_config(&tx, config).await.expect("simulateTransaction").value;
        if let Some(err) = sim.err {
            return TxResult {
                result: Err(err.into()),
                compute_units: sim.units_consumed.unwrap_or(0),
                logs: sim.logs.unwrap_or_default(),
                tx_bytes,
                account_count,
            };
        }
        let signature = match self.rpc.send_and_confirm_transaction(&tx).await {
            Ok(s) => s,
            Err(e) => match e.get_transaction_error() {
                Some(err) => {
                    return TxResult {
                        result: Err(err),
                        compute_units: 0,
                        logs: vec![],
                        tx_bytes,
                        account_count,
                    }
                }
                None => panic!("sending to {}: {e}", self.url),
            },
        };
        let config = RpcTransactionConfig {
            encoding: None,
            commitment: Some(CommitmentConfig::confirmed()),
            max_supported_transaction_version: Some(0),
        };
        let meta = self
            .rpc
            .get_transaction_with_config(&signature, config)
            .await
            .unwrap_or_else(|e| panic!("getTransaction {signature}: {e}"))
            .transaction
            .meta
            .expect("transaction metadata");
        let logs: Option<Vec<String>> = meta.log_messages.into();
        let units: Option<u64> = meta.compute_units_consumed.into();
        TxResult {
            result: Ok(()),
            compute_units: units.unwrap_or(0),
            logs: logs.unwrap_or_default(),
            tx_bytes,
            account_count,
        }
    }
}
