//! The store's contract: one set of cases, run against SQLite (two stores on one file) and
//! against a real PostgreSQL server (two stores on one database: two gateway instances).
//! Every case takes two stores sharing one database; most use the first only.
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use credit_math::CreditAtoms;
use sha2::{Digest, Sha256};
use solana_sdk::pubkey::Pubkey;

use super::postgres::PostgresStore;
use super::sqlite::SqliteStore;
use super::*;

type Shared = Arc<dyn Store>;
type Case = fn(Shared, Shared) -> Pin<Box<dyn Future<Output = ()> + Send>>;

fn key(id: &str, secret: &str, channel: Pubkey, holder: Pubkey, at: i64) -> ApiKeyRecord {
    ApiKeyRecord {
        id: id.into(),
        secret_hash: Sha256::digest(secret.as_bytes()).into(),
        channel,
        holder,
        created_at: at,
        revoked_at: None,
    }
}

fn reservation(id: &str, channel: Pubkey, amount: u64, now: i64) -> NewReservation {
    NewReservation {
        receipt_id: id.into(),
        channel,
        key_id: "key-1".into(),
        model: "smollm2".into(),
        amount: CreditAtoms(amount),
        now,
    }
}

fn usage(cost: u64, now: i64) -> FinalUsage {
    FinalUsage { prompt_tokens: 12, completion_tokens: 30, estimated: false, cost: CreditAtoms(cost), now }
}

/// Reserves `amount` (the limit is generous) and finishes it at `cost`: a Final receipt.
async fn final_receipt(s: &dyn Store, id: &str, channel: Pubkey, amount: u64, cost: u64, at: i64) {
    assert!(s.reserve(&reservation(id, channel, amount, at), CreditAtoms(u64::MAX), 0).await.unwrap());
    s.finish(id, &usage(cost, at + 1)).await.unwrap();
}

/// The outstanding amount of `channel` for the chain snapshot `next_seq` is exactly `owed`: one
/// more atom fits a limit of `owed + 1` and not a limit of `owed` (the probe is voided).
async fn assert_outstanding(s: &dyn Store, channel: Pubkey, next_seq: u64, owed: u64) {
    assert_eq!(s.outstanding(&channel, next_seq).await.unwrap(), CreditAtoms(owed), "outstanding() says");
    let probe = format!("probe-{}", Pubkey::new_unique());
    let r = reservation(&probe, channel, 1, 0);
    assert!(!s.reserve(&r, CreditAtoms(owed), next_seq).await.unwrap(), "outstanding is below {owed}");
    assert!(s.reserve(&r, CreditAtoms(owed + 1), next_seq).await.unwrap(), "outstanding is above {owed}");
    s.void(&probe, 0).await.unwrap();
}

fn is_conflict<T: std::fmt::Debug>(r: StoreResult<T>) -> bool {
    matches!(r, Err(StoreError::Conflict(_)))
}

fn is_not_found<T: std::fmt::Debug>(r: StoreResult<T>) -> bool {
    matches!(r, Err(StoreError::NotFound(_)))
}

async fn keys_and_proofs(s: Shared, _: Shared) {
    let (channel, holder, stranger) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
    let k1 = key("k1", "secret-1", channel, holder, 10);
    let k2 = key("k2", "secret-2", channel, holder, 11);
    s.insert_key(&k1).await.unwrap();
    s.insert_key(&k2).await.unwrap();
    assert!(is_conflict(s.insert_key(&k1).await), "the same id twice");
    assert!(
        is_conflict(s.insert_key(&key("k3", "secret-1", channel, holder, 12)).await),
        "the same secret twice"
    );
    assert_eq!(s.key_by_hash(k1.secret_hash).await.unwrap(), Some(k1.clone()));
    assert_eq!(s.key_by_hash(Sha256::digest(b"nope").into()).await.unwrap(), None);
    // only its holder revokes it, once
    assert!(!s.revoke_key("k1", &stranger, 20).await.unwrap());
    assert!(!s.revoke_key("missing", &holder, 20).await.unwrap());
    assert!(s.revoke_key("k1", &holder, 21).await.unwrap());
    assert!(!s.revoke_key("k1", &holder, 22).await.unwrap(), "already revoked");
    assert_eq!(s.key_by_hash(k1.secret_hash).await.unwrap().unwrap().revoked_at, Some(21));
    let listed = s.keys_of_channel(&channel).await.unwrap();
    assert_eq!(listed, vec![ApiKeyRecord { revoked_at: Some(21), ..k1 }, k2]);
    assert!(s.keys_of_channel(&Pubkey::new_unique()).await.unwrap().is_empty());
    // a key-issuing proof is used once
    let proof: [u8; 32] = Sha256::digest(b"signed message").into();
    s.use_proof(proof, 30).await.unwrap();
    assert!(is_conflict(s.use_proof(proof, 31).await));
    s.use_proof(Sha256::digest(b"another").into(), 31).await.unwrap();
}

