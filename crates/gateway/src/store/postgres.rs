//! [`Store`] on PostgreSQL: several gateway instances sharing channels.
//!
//! Every method is one transaction (READ COMMITTED). The two that decide from a sum or from
//! the channel's batches, [`Store::reserve`] and [`Store::create_batch`], first lock the
//! channel's row in `channels` (upserted, then `SELECT ... FOR UPDATE`): instances serialize
//! per channel, and each statement after the lock sees every reservation and batch committed
//! before it, so two instances can never both fit a request in the same headroom or both batch
//! the same receipts. Other channels do not wait. The rest are single-row updates guarded by
//! the row's status (`... WHERE status = 'reserved'`), atomic on their own.
//!
//! Connections: a small fixed pool ([`POOL_SIZE`] long-lived clients, each behind an async
//! mutex, reconnected when the server dropped them). A connection per call would put a TCP and
//! authentication handshake on every request's path; an unbounded pool would let a burst of
//! requests exhaust the server's `max_connections`, which every instance shares.
use std::sync::atomic::{AtomicUsize, Ordering};

use credit_math::CreditAtoms;
use solana_sdk::pubkey::Pubkey;
use tokio::sync::{Mutex, MutexGuard};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls, Row, Transaction};

use super::common::{
    batch_status, hash32, join_split_sum, pick_batch, pubkey, receipt_status, split_sums, to_i64, to_u64,
    usage_reference,
};
use super::{
    ApiKeyRecord, Batch, BatchStatus, FinalUsage, NewReservation, Receipt, Store, StoreError, StoreResult,
};

/// Connections per store (per gateway instance).
pub const POOL_SIZE: usize = 4;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS proofs (
    hash BYTEA PRIMARY KEY,
    used_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    secret_hash BYTEA NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    holder TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX IF NOT EXISTS api_keys_channel ON api_keys (channel);
-- one row per channel: what reserve and create_batch lock
CREATE TABLE IF NOT EXISTS channels (
    channel TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS receipts (
    n BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    key_id TEXT NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('reserved', 'final', 'batched', 'void')),
    reserved BIGINT NOT NULL CHECK (reserved >= 0),
    prompt_tokens BIGINT NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    completion_tokens BIGINT NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
    estimated BOOLEAN NOT NULL DEFAULT FALSE,
    cost BIGINT NOT NULL DEFAULT 0 CHECK (cost >= 0 AND cost <= reserved),
    batch_seq BIGINT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX IF NOT EXISTS receipts_channel_status ON receipts (channel, status);
CREATE TABLE IF NOT EXISTS batches (
    n BIGSERIAL PRIMARY KEY,
    channel TEXT NOT NULL,
    seq BIGINT NOT NULL CHECK (seq >= 0),
    amount BIGINT NOT NULL CHECK (amount > 0),
    usage_reference BYTEA NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'settled', 'failed')),
    receipts BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    signature TEXT,
    failure TEXT
);
-- one live batch per (channel, seq): a failed one gave its number back (it never burned)
CREATE UNIQUE INDEX IF NOT EXISTS batches_channel_seq ON batches (channel, seq) WHERE status <> 'failed';
CREATE UNIQUE INDEX IF NOT EXISTS batches_one_pending ON batches (channel) WHERE status = 'pending';
";

/// Serializes concurrent migrations of several instances (`CREATE ... IF NOT EXISTS` races).
const MIGRATION_LOCK: i64 = 0x6761_7465_7761_7901;

fn backend(e: tokio_postgres::Error) -> StoreError {
    StoreError::Backend(match e.as_db_error() {
        Some(db) => format!("PostgreSQL: {} ({})", db.message(), db.code().code()),
        None => format!("PostgreSQL: {e}"),
    })
}

fn conflict_or_backend(e: tokio_postgres::Error, what: impl FnOnce() -> String) -> StoreError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        StoreError::Conflict(what())
    } else {
        backend(e)
    }
}

struct Pool {
    url: String,
    slots: Vec<Mutex<Option<Client>>>,
    next: AtomicUsize,
}

impl Pool {
    async fn connect(url: &str) -> StoreResult<Client> {
        let (client, connection) = tokio_postgres::connect(url, NoTls).await.map_err(backend)?;
        tokio::spawn(async move {
            // ends when the client is dropped or the server goes away (the next get reconnects)
            let _ = connection.await;
        });
        Ok(client)
    }

