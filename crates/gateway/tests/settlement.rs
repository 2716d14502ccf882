//! The settlement worker on a real local chain (surfpool in process with the kit-built `.so`,
//! `SBF_OUT_DIR`; feature `localnet-tests`): a holder opens a channel to a provider that named
//! a settlement key; receipts are metered into the store and the worker redeems them. Each test
//! checks the vault, the chain's sequence number and the store: nothing lost, nothing burned
//! twice, across restarts, a send that landed unrecorded, the RPC down, and two workers racing
//! on one PostgreSQL database.
use std::sync::Arc;

use compute_credits::events::CreditsRedeemed;
use credit_client::sample::CREDIT;
use credit_client::{ix, pda, read, ChannelKeys};
use credit_math::CreditAtoms;
use gateway::settlement::{SettleReport, Settler};
use gateway::store::postgres::PostgresStore;
use gateway::store::sqlite::SqliteStore;
use gateway::store::{usage_reference, BatchStatus, FinalUsage, NewReservation, ReceiptStatus, Store};
use gateway::testing::pg::PgServer;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signer;

mod common;
use common::{send, World};

/// What the settlement tests ask of the world.
trait SettlementWorld {
    fn settler(&self, store: Arc<dyn Store>) -> Settler;
    fn redeemed_references(&self) -> Vec<([u8; 32], u64)>;
}

impl SettlementWorld for World {
    fn settler(&self, store: Arc<dyn Store>) -> Settler {
        let mut s = Settler::new(store, self.net.rpc_url(), self.settlement_key.clone());
        s.priority_fee = credit_client::tx::PriorityFee::None;
        s
    }

    /// Every usage reference the chain's redemption events carry for this channel, oldest first.
    fn redeemed_references(&self) -> Vec<([u8; 32], u64)> {
        let txs = read::recent_transactions(&self.net.rpc(), &self.channel, 50).unwrap();
        let mut refs: Vec<([u8; 32], u64)> = txs
            .iter()
            .rev()
            .flat_map(|t| credit_client::events::events::<CreditsRedeemed>(&t.logs))
            .map(|e| (e.usage_reference, e.amount))
            .collect();
        refs.dedup();
        refs
    }
}

/// A request metered: reserved, then finished at `cost` atoms.
async fn meter(store: &dyn Store, channel: Pubkey, id: &str, cost: u64, at: i64) {
    let r = NewReservation {
        receipt_id: id.into(),
        channel,
        key_id: "key".into(),
        model: "smollm2".into(),
        amount: CreditAtoms(cost * 2),
        now: at,
    };
    assert!(store.reserve(&r, CreditAtoms(40 * CREDIT), 0).await.unwrap());
    let usage = FinalUsage {
        prompt_tokens: 10,
        completion_tokens: 20,
        estimated: false,
        cost: CreditAtoms(cost),
        now: at,
    };
    store.finish(id, &usage).await.unwrap();
}

async fn sqlite(path: &std::path::Path) -> Arc<dyn Store> {
    let s = SqliteStore::open(path).unwrap();
    s.migrate().await.unwrap();
    Arc::new(s)
}

fn nothing(r: &SettleReport) -> bool {
    r == &SettleReport::default()
}