async fn reserve_within_the_limit(s: Shared, _: Shared) {
    let (channel, other) = (Pubkey::new_unique(), Pubkey::new_unique());
    let limit = CreditAtoms(100);
    assert!(s.reserve(&reservation("a", channel, 60, 1), limit, 0).await.unwrap());
    assert!(!s.reserve(&reservation("b", channel, 41, 2), limit, 0).await.unwrap(), "101 > 100");
    assert_eq!(s.receipt("b").await.unwrap(), None, "a refused reservation leaves nothing");
    assert!(s.reserve(&reservation("c", channel, 40, 3), limit, 0).await.unwrap(), "exactly the limit");
    assert!(!s.reserve(&reservation("d", channel, 1, 4), limit, 0).await.unwrap());
    // another channel has its own limit
    assert!(s.reserve(&reservation("e", other, 100, 5), limit, 0).await.unwrap());
    assert!(
        is_conflict(s.reserve(&reservation("a", other, 1, 6), CreditAtoms(1_000), 0).await),
        "receipt ids are unique"
    );
    let a = s.receipt("a").await.unwrap().unwrap();
    assert_eq!(
        a,
        Receipt {
            id: "a".into(),
            channel,
            key_id: "key-1".into(),
            model: "smollm2".into(),
            status: ReceiptStatus::Reserved,
            reserved: CreditAtoms(60),
            prompt_tokens: 0,
            completion_tokens: 0,
            estimated: false,
            cost: CreditAtoms::ZERO,
            batch_seq: None,
            created_at: 1,
            finished_at: None,
        }
    );
    let ids: Vec<String> = s.receipts_of_channel(&channel).await.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["a", "c"]);
}

/// Outstanding = Reserved amounts + Final costs + Pending batches + Settled batches with
/// seq >= chain_next_seq; Void receipts and Failed batches count nothing.
async fn the_outstanding_rule(s: Shared, _: Shared) {
    let ch = Pubkey::new_unique();
    assert_outstanding(&*s, ch, 0, 0).await;
    assert!(s.reserve(&reservation("r1", ch, 10, 1), CreditAtoms(10), 0).await.unwrap());
    assert_outstanding(&*s, ch, 0, 10).await;
    s.finish("r1", &usage(4, 2)).await.unwrap();
    assert_outstanding(&*s, ch, 0, 4).await; // the final cost, not the reservation
    assert!(s.reserve(&reservation("r2", ch, 7, 3), CreditAtoms(11), 0).await.unwrap());
    assert_outstanding(&*s, ch, 0, 11).await;
    s.void("r2", 4).await.unwrap();
    assert_outstanding(&*s, ch, 0, 4).await; // void holds nothing
    let b = s.create_batch(&ch, 5, 100, 5).await.unwrap().unwrap();
    assert_eq!(b.amount, CreditAtoms(4));
    assert_outstanding(&*s, ch, 5, 4).await; // pending, whatever the chain says
    assert_outstanding(&*s, ch, 6, 4).await;
    s.settle_batch(&ch, 5, Some("sig")).await.unwrap();
    // settled: owed while the chain snapshot predates it, not once the chain passed it
    assert_outstanding(&*s, ch, 5, 4).await;
    assert_outstanding(&*s, ch, 6, 0).await;
    final_receipt(&*s, "r3", ch, 9, 9, 6).await;
    let b = s.create_batch(&ch, 6, 100, 7).await.unwrap().unwrap();
    assert_eq!(b.amount, CreditAtoms(9));
    assert_outstanding(&*s, ch, 6, 9).await;
    s.fail_batch(&ch, 6, "ChannelClosed").await.unwrap();
    assert_outstanding(&*s, ch, 6, 0).await; // failed: never burned
    assert_outstanding(&*s, ch, 5, 4).await;
}