    /// A free client (or, when all are busy, the next one in turn), connected.
    async fn get(&self) -> StoreResult<MutexGuard<'_, Option<Client>>> {
        let n = self.slots.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let free = (0..n).find_map(|i| self.slots[(start + i) % n].try_lock().ok());
        let mut slot = match free {
            Some(slot) => slot,
            None => self.slots[start % n].lock().await,
        };
        if slot.as_ref().is_none_or(Client::is_closed) {
            *slot = Some(Self::connect(&self.url).await?);
        }
        Ok(slot)
    }
}

/// The gateway's state in a PostgreSQL database, shareable by several instances.
pub struct PostgresStore {
    pool: Pool,
}

macro_rules! begin {
    ($store:expr, $slot:ident, $tx:ident) => {
        let mut $slot = $store.pool.get().await?;
        let client = $slot.as_mut().expect("the pool connects before it lends");
        let $tx = client.transaction().await.map_err(backend)?;
    };
}

const KEY_COLUMNS: &str = "id, secret_hash, channel, holder, created_at, revoked_at";
const RECEIPT_COLUMNS: &str =
    "id, channel, key_id, model, status, reserved, prompt_tokens, completion_tokens, \
     estimated, cost, batch_seq, created_at, finished_at";
const BATCH_COLUMNS: &str = "channel, seq, amount, usage_reference, status, receipts, created_at, signature";

fn key_record(r: &Row) -> StoreResult<ApiKeyRecord> {
    Ok(ApiKeyRecord {
        id: r.get(0),
        secret_hash: hash32("secret hash", r.get::<_, &[u8]>(1))?,
        channel: pubkey(r.get(2))?,
        holder: pubkey(r.get(3))?,
        created_at: r.get(4),
        revoked_at: r.get(5),
    })
}

fn receipt_record(r: &Row) -> StoreResult<Receipt> {
    Ok(Receipt {
        id: r.get(0),
        channel: pubkey(r.get(1))?,
        key_id: r.get(2),
        model: r.get(3),
        status: receipt_status(r.get(4))?,
        reserved: CreditAtoms(to_u64("reserved", r.get(5))?),
        prompt_tokens: to_u64("prompt tokens", r.get(6))?,
        completion_tokens: to_u64("completion tokens", r.get(7))?,
        estimated: r.get(8),
        cost: CreditAtoms(to_u64("cost", r.get(9))?),
        batch_seq: r.get::<_, Option<i64>>(10).map(|s| to_u64("batch seq", s)).transpose()?,
        created_at: r.get(11),
        finished_at: r.get(12),
    })
}

fn batch_record(r: &Row) -> StoreResult<Batch> {
    Ok(Batch {
        channel: pubkey(r.get(0))?,
        seq: to_u64("seq", r.get(1))?,
        amount: CreditAtoms(to_u64("amount", r.get(2))?),
        usage_reference: hash32("usage reference", r.get::<_, &[u8]>(3))?,
        status: batch_status(r.get(4))?,
        receipts: to_u64("receipts", r.get(5))?,
        created_at: r.get(6),
        signature: r.get(7),
    })
}

/// Takes the channel's lock for the rest of the transaction (the row is made on first use).
async fn lock_channel(tx: &Transaction<'_>, channel: &str) -> StoreResult<()> {
    tx.execute("INSERT INTO channels (channel) VALUES ($1) ON CONFLICT DO NOTHING", &[&channel])
        .await
        .map_err(backend)?;
    tx.query_one("SELECT channel FROM channels WHERE channel = $1 FOR UPDATE", &[&channel])
        .await
        .map_err(backend)?;
    Ok(())
}

async fn outstanding(tx: &Transaction<'_>, channel: &str, chain_next_seq: i64) -> StoreResult<u128> {
    // SUM(bigint) is numeric in PostgreSQL: cast back (each split sum fits, see split_sums)
    let sql = format!(
        "SELECT {} FROM (
            SELECT reserved AS x FROM receipts WHERE channel = $1 AND status = 'reserved'
            UNION ALL SELECT cost FROM receipts WHERE channel = $1 AND status = 'final'
            UNION ALL SELECT amount FROM batches WHERE channel = $1
                AND (status = 'pending' OR (status = 'settled' AND seq >= $2))) AS owed",
        split_sums("::BIGINT")
    );
    let row = tx.query_one(&sql, &[&channel, &chain_next_seq]).await.map_err(backend)?;
    join_split_sum(row.get(0), row.get(1))
}