#[tokio::test(flavor = "multi_thread")]
async fn finished_receipts_are_redeemed_once_with_their_usage_reference() {
    let w = World::new();
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir.path().join("gw.db")).await;
    let costs = [1_500_000, 2_000_000, 250_000];
    for (i, c) in costs.iter().enumerate() {
        meter(&*store, w.channel, &format!("req-{i}"), *c, i as i64).await;
    }
    let before = w.vault_balance();
    let settler = w.settler(store.clone());
    let report = settler.settle_once(100).await.unwrap();
    assert!(report.failed.is_empty() && report.pending.is_empty() && report.errors.is_empty(), "{report:?}");
    assert_eq!(report.settled.len(), 1, "{report:?}");
    let sum: u64 = costs.iter().sum();
    assert_eq!(before - w.vault_balance(), sum, "the vault fell by exactly the metered sum");
    assert_eq!(w.next_seq(), 1);
    let batches = store.batches_of_channel(&w.channel).await.unwrap();
    assert_eq!(batches.len(), 1);
    let b = &batches[0];
    assert_eq!((b.seq, b.status, b.amount.0, b.receipts), (0, BatchStatus::Settled, sum, 3));
    assert_eq!(b.signature, report.settled[0].signature);
    assert!(b.signature.is_some());
    assert_eq!(b.usage_reference, usage_reference(&["req-0", "req-1", "req-2"]));
    assert_eq!(
        w.redeemed_references(),
        vec![(b.usage_reference, sum)],
        "the chain's usage reference is the batch's"
    );
    for r in store.receipts_of_channel(&w.channel).await.unwrap() {
        assert_eq!((r.status, r.batch_seq), (ReceiptStatus::Batched, Some(0)));
    }
    // nothing left: the next round does nothing and burns nothing
    assert!(nothing(&settler.settle_once(101).await.unwrap()));
    assert_eq!(before - w.vault_balance(), sum);
    // more traffic: the next batch carries the next sequence number
    meter(&*store, w.channel, "req-3", 700_000, 5).await;
    let report = settler.settle_once(102).await.unwrap();
    assert_eq!(report.settled.iter().map(|b| b.seq).collect::<Vec<_>>(), [1]);
    assert_eq!(before - w.vault_balance(), sum + 700_000);
    assert_eq!(w.next_seq(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_between_batching_and_sending_settles_once() {
    let w = World::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gw.db");
    let before = w.vault_balance();
    {
        let store = sqlite(&path).await;
        meter(&*store, w.channel, "a", 3_000_000, 1).await;
        meter(&*store, w.channel, "b", 1_000_000, 2).await;
        // the worker made the batch, then the process died before sending it
        let b = store.create_batch(&w.channel, w.next_seq(), 100, 3).await.unwrap().unwrap();
        assert_eq!(b.status, BatchStatus::Pending);
    }
    let store = sqlite(&path).await;
    let settler = w.settler(store.clone());
    let report = settler.settle_once(10).await.unwrap();
    assert_eq!(report.settled.len(), 1, "{report:?}");
    assert!(report.settled[0].signature.is_some(), "sent now");
    assert_eq!(before - w.vault_balance(), 4_000_000);
    assert_eq!(w.next_seq(), 1);
    assert!(nothing(&settler.settle_once(11).await.unwrap()));
    assert_eq!(before - w.vault_balance(), 4_000_000, "burned once");
    assert_eq!(store.batches_of_channel(&w.channel).await.unwrap()[0].status, BatchStatus::Settled);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_that_landed_unrecorded_is_settled_without_burning_again() {
    let w = World::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gw.db");
    let before = w.vault_balance();
    let batch = {
        let store = sqlite(&path).await;
        meter(&*store, w.channel, "a", 2_500_000, 1).await;
        let settler = w.settler(store.clone());
        let batch = store.create_batch(&w.channel, 0, 100, 2).await.unwrap().unwrap();
        let chain = settler.chain_channel(w.channel).await.unwrap();
        // sent and landed; the process dies before settle_batch records it
        settler.send_batch(chain.keys, &batch).await.unwrap().expect("lands");
        batch
    };
    assert_eq!(before - w.vault_balance(), 2_500_000);
    assert_eq!(w.next_seq(), 1);
    let store = sqlite(&path).await;
    assert_eq!(
        store.pending_batch(&w.channel).await.unwrap(),
        Some(batch.clone()),
        "still pending in the store"
    );
    let report = w.settler(store.clone()).settle_once(10).await.unwrap();
    assert_eq!(report.settled.len(), 1, "{report:?}");
    assert_eq!(
        (report.settled[0].seq, report.settled[0].signature.as_deref()),
        (0, None),
        "found landed, not sent"
    );
    assert_eq!(before - w.vault_balance(), 2_500_000, "not burned again");
    assert_eq!(w.next_seq(), 1);
    assert_eq!(store.batches_of_channel(&w.channel).await.unwrap()[0].status, BatchStatus::Settled);
    assert_eq!(w.redeemed_references(), vec![(batch.usage_reference, 2_500_000)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_rpc_down_nothing_is_lost_and_it_settles_once_back_up() {
    let w = World::new();
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir.path().join("gw.db")).await;
    let before = w.vault_balance();
    // a port nothing listens on
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut down = w.settler(store.clone());
    down.rpc_url = format!("http://127.0.0.1:{closed}");
    meter(&*store, w.channel, "a", 1_000_000, 1).await;
    // no chain to read: no batch made, the receipt stays Final
    let report = down.settle_once(2).await.unwrap();
    assert_eq!(report.errors.len(), 1, "{report:?}");
    assert_eq!(report.errors[0].0, w.channel);
    assert!(report.settled.is_empty() && report.failed.is_empty());
    assert_eq!(store.receipt("a").await.unwrap().unwrap().status, ReceiptStatus::Final);
    // a batch made before the RPC went down stays Pending, its receipts with it
    let up = w.settler(store.clone());
    let b = store.create_batch(&w.channel, 0, 100, 3).await.unwrap().unwrap();
    meter(&*store, w.channel, "b", 2_000_000, 4).await;
    for round in 0..2 {
        let report = down.settle_once(5 + round).await.unwrap();
        assert!(report.settled.is_empty() && report.failed.is_empty(), "{report:?}");
        assert_eq!(store.pending_batch(&w.channel).await.unwrap(), Some(b.clone()));
    }
    assert_eq!(w.vault_balance(), before, "nothing burned");
    // back up: the pending batch settles once, then the receipt that waited behind it
    let r1 = up.settle_once(10).await.unwrap();
    assert_eq!(r1.settled.iter().map(|b| b.seq).collect::<Vec<_>>(), [0], "{r1:?}");
    let r2 = up.settle_once(11).await.unwrap();
    assert_eq!(
        r2.settled.iter().map(|b| (b.seq, b.amount.0)).collect::<Vec<_>>(),
        [(1, 2_000_000)],
        "{r2:?}"
    );
    assert!(nothing(&up.settle_once(12).await.unwrap()));
    assert_eq!(before - w.vault_balance(), 3_000_000);
    assert_eq!(w.next_seq(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_channel_fails_its_batch_and_burns_nothing() {
    let w = World::new();
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir.path().join("gw.db")).await;
    meter(&*store, w.channel, "a", 1_000_000, 1).await;
    // the provider releases the channel: nothing can be redeemed any more
    let rpc = w.net.rpc();
    let state = read::channel(&rpc, &w.channel).unwrap();
    let class = read::class(&rpc, &state.class).unwrap();
    let keys = ChannelKeys::from_state(w.channel, &state, &class);
    send(&rpc, &[ix::channel::release_channel(&keys)], &[&w.provider]);
    let before = w.vault_balance();
    let report = w.settler(store.clone()).settle_once(2).await.unwrap();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert!(report.failed[0].1.starts_with("ChannelClosed"), "{report:?}");
    assert_eq!(w.vault_balance(), before);
    assert_eq!(w.next_seq(), 0);
    assert_eq!(store.batches_of_channel(&w.channel).await.unwrap()[0].status, BatchStatus::Failed);
    assert!(store.channels_to_settle().await.unwrap().is_empty());
    // a pending batch ahead of the chain's number is reported and left alone
    meter(&*store, w.channel, "b", 1_000_000, 3).await;
    let ahead = store.create_batch(&w.channel, 7, 100, 4).await.unwrap().unwrap();
    let report = w.settler(store.clone()).settle_once(5).await.unwrap();
    assert_eq!(report.errors.len(), 1, "{report:?}");
    assert!(report.errors[0].1.contains("ahead of the chain"), "{report:?}");
    assert_eq!(store.pending_batch(&w.channel).await.unwrap(), Some(ahead));
    assert_eq!(w.vault_balance(), before);
}

/// A refusal that can pass (the class paused) leaves the batch Pending; once resumed, the same
/// batch settles, once.
#[tokio::test(flavor = "multi_thread")]
async fn a_paused_class_leaves_the_batch_pending_until_it_resumes() {
    let w = World::new();
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir.path().join("gw.db")).await;
    meter(&*store, w.channel, "a", 1_200_000, 1).await;
    let rpc = w.net.rpc();
    let class = read::channel(&rpc, &w.channel).unwrap().class;
    let (mint, t22) = (pda::credit_mint(&class), anchor_spl::token_2022::ID);
    let a = w.admin.pubkey();
    send(&rpc, &[ix::pause_class(&a, &class, &mint, &t22)], &[&w.admin]);
    let before = w.vault_balance();
    let settler = w.settler(store.clone());
    for round in 0..2 {
        let report = settler.settle_once(2 + round).await.unwrap();
        assert_eq!(report.pending.len(), 1, "{report:?}");
        assert!(report.pending[0].1.starts_with("ClassPaused"), "{report:?}");
        assert!(report.failed.is_empty() && report.settled.is_empty());
    }
    let batch = store.pending_batch(&w.channel).await.unwrap().expect("still pending");
    assert_eq!((batch.seq, batch.amount.0), (0, 1_200_000));
    assert_eq!(w.vault_balance(), before);
    send(&rpc, &[ix::resume_class(&a, &class, &mint, &t22)], &[&w.admin]);
    let report = settler.settle_once(10).await.unwrap();
    assert_eq!(report.settled.len(), 1, "{report:?}");
    assert_eq!(report.settled[0].usage_reference, batch.usage_reference, "the same batch");
    assert_eq!(before - w.vault_balance(), 1_200_000);
    assert_eq!(w.next_seq(), 1);
    let _ = &w.holder;
}

/// The worker's loop settles what arrives and stops when told.
#[tokio::test(flavor = "multi_thread")]
async fn the_running_worker_settles_and_stops_on_shutdown() {
    let w = World::new();
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir.path().join("gw.db")).await;
    let mut settler = w.settler(store.clone());
    settler.interval = std::time::Duration::from_millis(100);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(settler.run(stopped));
    let before = w.vault_balance();
    meter(&*store, w.channel, "a", 900_000, 1).await;
    meter(&*store, w.channel, "b", 100_000, 2).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while store.receipt("b").await.unwrap().unwrap().status != ReceiptStatus::Batched
        || store.pending_batch(&w.channel).await.unwrap().is_some()
    {
        assert!(std::time::Instant::now() < deadline, "the worker did not settle in 60 s");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(before - w.vault_balance(), 1_000_000);
    stop.send(true).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(60), worker).await.expect("stops").unwrap();
    assert!(store
        .batches_of_channel(&w.channel)
        .await
        .unwrap()
        .iter()
        .all(|b| b.status == BatchStatus::Settled));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_settlers_on_one_postgres_burn_each_batch_once() {
    let w = World::new();
    let server =
        tokio::task::spawn_blocking(PgServer::start).await.unwrap().unwrap_or_else(|e| panic!("{e}"));
    let url = server.create_database("gateway").unwrap();
    let (a, b) = (PostgresStore::connect(&url).await.unwrap(), PostgresStore::connect(&url).await.unwrap());
    a.migrate().await.unwrap();
    let (a, b): (Arc<dyn Store>, Arc<dyn Store>) = (Arc::new(a), Arc::new(b));
    let (one, two) = (w.settler(a.clone()), w.settler(b.clone()));
    let before = w.vault_balance();
    let mut total = 0;
    for round in 0..3u64 {
        for i in 0..4 {
            let cost = 100_000 * (round + 1) + i;
            let store = if i % 2 == 0 { &a } else { &b };
            meter(&**store, w.channel, &format!("r{round}-{i}"), cost, (round * 10 + i) as i64).await;
            total += cost;
        }
        let (r1, r2) = tokio::join!(one.settle_once(100 + round as i64), two.settle_once(100 + round as i64));
        let (r1, r2) = (r1.unwrap(), r2.unwrap());
        assert!(r1.failed.is_empty() && r2.failed.is_empty(), "{r1:?} {r2:?}");
        // whichever raced, the round's batch landed once
        let mut pending = a.pending_batch(&w.channel).await.unwrap();
        if pending.is_some() {
            // one worker's send was still unconfirmed when the other gave up: a round resolves it
            one.settle_once(200 + round as i64).await.unwrap();
            pending = a.pending_batch(&w.channel).await.unwrap();
        }
        assert_eq!(pending, None);
        // the batch is reported settled by one worker only
        let reported = r1.settled.len() + r2.settled.len();
        assert!(reported <= 1, "{r1:?} {r2:?}");
        assert_eq!(w.next_seq(), round + 1, "one redemption per round");
        assert_eq!(before - w.vault_balance(), total, "round {round}: {r1:?} {r2:?}");
    }
    // both find the same Pending batch (made before a crash) and both send it: the chain's
    // sequence number lets one land; the other is refused (or its identical transaction is
    // dropped as already processed) and a read of the chain finds it landed
    meter(&*a, w.channel, "last", 333_333, 99).await;
    total += 333_333;
    a.create_batch(&w.channel, 3, 100, 99).await.unwrap().unwrap();
    let (r1, r2) = tokio::join!(one.settle_once(300), two.settle_once(300));
    let (r1, r2) = (r1.unwrap(), r2.unwrap());
    assert!(r1.failed.is_empty() && r2.failed.is_empty(), "{r1:?} {r2:?}");
    if a.pending_batch(&w.channel).await.unwrap().is_some() {
        let r = one.settle_once(301).await.unwrap();
        assert_eq!(r.settled.len(), 1, "the next round finds it landed: {r:?}");
    }
    assert_eq!(a.pending_batch(&w.channel).await.unwrap(), None);
    assert_eq!(w.next_seq(), 4);
    assert_eq!(before - w.vault_balance(), total, "burned once");
    let batches = b.batches_of_channel(&w.channel).await.unwrap();
    assert_eq!(
        batches.iter().map(|b| (b.seq, b.status)).collect::<Vec<_>>(),
        [
            (0, BatchStatus::Settled),
            (1, BatchStatus::Settled),
            (2, BatchStatus::Settled),
            (3, BatchStatus::Settled)
        ]
    );
    assert_eq!(batches.iter().map(|b| b.amount.0).sum::<u64>(), total);
    assert_eq!(w.redeemed_references().len(), 4);
}