async fn finish_and_void_only_from_reserved(s: Shared, _: Shared) {
    let ch = Pubkey::new_unique();
    let big = CreditAtoms(1_000);
    assert!(is_not_found(s.finish("nope", &usage(1, 1)).await));
    assert!(is_not_found(s.void("nope", 1).await));
    assert!(s.reserve(&reservation("a", ch, 50, 1), big, 0).await.unwrap());
    assert!(is_conflict(s.finish("a", &usage(51, 2)).await), "a cost over the reservation");
    let u = FinalUsage {
        prompt_tokens: 7,
        completion_tokens: 11,
        estimated: true,
        cost: CreditAtoms(50),
        now: 3,
    };
    s.finish("a", &u).await.unwrap();
    let a = s.receipt("a").await.unwrap().unwrap();
    assert_eq!(
        (a.status, a.prompt_tokens, a.completion_tokens, a.estimated, a.cost, a.finished_at),
        (ReceiptStatus::Final, 7, 11, true, CreditAtoms(50), Some(3))
    );
    assert!(is_not_found(s.finish("a", &usage(1, 4)).await), "finished twice");
    assert!(is_not_found(s.void("a", 4).await), "void after final");
    assert!(s.reserve(&reservation("b", ch, 5, 5), big, 0).await.unwrap());
    s.void("b", 6).await.unwrap();
    let b = s.receipt("b").await.unwrap().unwrap();
    assert_eq!((b.status, b.cost, b.finished_at), (ReceiptStatus::Void, CreditAtoms::ZERO, Some(6)));
    assert!(is_not_found(s.finish("b", &usage(1, 7)).await), "final after void");
    assert!(is_not_found(s.void("b", 7).await), "void twice");
    // batched receipts are past both
    s.create_batch(&ch, 0, 10, 8).await.unwrap().unwrap();
    assert!(is_not_found(s.finish("a", &usage(1, 9)).await));
    assert!(is_not_found(s.void("a", 9).await));
}

async fn batches_take_the_oldest_final_receipts(s: Shared, _: Shared) {
    let ch = Pubkey::new_unique();
    assert_eq!(s.create_batch(&ch, 0, 10, 1).await.unwrap(), None, "nothing to batch");
    // created out of order: batches follow created_at (then insertion)
    final_receipt(&*s, "r-b", ch, 10, 2, 20).await;
    final_receipt(&*s, "r-a", ch, 10, 3, 10).await;
    final_receipt(&*s, "r-c", ch, 10, 5, 30).await;
    final_receipt(&*s, "r-d", ch, 10, 7, 30).await;
    assert!(s.reserve(&reservation("r-live", ch, 10, 5), CreditAtoms(u64::MAX), 0).await.unwrap());
    assert_eq!(s.channels_to_settle().await.unwrap(), vec![ch]);
    let b = s.create_batch(&ch, 0, 3, 100).await.unwrap().unwrap();
    assert_eq!(
        b,
        Batch {
            channel: ch,
            seq: 0,
            amount: CreditAtoms(3 + 2 + 5),
            usage_reference: Sha256::digest(b"r-a\nr-b\nr-c").into(),
            status: BatchStatus::Pending,
            receipts: 3,
            created_at: 100,
            signature: None,
        }
    );
    assert_eq!(b.usage_reference, usage_reference(&["r-a", "r-b", "r-c"]));
    assert_eq!(s.pending_batch(&ch).await.unwrap(), Some(b.clone()));
    // one pending batch per channel: the next waits
    assert_eq!(s.create_batch(&ch, 1, 3, 101).await.unwrap(), None);
    let r = s.receipt("r-a").await.unwrap().unwrap();
    assert_eq!((r.status, r.batch_seq), (ReceiptStatus::Batched, Some(0)));
    assert_eq!(s.receipt("r-d").await.unwrap().unwrap().status, ReceiptStatus::Final);
    assert_eq!(s.receipt("r-live").await.unwrap().unwrap().status, ReceiptStatus::Reserved);
    s.settle_batch(&ch, 0, Some("sig-0")).await.unwrap();
    assert_eq!(s.pending_batch(&ch).await.unwrap(), None);
    // the same seq again: another instance made it
    assert!(is_conflict(s.create_batch(&ch, 0, 3, 102).await));
    // a receipt of zero cost rides along with the next batch
    final_receipt(&*s, "r-free", ch, 10, 0, 40).await;
    let b1 = s.create_batch(&ch, 1, 3, 103).await.unwrap().unwrap();
    assert_eq!((b1.amount, b1.receipts), (CreditAtoms(7), 2));
    assert_eq!(b1.usage_reference, usage_reference(&["r-d", "r-free"]));
    assert!(is_conflict(s.create_batch(&ch, 1, 3, 104).await), "pending with that seq");
    s.settle_batch(&ch, 1, None).await.unwrap();
    let all = s.batches_of_channel(&ch).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        (all[0].seq, all[0].status, all[0].signature.as_deref()),
        (0, BatchStatus::Settled, Some("sig-0"))
    );
    assert_eq!((all[1].seq, all[1].status, all[1].signature.as_deref()), (1, BatchStatus::Settled, None));
    // zero-cost receipts alone make no batch, and nothing to settle
    final_receipt(&*s, "r-free-2", ch, 10, 0, 50).await;
    assert_eq!(s.create_batch(&ch, 2, 3, 105).await.unwrap(), None);
    assert_eq!(s.channels_to_settle().await.unwrap(), Vec::<Pubkey>::new());
    // a pending batch alone is to settle
    final_receipt(&*s, "r-e", ch, 10, 1, 60).await;
    assert_eq!(s.create_batch(&ch, 2, 0, 106).await.unwrap(), None, "max_receipts 0 takes nothing");
    s.create_batch(&ch, 2, 1, 106).await.unwrap().unwrap();
    assert_eq!(s.channels_to_settle().await.unwrap(), vec![ch]);
}