impl PostgresStore {
    /// Connects to `url` (a libpq-style `host=... user=... dbname=...` string or a
    /// `postgresql://` URL; no TLS: keep the database on the gateway's host or private network).
    /// Tables are made by [`Store::migrate`].
    pub async fn connect(url: &str) -> StoreResult<PostgresStore> {
        let first = Pool::connect(url).await?;
        let mut slots = vec![Mutex::new(Some(first))];
        slots.extend((1..POOL_SIZE).map(|_| Mutex::new(None)));
        Ok(PostgresStore { pool: Pool { url: url.to_string(), slots, next: AtomicUsize::new(0) } })
    }
}

#[async_trait::async_trait]
impl Store for PostgresStore {
    async fn migrate(&self) -> StoreResult<()> {
        begin!(self, slot, tx);
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(backend)?;
        tx.batch_execute(SCHEMA).await.map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn use_proof(&self, proof_hash: [u8; 32], now: i64) -> StoreResult<()> {
        begin!(self, slot, tx);
        tx.execute("INSERT INTO proofs (hash, used_at) VALUES ($1, $2)", &[&&proof_hash[..], &now])
            .await
            .map_err(|e| conflict_or_backend(e, || "this proof was used before".into()))?;
        tx.commit().await.map_err(backend)
    }

    async fn insert_key(&self, k: &ApiKeyRecord) -> StoreResult<()> {
        begin!(self, slot, tx);
        tx.execute(
            "INSERT INTO api_keys (id, secret_hash, channel, holder, created_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &k.id,
                &&k.secret_hash[..],
                &k.channel.to_string(),
                &k.holder.to_string(),
                &k.created_at,
                &k.revoked_at,
            ],
        )
        .await
        .map_err(|e| conflict_or_backend(e, || format!("key {} (or its secret) exists", k.id)))?;
        tx.commit().await.map_err(backend)
    }

    async fn key_by_hash(&self, secret_hash: [u8; 32]) -> StoreResult<Option<ApiKeyRecord>> {
        begin!(self, slot, tx);
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE secret_hash = $1");
        let row = tx.query_opt(&sql, &[&&secret_hash[..]]).await.map_err(backend)?;
        let key = row.as_ref().map(key_record).transpose()?;
        tx.commit().await.map_err(backend)?;
        Ok(key)
    }

    async fn revoke_key(&self, id: &str, holder: &Pubkey, now: i64) -> StoreResult<bool> {
        begin!(self, slot, tx);
        let n = tx
            .execute(
                "UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND holder = $2 AND revoked_at IS NULL",
                &[&id, &holder.to_string(), &now],
            )
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(n == 1)
    }

    async fn keys_of_channel(&self, channel: &Pubkey) -> StoreResult<Vec<ApiKeyRecord>> {
        begin!(self, slot, tx);
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE channel = $1 ORDER BY created_at, id");
        let rows = tx.query(&sql, &[&channel.to_string()]).await.map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        rows.iter().map(key_record).collect()
    }

