//! [`Store`] on SQLite (the default: one gateway instance, one file).
//!
//! One connection behind a mutex, used on tokio's blocking pool; the file in WAL mode with
//! `synchronous=FULL` (a committed receipt survives a power cut, not only a crash) and a busy
//! timeout. Every method is one transaction, `BEGIN IMMEDIATE` when it writes: the write lock
//! is taken before anything is read, so another process on the same file (a second gateway, a
//! CLI) cannot slip a reservation between the sum of what is outstanding and the insert.
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use credit_math::CreditAtoms;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior};
use solana_sdk::pubkey::Pubkey;

use super::common::{
    batch_status, hash32, join_split_sum, pick_batch, pubkey, receipt_status, split_sums, to_i64, to_u64,
    usage_reference,
};
use super::{ApiKeyRecord, Batch, FinalUsage, NewReservation, Receipt, Store, StoreError, StoreResult};

/// How long a writer waits for another connection's write lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS proofs (
    hash BLOB PRIMARY KEY,
    used_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    secret_hash BLOB NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    holder TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS api_keys_channel ON api_keys (channel);
CREATE TABLE IF NOT EXISTS receipts (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    key_id TEXT NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('reserved', 'final', 'batched', 'void')),
    reserved INTEGER NOT NULL CHECK (reserved >= 0),
    prompt_tokens INTEGER NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    completion_tokens INTEGER NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
    estimated INTEGER NOT NULL DEFAULT 0,
    cost INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0 AND cost <= reserved),
    batch_seq INTEGER,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS receipts_channel_status ON receipts (channel, status);
CREATE TABLE IF NOT EXISTS batches (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 0),
    amount INTEGER NOT NULL CHECK (amount > 0),
    usage_reference BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'settled', 'failed')),
    receipts INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    signature TEXT,
    failure TEXT
);
-- one live batch per (channel, seq): a failed one gave its number back (it never burned)
CREATE UNIQUE INDEX IF NOT EXISTS batches_channel_seq ON batches (channel, seq) WHERE status <> 'failed';
CREATE UNIQUE INDEX IF NOT EXISTS batches_one_pending ON batches (channel) WHERE status = 'pending';
";

/// The gateway's state in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation)
}

/// A unique violation as `Conflict(what)`, anything else as `Backend`.
fn conflict_or_backend(e: rusqlite::Error, what: impl FnOnce() -> String) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Conflict(what())
    } else {
        backend(e)
    }
}

const KEY_COLUMNS: &str = "id, secret_hash, channel, holder, created_at, revoked_at";
const RECEIPT_COLUMNS: &str =
    "id, channel, key_id, model, status, reserved, prompt_tokens, completion_tokens, \
     estimated, cost, batch_seq, created_at, finished_at";
const BATCH_COLUMNS: &str = "channel, seq, amount, usage_reference, status, receipts, created_at, signature";

type KeyRow = (String, Vec<u8>, String, String, i64, Option<i64>);

fn key_row(r: &Row<'_>) -> rusqlite::Result<KeyRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
}

fn key_record((id, hash, channel, holder, created_at, revoked_at): KeyRow) -> StoreResult<ApiKeyRecord> {
    Ok(ApiKeyRecord {
        id,
        secret_hash: hash32("secret hash", &hash)?,
        channel: pubkey(&channel)?,
        holder: pubkey(&holder)?,
        created_at,
        revoked_at,
    })
}

type ReceiptRow =
    (String, String, String, String, String, i64, i64, i64, bool, i64, Option<i64>, i64, Option<i64>);

fn receipt_row(r: &Row<'_>) -> rusqlite::Result<ReceiptRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
    ))
}

fn receipt_record(row: ReceiptRow) -> StoreResult<Receipt> {
    let (
        id,
        channel,
        key_id,
        model,
        status,
        reserved,
        prompt,
        completion,
        estimated,
        cost,
        batch_seq,
        created_at,
        finished_at,
    ) = row;
    Ok(Receipt {
        id,
        channel: pubkey(&channel)?,
        key_id,
        model,
        status: receipt_status(&status)?,
        reserved: CreditAtoms(to_u64("reserved", reserved)?),
        prompt_tokens: to_u64("prompt tokens", prompt)?,
        completion_tokens: to_u64("completion tokens", completion)?,
        estimated,
        cost: CreditAtoms(to_u64("cost", cost)?),
        batch_seq: batch_seq.map(|s| to_u64("batch seq", s)).transpose()?,
        created_at,
        finished_at,
    })
}