async fn settle_and_fail(s: Shared, _: Shared) {
    let ch = Pubkey::new_unique();
    assert!(is_not_found(s.settle_batch(&ch, 0, None).await));
    assert!(is_not_found(s.fail_batch(&ch, 0, "x").await));
    final_receipt(&*s, "a", ch, 10, 10, 1).await;
    let b = s.create_batch(&ch, 3, 10, 2).await.unwrap().unwrap();
    s.fail_batch(&ch, 3, "ChannelExpired: the channel has expired").await.unwrap();
    assert!(is_not_found(s.fail_batch(&ch, 3, "again").await));
    assert!(is_not_found(s.settle_batch(&ch, 3, None).await), "failed is final");
    assert_eq!(s.batches_of_channel(&ch).await.unwrap(), vec![Batch { status: BatchStatus::Failed, ..b }]);
    assert_eq!(
        s.receipt("a").await.unwrap().unwrap().status,
        ReceiptStatus::Batched,
        "unpaid, in the failed batch"
    );
    assert!(s.channels_to_settle().await.unwrap().is_empty());
    // the failed batch never burned: its seq is free for the next batch
    final_receipt(&*s, "b", ch, 10, 6, 3).await;
    let b2 = s.create_batch(&ch, 3, 10, 4).await.unwrap().unwrap();
    assert_eq!((b2.amount, b2.usage_reference), (CreditAtoms(6), usage_reference(&["b"])));
    s.settle_batch(&ch, 3, Some("sig")).await.unwrap();
    assert!(is_not_found(s.settle_batch(&ch, 3, Some("sig")).await), "settled twice");
    let statuses: Vec<_> =
        s.batches_of_channel(&ch).await.unwrap().iter().map(|b| (b.seq, b.status)).collect();
    assert_eq!(statuses, [(3, BatchStatus::Failed), (3, BatchStatus::Settled)]);
}

/// 64 concurrent reservations of 10 against a limit of 250, through both stores: exactly 25
/// fit, never more.
async fn concurrent_reserves_never_exceed_the_limit(a: Shared, b: Shared) {
    let ch = Pubkey::new_unique();
    let mut tasks = vec![];
    for i in 0..64 {
        let s = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            s.reserve(&reservation(&format!("c{i}"), ch, 10, i), CreditAtoms(250), 0).await.unwrap()
        }));
    }
    let mut granted = 0;
    for t in tasks {
        granted += usize::from(t.await.unwrap());
    }
    assert_eq!(granted, 25);
    let held: u64 = a.receipts_of_channel(&ch).await.unwrap().iter().map(|r| r.reserved.0).sum();
    assert_eq!(held, 250);
    assert_outstanding(&*b, ch, 0, 250).await;
}