    async fn reserve(
        &self,
        r: &NewReservation,
        limit: CreditAtoms,
        chain_next_seq: u64,
    ) -> StoreResult<bool> {
        let amount = to_i64("reservation", r.amount.0)?;
        let next = to_i64("chain sequence number", chain_next_seq)?;
        let channel = r.channel.to_string();
        begin!(self, slot, tx);
        lock_channel(&tx, &channel).await?;
        let owed = outstanding(&tx, &channel, next).await?;
        if owed + u128::from(r.amount.0) > u128::from(limit.0) {
            tx.commit().await.map_err(backend)?;
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO receipts (id, channel, key_id, model, status, reserved, created_at)
             VALUES ($1, $2, $3, $4, 'reserved', $5, $6)",
            &[&r.receipt_id, &channel, &r.key_id, &r.model, &amount, &r.now],
        )
        .await
        .map_err(|e| conflict_or_backend(e, || format!("receipt {} exists", r.receipt_id)))?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn outstanding(&self, channel: &Pubkey, chain_next_seq: u64) -> StoreResult<CreditAtoms> {
        let next = to_i64("chain sequence number", chain_next_seq)?;
        let channel = channel.to_string();
        begin!(self, slot, tx);
        let owed = outstanding(&tx, &channel, next).await?;
        tx.commit().await.map_err(backend)?;
        u64::try_from(owed).map(CreditAtoms).map_err(|_| StoreError::Backend("outstanding beyond u64".into()))
    }

    async fn finish(&self, receipt_id: &str, u: &FinalUsage) -> StoreResult<()> {
        let (prompt, completion) =
            (to_i64("prompt tokens", u.prompt_tokens)?, to_i64("completion tokens", u.completion_tokens)?);
        let cost = to_i64("cost", u.cost.0)?;
        begin!(self, slot, tx);
        let row = tx
            .query_opt(
                "SELECT reserved FROM receipts WHERE id = $1 AND status = 'reserved' FOR UPDATE",
                &[&receipt_id],
            )
            .await
            .map_err(backend)?;
        let Some(row) = row else {
            return Err(StoreError::NotFound(format!("no reserved receipt {receipt_id}")));
        };
        let reserved: i64 = row.get(0);
        if cost > reserved {
            return Err(StoreError::Conflict(format!(
                "receipt {receipt_id}: cost {cost} is over its reservation {reserved}"
            )));
        }
        tx.execute(
            "UPDATE receipts SET status = 'final', prompt_tokens = $2, completion_tokens = $3, estimated = $4,
                 cost = $5, finished_at = $6 WHERE id = $1 AND status = 'reserved'",
            &[&receipt_id, &prompt, &completion, &u.estimated, &cost, &u.now],
        )
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn void(&self, receipt_id: &str, now: i64) -> StoreResult<()> {
        begin!(self, slot, tx);
        let n = tx
            .execute(
                "UPDATE receipts SET status = 'void', finished_at = $2 WHERE id = $1 AND status = 'reserved'",
                &[&receipt_id, &now],
            )
            .await
            .map_err(backend)?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("no reserved receipt {receipt_id}")));
        }
        tx.commit().await.map_err(backend)
    }

    async fn void_stale(&self, created_before: i64, now: i64) -> StoreResult<u64> {
        begin!(self, slot, tx);
        let n = tx
            .execute(
                "UPDATE receipts SET status = 'void', finished_at = $2 WHERE status = 'reserved' AND created_at < $1",
                &[&created_before, &now],
            )
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(n)
    }

    async fn receipt(&self, receipt_id: &str) -> StoreResult<Option<Receipt>> {
        begin!(self, slot, tx);
        let sql = format!("SELECT {RECEIPT_COLUMNS} FROM receipts WHERE id = $1");
        let row = tx.query_opt(&sql, &[&receipt_id]).await.map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        row.as_ref().map(receipt_record).transpose()
    }

    async fn receipts_of_channel(&self, channel: &Pubkey) -> StoreResult<Vec<Receipt>> {
        begin!(self, slot, tx);
        let sql = format!("SELECT {RECEIPT_COLUMNS} FROM receipts WHERE channel = $1 ORDER BY created_at, n");
        let rows = tx.query(&sql, &[&channel.to_string()]).await.map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        rows.iter().map(receipt_record).collect()
    }

    async fn channels_to_settle(&self) -> StoreResult<Vec<Pubkey>> {
        begin!(self, slot, tx);
        let rows = tx
            .query(
                "SELECT channel FROM receipts WHERE status = 'final' AND cost > 0
                 UNION SELECT channel FROM batches WHERE status = 'pending' ORDER BY channel",
                &[],
            )
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        rows.iter().map(|r| pubkey(r.get(0))).collect()
    }

    async fn pending_batch(&self, channel: &Pubkey) -> StoreResult<Option<Batch>> {
        begin!(self, slot, tx);
        let sql = format!("SELECT {BATCH_COLUMNS} FROM batches WHERE channel = $1 AND status = 'pending'");
        let row = tx.query_opt(&sql, &[&channel.to_string()]).await.map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        row.as_ref().map(batch_record).transpose()
    }

    async fn create_batch(
        &self,
        channel: &Pubkey,
        seq: u64,
        max_receipts: u64,
        now: i64,
    ) -> StoreResult<Option<Batch>> {
        let seq_i = to_i64("seq", seq)?;
        let limit = i64::try_from(max_receipts).unwrap_or(i64::MAX);
        let key = channel.to_string();
        begin!(self, slot, tx);
        lock_channel(&tx, &key).await?;
        let taken = tx
            .query_opt(
                "SELECT status FROM batches WHERE channel = $1 AND seq = $2 AND status <> 'failed'",
                &[&key, &seq_i],
            )
            .await
            .map_err(backend)?;
        if let Some(row) = taken {
            let status: String = row.get(0);
            return Err(StoreError::Conflict(format!("channel {key} has a {status} batch {seq}")));
        }
        let pending = tx
            .query_opt("SELECT seq FROM batches WHERE channel = $1 AND status = 'pending'", &[&key])
            .await
            .map_err(backend)?;
        if pending.is_some() {
            tx.commit().await.map_err(backend)?;
            return Ok(None);
        }
        let to_pick = |rows: Vec<Row>| -> StoreResult<Vec<((i64, i64), String, u64)>> {
            rows.iter().map(|r| Ok(((r.get(0), r.get(1)), r.get(2), to_u64("cost", r.get(3))?))).collect()
        };
        let paying = tx
            .query(
                "SELECT created_at, n, id, cost FROM receipts WHERE channel = $1 AND status = 'final' AND cost > 0
                 ORDER BY created_at, n LIMIT $2",
                &[&key, &limit],
            )
            .await
            .map_err(backend)?;
        let free = tx
            .query("SELECT created_at, n, id, cost FROM receipts WHERE channel = $1 AND status = 'final' AND cost = 0", &[&key])
            .await
            .map_err(backend)?;
        let Some((ids, amount)) = pick_batch(to_pick(paying)?, to_pick(free)?)? else {
            tx.commit().await.map_err(backend)?;
            return Ok(None);
        };
        let reference = usage_reference(&ids);
        let count = ids.len() as i64;
        tx.execute(
            "INSERT INTO batches (channel, seq, amount, usage_reference, status, receipts, created_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
            &[&key, &seq_i, &to_i64("amount", amount)?, &&reference[..], &count, &now],
        )
        .await
        .map_err(|e| conflict_or_backend(e, || format!("channel {key} has a batch {seq}")))?;
        let moved = tx
            .execute(
                "UPDATE receipts SET status = 'batched', batch_seq = $2 WHERE id = ANY($1) AND status = 'final'",
                &[&ids, &seq_i],
            )
            .await
            .map_err(backend)?;
        if moved != ids.len() as u64 {
            return Err(StoreError::Backend(format!(
                "{} of {} receipts left Final while being batched",
                ids.len() as u64 - moved,
                ids.len()
            )));
        }
        tx.commit().await.map_err(backend)?;
        Ok(Some(Batch {
            channel: *channel,
            seq,
            amount: CreditAtoms(amount),
            usage_reference: reference,
            status: BatchStatus::Pending,
            receipts: count as u64,
            created_at: now,
            signature: None,
        }))
    }

    async fn settle_batch(&self, channel: &Pubkey, seq: u64, signature: Option<&str>) -> StoreResult<()> {
        let seq_i = to_i64("seq", seq)?;
        begin!(self, slot, tx);
        let n = tx
            .execute(
                "UPDATE batches SET status = 'settled', signature = COALESCE($3, signature)
                 WHERE channel = $1 AND seq = $2 AND status = 'pending'",
                &[&channel.to_string(), &seq_i, &signature],
            )
            .await
            .map_err(backend)?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("no pending batch {seq} on channel {channel}")));
        }
        tx.commit().await.map_err(backend)
    }

    async fn fail_batch(&self, channel: &Pubkey, seq: u64, reason: &str) -> StoreResult<()> {
        let seq_i = to_i64("seq", seq)?;
        begin!(self, slot, tx);
        let n = tx
            .execute(
                "UPDATE batches SET status = 'failed', failure = $3 WHERE channel = $1 AND seq = $2 AND status = 'pending'",
                &[&channel.to_string(), &seq_i, &reason],
            )
            .await
            .map_err(backend)?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("no pending batch {seq} on channel {channel}")));
        }
        tx.commit().await.map_err(backend)
    }

    async fn batches_of_channel(&self, channel: &Pubkey) -> StoreResult<Vec<Batch>> {
        begin!(self, slot, tx);
        let sql = format!("SELECT {BATCH_COLUMNS} FROM batches WHERE channel = $1 ORDER BY seq, n");
        let rows = tx.query(&sql, &[&channel.to_string()]).await.map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        rows.iter().map(batch_record).collect()
    }
}
