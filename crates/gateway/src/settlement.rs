//! The settlement worker: redeems each channel's metered receipts in batches, with the
//! channel's sequence number, so a batch burns exactly once whatever crashes, restarts, RPC
//! failures and other gateway instances do.
//!
//! Per channel with work ([`Store::channels_to_settle`]), each round:
//! 1. read the channel on chain: its `meter.next_seq` (and the keys to redeem with);
//! 2. a Pending batch with `seq < next_seq` landed (the chain passed it): it is recorded
//!    Settled, nothing is sent; `seq == next_seq`: it is sent again, the same (seq, amount,
//!    usage reference); `seq > next_seq`: reported and left alone (the store and the chain
//!    disagree: an operator's call);
//! 3. with no Pending batch, a new one is made with `next_seq` ([`Store::create_batch`]: the
//!    oldest Final receipts) and sent;
//! 4. sent with `redeem_from_channel` signed by the settlement key alone (it pays the fee):
//!    landed -> Settled with its signature. Any failure -> the chain is read again first: its
//!    number past the batch means it landed after all (a `WrongSequence` after a send whose
//!    confirmation was lost, another instance's identical send): Settled. Otherwise the RPC
//!    failing or the transaction expiring unconfirmed -> left Pending (the next round's read
//!    says whether it landed); the program refusing it for good ([`is_final_refusal`]:
//!    the channel closed or expired, its cap or its vault exhausted) -> Failed (its receipts
//!    stay unpaid, its seq is free again); any other refusal (a paused class, a freeze hold on
//!    the holder, the period cap, a settlement key no longer named) -> left Pending and retried.
//!
//! Why nothing burns twice: the program burns batch `seq` only when it is the channel's next
//! sequence number, and a batch keeps its seq from creation to settlement; the store holds one
//! Pending batch per channel, and a batch is recorded Settled only once the chain's number
//! passed it. Zero-amount batches are never made (see [`Store::create_batch`]): the program
//! refuses `ZeroAmount`, and a receipt of zero cost rides along with the next paying batch.
use std::sync::Arc;
use std::time::Duration;

use compute_credits::error::CreditsError;
use credit_client::errors::Explained;
use credit_client::tx::{ComputeUnitLimit, Mode, Options, Pipeline, PriorityFee, TxError};
use credit_client::{read, ChannelKeys};
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signature, Signer};

use crate::store::{Batch, BatchStatus, Store, StoreError};

/// The settlement worker of one gateway instance (several may run on one PostgreSQL store).
pub struct Settler {
    pub store: Arc<dyn Store>,
    pub rpc_url: String,
    /// The provider's settlement key (`set_settlement_key`), or its authority: signs and pays.
    pub settlement_key: Arc<Keypair>,
    /// The most receipts that cost something in one batch.
    pub max_receipts: u64,
    /// Between rounds of [`Settler::run`].
    pub interval: Duration,
    /// The redemptions' priority fee.
    pub priority_fee: PriorityFee,
    /// Holds older than this are a crashed gateway's requests: released each round.
    pub stale_hold: Duration,
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettleReport {
    /// Recorded Settled this round: sent and landed (with the signature), or found landed
    /// (without: an earlier send whose confirmation was lost, or another instance's).
    pub settled: Vec<Batch>,
    /// Refused for good by the program, with the error by name.
    pub failed: Vec<(Batch, String)>,
    /// Sent (or not) and still Pending, with why: the next round resolves them.
    pub pending: Vec<(Batch, String)>,
    /// Channels not handled this round, with why (e.g. the RPC could not be read).
    pub errors: Vec<(Pubkey, String)>,
    /// Stale holds released (requests of a gateway that crashed mid-request).
    pub released: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SettleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the settlement task failed: {0}")]
    Task(String),
}

/// A channel as the chain has it now.
#[derive(Clone, Copy, Debug)]
pub struct ChainChannel {
    pub next_seq: u64,
    pub keys: ChannelKeys,
}

/// A refusal of our program that no retry can change: the channel stopped (closed, released or
/// expired), its lifetime cap is reached, its vault holds less, or the amount is zero. The
/// period cap passes with the period, a pause or freeze hold can be lifted, a wrong sequence
/// number is resolved by reading the chain: those are not final.
pub fn is_final_refusal(e: &Explained) -> bool {
    let ours = e.program == Some(compute_credits::ID);
    let final_names = [
        CreditsError::ChannelClosed,
        CreditsError::ChannelExpired,
        CreditsError::ChannelCapExceeded,
        CreditsError::ChannelBalanceExceeded,
        CreditsError::ZeroAmount,
    ];
    ours && final_names.iter().any(|n| n.name() == e.name)
}

fn short(e: &Explained) -> String {
    format!("{}: {}", e.name, e.message)
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, SettleError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| SettleError::Task(e.to_string()))
}