/// A Final receipt as a batch picks it: (created_at, n) orders it, then id and cost.
fn final_row(r: &Row<'_>) -> rusqlite::Result<((i64, i64), String, i64)> {
    Ok(((r.get(0)?, r.get(1)?), r.get(2)?, r.get(3)?))
}

type BatchRow = (String, i64, i64, Vec<u8>, String, i64, i64, Option<String>);

fn batch_row(r: &Row<'_>) -> rusqlite::Result<BatchRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
}

fn batch_record(
    (channel, seq, amount, reference, status, receipts, created_at, signature): BatchRow,
) -> StoreResult<Batch> {
    Ok(Batch {
        channel: pubkey(&channel)?,
        seq: to_u64("seq", seq)?,
        amount: CreditAtoms(to_u64("amount", amount)?),
        usage_reference: hash32("usage reference", &reference)?,
        status: batch_status(&status)?,
        receipts: to_u64("receipts", receipts)?,
        created_at,
        signature,
    })
}

impl SqliteStore {
    /// Opens (or creates) the database file at `path` (tables made by [`Store::migrate`]).
    pub fn open(path: impl AsRef<Path>) -> StoreResult<SqliteStore> {
        let conn = Connection::open(path).map_err(backend)?;
        Self::configure(conn, true)
    }

    /// A private database in memory (tests; nothing survives the store).
    pub fn open_in_memory() -> StoreResult<SqliteStore> {
        Self::configure(Connection::open_in_memory().map_err(backend)?, false)
    }

    fn configure(conn: Connection, file: bool) -> StoreResult<SqliteStore> {
        conn.busy_timeout(BUSY_TIMEOUT).map_err(backend)?;
        if file {
            let mode: String =
                conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(backend)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Backend(format!("SQLite refused WAL mode (journal mode {mode})")));
            }
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;").map_err(backend)?;
        Ok(SqliteStore { conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `f` in one transaction on the blocking pool (`BEGIN IMMEDIATE` when `write`), and
    /// commits what it returned `Ok` for (an `Err` rolls back).
    async fn run<T, F>(&self, write: bool, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = conn
                .lock()
                .map_err(|_| StoreError::Backend("the SQLite connection's lock is poisoned".into()))?;
            let behavior = if write { TransactionBehavior::Immediate } else { TransactionBehavior::Deferred };
            let tx = conn.transaction_with_behavior(behavior).map_err(backend)?;
            let out = f(&tx)?;
            tx.commit().map_err(backend)?;
            Ok(out)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("the SQLite task failed: {e}")))?
    }
}

