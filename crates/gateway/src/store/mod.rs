//! Durable gateway state behind one interface: API keys, receipts (one per request) and
//! settlement batches. SQLite by default; PostgreSQL for several gateway instances sharing
//! channels. Both implementations run the same contract tests (`store::contract`).
//!
//! Every amount is a [`CreditAtoms`]; every channel is its on-chain address.
use credit_math::CreditAtoms;
use solana_sdk::pubkey::Pubkey;

mod common;
#[cfg(test)]
mod contract;
pub mod postgres;
pub mod sqlite;

pub use common::usage_reference;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage: {0}")]
    Backend(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// An API key as stored: only the SHA-256 of the secret is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// Public identifier (shown to the holder, used to revoke).
    pub id: String,
    pub secret_hash: [u8; 32],
    pub channel: Pubkey,
    pub holder: Pubkey,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// Where a receipt is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptStatus {
    /// The worst-case cost is held; the request is in flight.
    Reserved,
    /// The request finished; `cost` is what the holder owes; not yet in a batch.
    Final,
    /// In settlement batch `batch_seq` (pending or settled: see the batch).
    Batched,
    /// Released without charge (the request failed before any output reached the client).
    Void,
}

/// A receipt: one per request, written at reservation and finished with the usage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub id: String,
    pub channel: Pubkey,
    pub key_id: String,
    pub model: String,
    pub status: ReceiptStatus,
    pub reserved: CreditAtoms,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// The usage was counted by the gateway's tokenizer (the upstream reported none).
    pub estimated: bool,
    /// What the holder owes (at most `reserved`); zero until final.
    pub cost: CreditAtoms,
    pub batch_seq: Option<u64>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

/// What a request asks to hold.
#[derive(Clone, Debug)]
pub struct NewReservation {
    pub receipt_id: String,
    pub channel: Pubkey,
    pub key_id: String,
    pub model: String,
    pub amount: CreditAtoms,
    pub now: i64,
}

/// The usage a finished request reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FinalUsage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub estimated: bool,
    /// Already capped at the reservation by the caller.
    pub cost: CreditAtoms,
    pub now: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchStatus {
    /// Created with the channel's next sequence number; the redemption may or may not have
    /// landed. Only one per channel at a time.
    Pending,
    /// The chain's sequence number passed it: burned exactly once.
    Settled,
    /// The program refused it for good (channel stopped, cap): the receipts are unpaid.
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    pub channel: Pubkey,
    pub seq: u64,
    pub amount: CreditAtoms,
    /// SHA-256 over the batch's receipt ids in order: `usage_reference` on chain.
    pub usage_reference: [u8; 32],
    pub status: BatchStatus,
    pub receipts: u64,
    pub created_at: i64,
    pub signature: Option<String>,
}

/// The gateway's durable state. Every method is one atomic transaction in the backend, safe
/// against other gateway instances sharing the same database.
#[async_trait::async_trait]
pub trait Store: Send + Sync {
    /// Creates tables if missing (idempotent).
    async fn migrate(&self) -> StoreResult<()>;

    // --- API keys ---
    /// Records a key-issuing proof (the SHA-256 of the signed message) so it is used once;
    /// `Conflict` if it was used before.
    async fn use_proof(&self, proof_hash: [u8; 32], now: i64) -> StoreResult<()>;
    async fn insert_key(&self, key: &ApiKeyRecord) -> StoreResult<()>;
    async fn key_by_hash(&self, secret_hash: [u8; 32]) -> StoreResult<Option<ApiKeyRecord>>;
    /// Revokes key `id` of `holder`; false if no such unrevoked key of that holder.
    async fn revoke_key(&self, id: &str, holder: &Pubkey, now: i64) -> StoreResult<bool>;
    async fn keys_of_channel(&self, channel: &Pubkey) -> StoreResult<Vec<ApiKeyRecord>>;

    // --- metering ---
    /// Atomically: outstanding(channel, chain_next_seq) + amount <= limit ? insert a Reserved
    /// receipt and return true : return false. Outstanding = amounts of Reserved receipts +
    /// costs of Final receipts + amounts of Pending batches and of Settled batches whose
    /// seq >= `chain_next_seq` (the chain snapshot the limit came from does not reflect them
    /// yet). `limit` is the channel's on-chain headroom in that snapshot.
    async fn reserve(&self, r: &NewReservation, limit: CreditAtoms, chain_next_seq: u64)
        -> StoreResult<bool>;
    /// The outstanding amount `reserve` compares with its limit (same rule, same snapshot).
    async fn outstanding(&self, channel: &Pubkey, chain_next_seq: u64) -> StoreResult<CreditAtoms>;
    /// Reserved -> Final with the usage; `NotFound` unless the receipt is Reserved.
    async fn finish(&self, receipt_id: &str, usage: &FinalUsage) -> StoreResult<()>;
    /// Reserved -> Void (nothing reached the client).
    async fn void(&self, receipt_id: &str, now: i64) -> StoreResult<()>;
    /// Reserved -> Void for every hold made before `created_before` (a request that cannot be
    /// in flight any more: its gateway crashed mid-request); returns how many. Their usage is
    /// unknown, so the holder is not charged.
    async fn void_stale(&self, created_before: i64, now: i64) -> StoreResult<u64>;
    async fn receipt(&self, receipt_id: &str) -> StoreResult<Option<Receipt>>;
    async fn receipts_of_channel(&self, channel: &Pubkey) -> StoreResult<Vec<Receipt>>;

    // --- settlement ---
    /// Channels with Final receipts that cost something, or a Pending batch.
    async fn channels_to_settle(&self) -> StoreResult<Vec<Pubkey>>;
    async fn pending_batch(&self, channel: &Pubkey) -> StoreResult<Option<Batch>>;
    /// Atomically, if the channel has no Pending batch and has Final receipts: moves them all
    /// (oldest first, up to `max_receipts`) into a new Pending batch with `seq` and returns
    /// it; None if there is nothing to batch. `Conflict` if a batch with that (channel, seq)
    /// exists (another instance made it).
    ///
    /// A batch never amounts to zero (the program refuses `ZeroAmount`): `max_receipts` counts
    /// the receipts that cost something; Final receipts of zero cost ride along with the next
    /// batch (they are in its usage reference and its count), and alone they make no batch.
    /// A Failed batch gave its `seq` back (it never burned): a new batch may carry it.
    /// `usage_reference` is [`usage_reference`] of the receipt ids in batch order.
    async fn create_batch(
        &self,
        channel: &Pubkey,
        seq: u64,
        max_receipts: u64,
        now: i64,
    ) -> StoreResult<Option<Batch>>;
    /// Pending -> Settled (with the transaction signature when known).
    async fn settle_batch(&self, channel: &Pubkey, seq: u64, signature: Option<&str>) -> StoreResult<()>;
    /// Pending -> Failed.
    async fn fail_batch(&self, channel: &Pubkey, seq: u64, reason: &str) -> StoreResult<()>;
    async fn batches_of_channel(&self, channel: &Pubkey) -> StoreResult<Vec<Batch>>;
}