impl Settler {
    /// A worker with the defaults: 100 receipts a batch, a round every 10 s, `auto` fee.
    pub fn new(store: Arc<dyn Store>, rpc_url: impl Into<String>, settlement_key: Arc<Keypair>) -> Settler {
        Settler {
            store,
            rpc_url: rpc_url.into(),
            settlement_key,
            max_receipts: 100,
            interval: Duration::from_secs(10),
            priority_fee: PriorityFee::Auto,
            stale_hold: Duration::from_secs(900),
        }
    }

    fn rpc(url: &str) -> RpcClient {
        RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed())
    }

    /// Reads `channel` and its class: the next sequence number and the keys to redeem with.
    pub async fn chain_channel(&self, channel: Pubkey) -> Result<ChainChannel, SettleError> {
        let url = self.rpc_url.clone();
        blocking(move || -> Result<ChainChannel, String> {
            let rpc = Self::rpc(&url);
            let state = read::channel(&rpc, &channel).map_err(|e| format!("reading the channel: {e}"))?;
            let class = read::class(&rpc, &state.class).map_err(|e| format!("reading its class: {e}"))?;
            Ok(ChainChannel {
                next_seq: state.meter.next_seq,
                keys: ChannelKeys::from_state(channel, &state, &class),
            })
        })
        .await?
        .map_err(SettleError::Task)
    }

    /// Sends `batch` as `redeem_from_channel` and waits for it to land; records nothing (the
    /// caller settles it). Public for tests that stop between the send and the record.
    pub async fn send_batch(
        &self,
        keys: ChannelKeys,
        batch: &Batch,
    ) -> Result<Result<Signature, TxError>, SettleError> {
        let (url, key, fee) = (self.rpc_url.clone(), self.settlement_key.clone(), self.priority_fee);
        let (seq, amount, reference) = (batch.seq, batch.amount.0, batch.usage_reference);
        blocking(move || {
            let rpc = Self::rpc(&url);
            let ix =
                credit_client::ix::channel::redeem_from_channel(&keys, &key.pubkey(), seq, amount, reference);
            let options = Options {
                commitment: CommitmentConfig::confirmed(),
                compute_unit_limit: ComputeUnitLimit::Simulate,
                priority_fee: fee,
                mode: Mode::Send,
                blockhash: None,
            };
            let outcome = Pipeline::new(&rpc, &*key, options).run(&[ix], &[])?;
            outcome.signature().ok_or_else(|| TxError::Invalid("sent, but no signature came back".into()))
        })
        .await
    }

    /// Records `batch` Settled (and reports it); if it is no longer Pending, another instance
    /// recorded it first and nothing is reported.
    async fn record_settled(
        &self,
        batch: &Batch,
        signature: Option<String>,
        report: &mut SettleReport,
    ) -> Result<(), SettleError> {
        match self.store.settle_batch(&batch.channel, batch.seq, signature.as_deref()).await {
            Ok(()) => {
                report.settled.push(Batch { status: BatchStatus::Settled, signature, ..batch.clone() });
                Ok(())
            }
            Err(StoreError::NotFound(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// One round over every channel with work at time `now` (the batches' creation time).
    pub async fn settle_once(&self, now: i64) -> Result<SettleReport, SettleError> {
        let mut report = SettleReport::default();
        let stale = now.saturating_sub(i64::try_from(self.stale_hold.as_secs()).unwrap_or(i64::MAX));
        report.released = self.store.void_stale(stale, now).await?;
        for channel in self.store.channels_to_settle().await? {
            if let Err(e) = self.settle_channel(channel, now, &mut report).await {
                match e {
                    SettleError::Task(why) => report.errors.push((channel, why)),
                    store_failure => return Err(store_failure),
                }
            }
        }
        Ok(report)
    }

    async fn settle_channel(
        &self,
        channel: Pubkey,
        now: i64,
        report: &mut SettleReport,
    ) -> Result<(), SettleError> {
        let chain = self.chain_channel(channel).await?;
        let batch = match self.store.pending_batch(&channel).await? {
            Some(b) if b.seq < chain.next_seq => return self.record_settled(&b, None, report).await,
            Some(b) if b.seq == chain.next_seq => b,
            Some(b) => {
                return Err(SettleError::Task(format!(
                    "pending batch {} is ahead of the chain's next sequence number {}: left alone",
                    b.seq, chain.next_seq
                )))
            }
            None => match self.store.create_batch(&channel, chain.next_seq, self.max_receipts, now).await {
                Ok(Some(b)) => b,
                Ok(None) => return Ok(()),
                // another instance made this batch between our read and our insert: it sends it
                Err(StoreError::Conflict(_)) => return Ok(()),
                Err(e) => return Err(e.into()),
            },
        };
        let failure = match self.send_batch(chain.keys, &batch).await? {
            Ok(signature) => return self.record_settled(&batch, Some(signature.to_string()), report).await,
            Err(e) => e,
        };
        let why = match &failure {
            TxError::Failed(refusal) => short(refusal),
            other => other.to_string(),
        };
        // did it land after all (a send whose confirmation was lost, another instance's)?
        match self.chain_channel(channel).await {
            Ok(again) if again.next_seq > batch.seq => self.record_settled(&batch, None, report).await,
            Ok(_) if matches!(&failure, TxError::Failed(r) if is_final_refusal(r)) => {
                match self.store.fail_batch(&channel, batch.seq, &why).await {
                    Ok(()) => report.failed.push((Batch { status: BatchStatus::Failed, ..batch }, why)),
                    Err(StoreError::NotFound(_)) => {}
                    Err(e) => return Err(e.into()),
                }
                Ok(())
            }
            // a refusal that can pass, the RPC, an expiry unconfirmed: the next round reads it
            Ok(_) => {
                report.pending.push((batch, why));
                Ok(())
            }
            Err(e) => {
                report.pending.push((batch, format!("{why}; then {e}")));
                Ok(())
            }
        }
    }

    /// Rounds every `interval` until `shutdown` turns true (a round in progress finishes).
    pub async fn run(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            // Asked to stop: one last round settles what finished before, then out.
            let stopping = *shutdown.borrow();
            let now = crate::metering::unix_now();
            match self.settle_once(now).await {
                Ok(r) => {
                    for (batch, why) in &r.failed {
                        eprintln!(
                            "settlement: batch {} of channel {} refused for good: {why}",
                            batch.seq, batch.channel
                        );
                    }
                    for (batch, why) in &r.pending {
                        eprintln!(
                            "settlement: batch {} of channel {} still pending: {why}",
                            batch.seq, batch.channel
                        );
                    }
                    for (channel, why) in &r.errors {
                        eprintln!("settlement: channel {channel}: {why}");
                    }
                }
                Err(e) => eprintln!("settlement: {e}"),
            }
            if stopping {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(self.interval) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(program: Pubkey, e: CreditsError) -> Explained {
        Explained {
            instruction: Some(2),
            program: Some(program),
            code: Some(e as u32 + 6000),
            name: e.name(),
            message: e.to_string(),
            logs: vec![],
        }
    }

    #[test]
    fn only_a_stopped_or_exhausted_channel_is_a_refusal_for_good() {
        let ours = compute_credits::ID;
        for e in [
            CreditsError::ChannelClosed,
            CreditsError::ChannelExpired,
            CreditsError::ChannelCapExceeded,
            CreditsError::ChannelBalanceExceeded,
            CreditsError::ZeroAmount,
        ] {
            assert!(is_final_refusal(&refusal(ours, e)), "{e:?}");
            // the same name from another program is not ours
            assert!(!is_final_refusal(&refusal(Pubkey::new_unique(), e)), "{e:?}");
        }
        for e in [
            CreditsError::WrongSequence,
            CreditsError::PeriodCapExceeded,
            CreditsError::ClassPaused,
            CreditsError::OwnerUnderHold,
            CreditsError::NotProvider,
        ] {
            assert!(!is_final_refusal(&refusal(ours, e)), "{e:?}");
        }
    }
}