/// What the channel owes beyond the chain snapshot (see [`Store::reserve`]), exactly.
fn outstanding(tx: &rusqlite::Transaction<'_>, channel: &str, chain_next_seq: i64) -> StoreResult<u128> {
    let sql = format!(
        "SELECT {} FROM (
            SELECT reserved AS x FROM receipts WHERE channel = ?1 AND status = 'reserved'
            UNION ALL SELECT cost FROM receipts WHERE channel = ?1 AND status = 'final'
            UNION ALL SELECT amount FROM batches WHERE channel = ?1
                AND (status = 'pending' OR (status = 'settled' AND seq >= ?2)))",
        split_sums("")
    );
    let (high, low): (i64, i64) = tx
        .query_row(&sql, params![channel, chain_next_seq], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(backend)?;
    join_split_sum(high, low)
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn migrate(&self) -> StoreResult<()> {
        self.run(true, |tx| tx.execute_batch(SCHEMA).map_err(backend)).await
    }

    async fn use_proof(&self, proof_hash: [u8; 32], now: i64) -> StoreResult<()> {
        self.run(true, move |tx| {
            tx.execute("INSERT INTO proofs (hash, used_at) VALUES (?1, ?2)", params![&proof_hash[..], now])
                .map_err(|e| conflict_or_backend(e, || "this proof was used before".into()))?;
            Ok(())
        })
        .await
    }

    async fn insert_key(&self, key: &ApiKeyRecord) -> StoreResult<()> {
        let k = key.clone();
        self.run(true, move |tx| {
            tx.execute(
                "INSERT INTO api_keys (id, secret_hash, channel, holder, created_at, revoked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    k.id,
                    &k.secret_hash[..],
                    k.channel.to_string(),
                    k.holder.to_string(),
                    k.created_at,
                    k.revoked_at
                ],
            )
            .map_err(|e| conflict_or_backend(e, || format!("key {} (or its secret) exists", k.id)))?;
            Ok(())
        })
        .await
    }

    async fn key_by_hash(&self, secret_hash: [u8; 32]) -> StoreResult<Option<ApiKeyRecord>> {
        self.run(false, move |tx| {
            let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE secret_hash = ?1");
            let row = tx.query_row(&sql, params![&secret_hash[..]], key_row).optional().map_err(backend)?;
            row.map(key_record).transpose()
        })
        .await
    }

    async fn revoke_key(&self, id: &str, holder: &Pubkey, now: i64) -> StoreResult<bool> {
        let (id, holder) = (id.to_string(), holder.to_string());
        self.run(true, move |tx| {
            let n = tx
                .execute(
                    "UPDATE api_keys SET revoked_at = ?3 WHERE id = ?1 AND holder = ?2 AND revoked_at IS NULL",
                    params![id, holder, now],
                )
                .map_err(backend)?;
            Ok(n == 1)
        })
        .await
    }

    async fn keys_of_channel(&self, channel: &Pubkey) -> StoreResult<Vec<ApiKeyRecord>> {
        let channel = channel.to_string();
        self.run(false, move |tx| {
            let sql =
                format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE channel = ?1 ORDER BY created_at, id");
            let mut stmt = tx.prepare(&sql).map_err(backend)?;
            let rows = stmt.query_map(params![channel], key_row).map_err(backend)?;
            rows.map(|r| key_record(r.map_err(backend)?)).collect()
        })
        .await
    }

    async fn reserve(
        &self,
        r: &NewReservation,
        limit: CreditAtoms,
        chain_next_seq: u64,
    ) -> StoreResult<bool> {
        let r = r.clone();
        let amount = to_i64("reservation", r.amount.0)?;
        let next = to_i64("chain sequence number", chain_next_seq)?;
        self.run(true, move |tx| {
            let channel = r.channel.to_string();
            let owed = outstanding(tx, &channel, next)?;
            if owed + u128::from(r.amount.0) > u128::from(limit.0) {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO receipts (id, channel, key_id, model, status, reserved, created_at)
                 VALUES (?1, ?2, ?3, ?4, 'reserved', ?5, ?6)",
                params![r.receipt_id, channel, r.key_id, r.model, amount, r.now],
            )
            .map_err(|e| conflict_or_backend(e, || format!("receipt {} exists", r.receipt_id)))?;
            Ok(true)
        })
        .await
    }

    async fn outstanding(&self, channel: &Pubkey, chain_next_seq: u64) -> StoreResult<CreditAtoms> {
        let next = to_i64("chain sequence number", chain_next_seq)?;
        let channel = channel.to_string();
        let owed = self.run(false, move |tx| outstanding(tx, &channel, next)).await?;
        u64::try_from(owed).map(CreditAtoms).map_err(|_| StoreError::Backend("outstanding beyond u64".into()))
    }

    async fn finish(&self, receipt_id: &str, usage: &FinalUsage) -> StoreResult<()> {
        let id = receipt_id.to_string();
        let u = *usage;
        let (prompt, completion) =
            (to_i64("prompt tokens", u.prompt_tokens)?, to_i64("completion tokens", u.completion_tokens)?);
        let cost = to_i64("cost", u.cost.0)?;
        self.run(true, move |tx| {
            let reserved: Option<i64> = tx
                .query_row("SELECT reserved FROM receipts WHERE id = ?1 AND status = 'reserved'", params![id], |r| r.get(0))
                .optional()
                .map_err(backend)?;
            let Some(reserved) = reserved else {
                return Err(StoreError::NotFound(format!("no reserved receipt {id}")));
            };
            if cost > reserved {
                return Err(StoreError::Conflict(format!("receipt {id}: cost {cost} is over its reservation {reserved}")));
            }
            tx.execute(
                "UPDATE receipts SET status = 'final', prompt_tokens = ?2, completion_tokens = ?3, estimated = ?4,
                     cost = ?5, finished_at = ?6 WHERE id = ?1 AND status = 'reserved'",
                params![id, prompt, completion, u.estimated, cost, u.now],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn void(&self, receipt_id: &str, now: i64) -> StoreResult<()> {
        let id = receipt_id.to_string();
        self.run(true, move |tx| {
            let n = tx
                .execute(
                    "UPDATE receipts SET status = 'void', finished_at = ?2 WHERE id = ?1 AND status = 'reserved'",
                    params![id, now],
                )
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("no reserved receipt {id}")));
            }
            Ok(())
        })
        .await
    }

    async fn void_stale(&self, created_before: i64, now: i64) -> StoreResult<u64> {
        self.run(true, move |tx| {
            let n = tx
                .execute(
                    "UPDATE receipts SET status = 'void', finished_at = ?2 WHERE status = 'reserved' AND created_at < ?1",
                    params![created_before, now],
                )
                .map_err(backend)?;
            Ok(n as u64)
        })
        .await
    }

    async fn receipt(&self, receipt_id: &str) -> StoreResult<Option<Receipt>> {
        let id = receipt_id.to_string();
        self.run(false, move |tx| {
            let sql = format!("SELECT {RECEIPT_COLUMNS} FROM receipts WHERE id = ?1");
            tx.query_row(&sql, params![id], receipt_row)
                .optional()
                .map_err(backend)?
                .map(receipt_record)
                .transpose()
        })
        .await
    }

    async fn receipts_of_channel(&self, channel: &Pubkey) -> StoreResult<Vec<Receipt>> {
        let channel = channel.to_string();
        self.run(false, move |tx| {
            let sql =
                format!("SELECT {RECEIPT_COLUMNS} FROM receipts WHERE channel = ?1 ORDER BY created_at, n");
            let mut stmt = tx.prepare(&sql).map_err(backend)?;
            let rows = stmt.query_map(params![channel], receipt_row).map_err(backend)?;
            rows.map(|r| receipt_record(r.map_err(backend)?)).collect()
        })
        .await
    }

    async fn channels_to_settle(&self) -> StoreResult<Vec<Pubkey>> {
        self.run(false, |tx| {
            let mut stmt = tx
                .prepare(
                    "SELECT channel FROM receipts WHERE status = 'final' AND cost > 0
                     UNION SELECT channel FROM batches WHERE status = 'pending' ORDER BY channel",
                )
                .map_err(backend)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(backend)?;
            rows.map(|r| pubkey(&r.map_err(backend)?)).collect()
        })
        .await
    }

    async fn pending_batch(&self, channel: &Pubkey) -> StoreResult<Option<Batch>> {
        let channel = channel.to_string();
        self.run(false, move |tx| {
            let sql =
                format!("SELECT {BATCH_COLUMNS} FROM batches WHERE channel = ?1 AND status = 'pending'");
            tx.query_row(&sql, params![channel], batch_row)
                .optional()
                .map_err(backend)?
                .map(batch_record)
                .transpose()
        })
        .await
    }

    async fn create_batch(
        &self,
        channel: &Pubkey,
        seq: u64,
        max_receipts: u64,
        now: i64,
    ) -> StoreResult<Option<Batch>> {
        let channel_key = *channel;
        let seq_i = to_i64("seq", seq)?;
        let limit = i64::try_from(max_receipts).unwrap_or(i64::MAX);
        self.run(true, move |tx| {
            let channel = channel_key.to_string();
            let taken: Option<String> = tx
                .query_row(
                    "SELECT status FROM batches WHERE channel = ?1 AND seq = ?2 AND status <> 'failed'",
                    params![channel, seq_i],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            if let Some(status) = taken {
                return Err(StoreError::Conflict(format!("channel {channel} has a {status} batch {seq}")));
            }
            let pending: Option<i64> = tx
                .query_row("SELECT seq FROM batches WHERE channel = ?1 AND status = 'pending'", params![channel], |r| r.get(0))
                .optional()
                .map_err(backend)?;
            if pending.is_some() {
                return Ok(None);
            }
            let select = |paying: bool| -> StoreResult<Vec<((i64, i64), String, u64)>> {
                let mut stmt = if paying {
                    tx.prepare(
                        "SELECT created_at, n, id, cost FROM receipts WHERE channel = ?1 AND status = 'final'
                         AND cost > 0 ORDER BY created_at, n LIMIT ?2",
                    )
                } else {
                    tx.prepare(
                        "SELECT created_at, n, id, cost FROM receipts WHERE channel = ?1 AND status = 'final'
                         AND cost = 0",
                    )
                }
                .map_err(backend)?;
                let rows = if paying {
                    stmt.query_map(params![channel, limit], final_row)
                } else {
                    stmt.query_map(params![channel], final_row)
                }
                .map_err(backend)?;
                rows.map(|r| {
                    let (k, id, cost) = r.map_err(backend)?;
                    Ok((k, id, to_u64("cost", cost)?))
                })
                .collect()
            };
            let Some((ids, amount)) = pick_batch(select(true)?, select(false)?)? else {
                return Ok(None);
            };
            let reference = usage_reference(&ids);
            let count = ids.len() as i64;
            tx.execute(
                "INSERT INTO batches (channel, seq, amount, usage_reference, status, receipts, created_at)
                 VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6)",
                params![channel, seq_i, to_i64("amount", amount)?, &reference[..], count, now],
            )
            .map_err(|e| conflict_or_backend(e, || format!("channel {channel} has a batch {seq}")))?;
            let mut update = tx
                .prepare("UPDATE receipts SET status = 'batched', batch_seq = ?2 WHERE id = ?1 AND status = 'final'")
                .map_err(backend)?;
            for id in &ids {
                if update.execute(params![id, seq_i]).map_err(backend)? != 1 {
                    return Err(StoreError::Backend(format!("receipt {id} left Final while being batched")));
                }
            }
            Ok(Some(Batch {
                channel: channel_key,
                seq,
                amount: CreditAtoms(amount),
                usage_reference: reference,
                status: super::BatchStatus::Pending,
                receipts: count as u64,
                created_at: now,
                signature: None,
            }))
        })
        .await
    }

    async fn settle_batch(&self, channel: &Pubkey, seq: u64, signature: Option<&str>) -> StoreResult<()> {
        let (channel, signature) = (channel.to_string(), signature.map(str::to_string));
        let seq_i = to_i64("seq", seq)?;
        self.run(true, move |tx| {
            let n = tx
                .execute(
                    "UPDATE batches SET status = 'settled', signature = COALESCE(?3, signature)
                     WHERE channel = ?1 AND seq = ?2 AND status = 'pending'",
                    params![channel, seq_i, signature],
                )
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("no pending batch {seq} on channel {channel}")));
            }
            Ok(())
        })
        .await
    }

    async fn fail_batch(&self, channel: &Pubkey, seq: u64, reason: &str) -> StoreResult<()> {
        let (channel, reason) = (channel.to_string(), reason.to_string());
        let seq_i = to_i64("seq", seq)?;
        self.run(true, move |tx| {
            let n = tx
                .execute(
                    "UPDATE batches SET status = 'failed', failure = ?3 WHERE channel = ?1 AND seq = ?2 AND status = 'pending'",
                    params![channel, seq_i, reason],
                )
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("no pending batch {seq} on channel {channel}")));
            }
            Ok(())
        })
        .await
    }

    async fn batches_of_channel(&self, channel: &Pubkey) -> StoreResult<Vec<Batch>> {
        let channel = channel.to_string();
        self.run(false, move |tx| {
            let sql = format!("SELECT {BATCH_COLUMNS} FROM batches WHERE channel = ?1 ORDER BY seq, n");
            let mut stmt = tx.prepare(&sql).map_err(backend)?;
            let rows = stmt.query_map(params![channel], batch_row).map_err(backend)?;
            rows.map(|r| batch_record(r.map_err(backend)?)).collect()
        })
        .await
    }
}