/// Both instances batch the same channel at once: one batch, each receipt in it once.
async fn concurrent_batches_make_one(a: Shared, b: Shared) {
    let ch = Pubkey::new_unique();
    for i in 0..20 {
        final_receipt(&*a, &format!("r{i:02}"), ch, 5, 5, i).await;
    }
    let mut tasks = vec![];
    for i in 0..8 {
        let s = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move { s.create_batch(&ch, 0, 100, 1).await }));
    }
    let mut made = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(Some(batch)) => {
                made += 1;
                assert_eq!((batch.amount, batch.receipts), (CreditAtoms(100), 20));
            }
            Ok(None) | Err(StoreError::Conflict(_)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(made, 1);
    assert_eq!(b.batches_of_channel(&ch).await.unwrap().len(), 1);
    assert!(a.receipts_of_channel(&ch).await.unwrap().iter().all(|r| r.batch_seq == Some(0)));
}

/// Amounts are u64 in signed 64-bit columns: up to i64::MAX each, sums exact past it.
async fn amounts_up_to_i64_max(s: Shared, _: Shared) {
    let ch = Pubkey::new_unique();
    let max = i64::MAX as u64;
    assert!(s.reserve(&reservation("m1", ch, max, 1), CreditAtoms(u64::MAX), 0).await.unwrap());
    assert!(s.reserve(&reservation("m2", ch, max, 2), CreditAtoms(u64::MAX), 0).await.unwrap());
    // 2 * i64::MAX = u64::MAX - 1: one more atom fits u64::MAX, two do not
    assert!(!s.reserve(&reservation("m3", ch, 2, 3), CreditAtoms(u64::MAX), 0).await.unwrap());
    assert!(s.reserve(&reservation("m3", ch, 1, 3), CreditAtoms(u64::MAX), 0).await.unwrap());
    assert!(matches!(
        s.reserve(&reservation("m4", Pubkey::new_unique(), max + 1, 4), CreditAtoms(u64::MAX), 0).await,
        Err(StoreError::Backend(_))
    ));
    assert!(matches!(
        s.reserve(&reservation("m5", Pubkey::new_unique(), 1, 5), CreditAtoms(u64::MAX), max + 1).await,
        Err(StoreError::Backend(_))
    ));
    assert_eq!(s.receipt("m1").await.unwrap().unwrap().reserved, CreditAtoms(max));
    let u = FinalUsage {
        prompt_tokens: max,
        completion_tokens: max,
        estimated: false,
        cost: CreditAtoms(max),
        now: 6,
    };
    s.finish("m1", &u).await.unwrap();
    let over = FinalUsage { prompt_tokens: max + 1, ..u };
    assert!(matches!(s.finish("m2", &over).await, Err(StoreError::Backend(_))));
    assert!(matches!(s.create_batch(&ch, max + 1, 10, 7).await, Err(StoreError::Backend(_))));
}

/// Holds older than the cut-off are released (a crashed gateway's requests), younger ones and
/// finished receipts stay; what they held is outstanding no more.
async fn stale_holds_are_released(s: Shared, _: Shared) {
    let ch = Pubkey::new_unique();
    let big = CreditAtoms(1_000);
    assert!(s.reserve(&reservation("old", ch, 30, 100), big, 0).await.unwrap());
    assert!(s.reserve(&reservation("young", ch, 20, 200), big, 0).await.unwrap());
    assert!(s.reserve(&reservation("done", ch, 10, 50), big, 0).await.unwrap());
    s.finish("done", &usage(7, 60)).await.unwrap();
    assert_outstanding(&*s, ch, 0, 57).await;
    assert_eq!(s.void_stale(150, 300).await.unwrap(), 1);
    let old = s.receipt("old").await.unwrap().unwrap();
    assert_eq!((old.status, old.cost, old.finished_at), (ReceiptStatus::Void, CreditAtoms::ZERO, Some(300)));
    assert_eq!(s.receipt("young").await.unwrap().unwrap().status, ReceiptStatus::Reserved);
    assert_eq!(s.receipt("done").await.unwrap().unwrap().status, ReceiptStatus::Final);
    assert_outstanding(&*s, ch, 0, 27).await;
    assert_eq!(s.void_stale(150, 301).await.unwrap(), 0, "nothing twice");
    assert!(is_not_found(s.finish("old", &usage(1, 302)).await), "a released hold cannot be charged later");
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        const CASES: &[(&str, Case)] = &[$((stringify!($name), |a, b| Box::pin($name(a, b)))),*];
        mod sqlite_cases {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::run_sqlite(stringify!($name)).await;
                }
            )*
        }
    };
}

cases!(
    keys_and_proofs,
    reserve_within_the_limit,
    the_outstanding_rule,
    finish_and_void_only_from_reserved,
    batches_take_the_oldest_final_receipts,
    settle_and_fail,
    concurrent_reserves_never_exceed_the_limit,
    concurrent_batches_make_one,
    amounts_up_to_i64_max,
    stale_holds_are_released,
);

fn case(name: &str) -> Case {
    CASES.iter().find(|(n, _)| *n == name).expect("a case").1
}

/// One case on two SQLite stores over one file (two processes' worth of connections).
async fn run_sqlite(name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gateway.db");
    let a = SqliteStore::open(&path).unwrap();
    a.migrate().await.unwrap();
    a.migrate().await.unwrap(); // idempotent
    let b = SqliteStore::open(&path).unwrap();
    b.migrate().await.unwrap();
    case(name)(Arc::new(a), Arc::new(b)).await;
}

#[tokio::test]
async fn an_in_memory_store_keeps_the_contract_too() {
    let s = SqliteStore::open_in_memory().unwrap();
    s.migrate().await.unwrap();
    let s: Shared = Arc::new(s);
    case("the_outstanding_rule")(s.clone(), s.clone()).await;
    case("batches_take_the_oldest_final_receipts")(s.clone(), s).await;
}

#[tokio::test]
async fn a_sqlite_file_keeps_everything_across_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gateway.db");
    let ch = Pubkey::new_unique();
    {
        let s = SqliteStore::open(&path).unwrap();
        s.migrate().await.unwrap();
        final_receipt(&s, "a", ch, 10, 4, 1).await;
        s.create_batch(&ch, 0, 10, 2).await.unwrap().unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    s.migrate().await.unwrap();
    let b = s.pending_batch(&ch).await.unwrap().unwrap();
    assert_eq!((b.seq, b.amount, b.usage_reference), (0, CreditAtoms(4), usage_reference(&["a"])));
}

/// Every case against a real PostgreSQL server, each in its own database, through two
/// `PostgresStore`s (two gateway instances) migrated concurrently.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_keeps_the_contract() {
    let server = tokio::task::spawn_blocking(crate::testing::pg::PgServer::start)
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{e}"));
    for (name, run) in CASES {
        let url = server.create_database(name).unwrap();
        let a = PostgresStore::connect(&url).await.unwrap();
        let b = PostgresStore::connect(&url).await.unwrap();
        let (ma, mb) = tokio::join!(a.migrate(), b.migrate());
        ma.unwrap();
        mb.unwrap();
        a.migrate().await.unwrap();
        eprintln!("postgres: {name}");
        run(Arc::new(a), Arc::new(b)).await;
    }
}

/// The server drops every connection (a restart, an idle timeout): the store reconnects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_store_reconnects_after_the_server_dropped_it() {
    let server = tokio::task::spawn_blocking(crate::testing::pg::PgServer::start)
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{e}"));
    let url = server.create_database("reconnect").unwrap();
    let s = PostgresStore::connect(&url).await.unwrap();
    s.migrate().await.unwrap();
    let ch = Pubkey::new_unique();
    final_receipt(&s, "before", ch, 10, 4, 1).await;
    let (admin, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    let dropped = admin
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = 'reconnect' AND pid <> pg_backend_pid()",
            &[],
        )
        .await
        .unwrap();
    assert!(!dropped.is_empty(), "the store's connections were dropped");
    // the dropped clients notice their connection closed; the next calls reconnect
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    for _ in 0..2 * super::postgres::POOL_SIZE {
        assert_eq!(s.receipts_of_channel(&ch).await.unwrap().len(), 1);
    }
    final_receipt(&s, "after", ch, 10, 4, 2).await;
    assert_eq!(s.create_batch(&ch, 0, 10, 3).await.unwrap().unwrap().amount, CreditAtoms(8));
}
