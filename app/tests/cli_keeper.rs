//! `app keeper` against a local network, run as a user runs it (the built binary): it cranks a
//! missed installment into default once a fresh price allows it (and says why it cannot before),
//! refreshes a Pyth feed, pulls a frozen trader's orders and prunes an expired one, sends nothing
//! the second time; it outlives a restart of the node and exits cleanly on SIGINT.
mod common;
#[path = "common/keeper.rs"]
mod keeper;
#[path = "common/keeper_market.rs"]
mod keeper_market;
#[path = "common/world.rs"]
mod world;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{TestNet, Wallet};
use compute_credits::state::seat_is_frozen;
use credit_client::read;
use credit_math::ledger::LoanStatus;
use keeper::*;
use keeper_market::MarketWorld;
use serde_json::Value;
use solana_sdk::signature::{Keypair, Signer};
use world::World;

/// `app keeper --once --output json-compact args...`: its log lines, parsed.
fn keeper_once(tn: &TestNet, keeper: &Wallet, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["keeper", "--once", "--output", "json-compact"];
    all.extend_from_slice(args);
    let stdout = tn.ok(keeper, &all);
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}\n{stdout}")))
        .collect()
}

fn events<'a>(lines: &'a [Value], event: &str, action: &str) -> Vec<&'a Value> {
    lines.iter().filter(|l| l["event"] == event && l["action"] == action).collect()
}

/// The one `sent` line of `action` on `address`, with what it cost.
fn one_sent<'a>(lines: &'a [Value], action: &str, address: &str) -> &'a Value {
    let sent = events(lines, "sent", action);
    assert_eq!(sent.len(), 1, "one {action} sent: {lines:#?}");
    let line = sent[0];
    assert_eq!(line["address"], address, "{line}");
    assert!(line["signature"].as_str().is_some_and(|s| s.len() > 80), "a signature: {line}");
    assert!(line["unitsConsumed"].as_u64().is_some_and(|u| u > 0), "units: {line}");
    assert!(line["fee"].as_u64().is_some_and(|f| f >= 5_000), "fee in lamports: {line}");
    line
}

fn round(lines: &[Value]) -> &Value {
    lines.iter().find(|l| l["event"] == "round").unwrap_or_else(|| panic!("a round line: {lines:#?}"))
}

#[test]
fn keeper_cranks_default_refreshes_pyth_pulls_frozen_orders_and_is_idempotent() {
    let tn = TestNet::start("keeper");
    let rpc = tn.rpc();
    let keeper = tn.wallet("keeper");
    let w = World::new(&tn);
    let f = Financed::new(&tn, &w);
    let bid_expiry = tn.now() + 600;
    let mw = MarketWorld::new(&tn, &w, bid_expiry);
    mw.freeze_seller(&tn, &w);
    let pyth_feed = pyth_class(&tn, &w);
    let update = Keypair::new().pubkey();
    let pyth = format!("{pyth_feed}={update}");

    // nothing is due yet: the keeper finds the orders resting (not expired) and the seller frozen
    let lines = keeper_once(&tn, &keeper, &[]);
    assert!(events(&lines, "sent", "update_loan").is_empty(), "{lines:#?}");
    one_sent(&lines, "cancel_frozen_orders_v2", &mw.k.market.to_string());
    let m = read::market(&rpc, &mw.k.market).unwrap();
    assert_eq!(m.asks().len, 0, "the frozen seller's ask is pulled");
    assert_eq!(m.bids().len, 1, "the bid has not expired");
    let seller_seat = m.seats.iter().find(|s| s.owner == mw.seller.pubkey().to_bytes()).unwrap();
    assert!(seat_is_frozen(seller_seat) && seller_seat.order_count == 0);
    // a frozen seat may still bid: the keeper leaves that bid alone from now on
    mw.seller_bids(&tn, &w);

    // past installment 1's grace and cure windows, and the bid's expiry; the native price is
    // stale now, the Pyth update fresh
    tn.time_travel_to(f.default_time(&rpc).max(bid_expiry + 1));
    let published = tn.now();
    write_pyth_update(&tn, &update, published);
    let lines = keeper_once(&tn, &keeper, &["--pyth", &pyth]);
    let blocked = events(&lines, "blocked", "update_loan");
    assert_eq!(blocked.len(), 1, "{lines:#?}");
    assert_eq!(blocked[0]["note"], "Current -> Defaulted");
    assert!(blocked[0]["reason"].as_str().unwrap().starts_with("StalePrice: "), "{}", blocked[0]);
    assert!(blocked[0]["hint"].as_str().unwrap().contains("publishers"), "{}", blocked[0]);
    assert_eq!(f.status(&rpc), LoanStatus::Current, "nothing sent for the loan");
    one_sent(&lines, "refresh_pyth_price", &pyth_feed.to_string());
    assert_eq!(feed_state(&rpc, &pyth_feed).publish_time, published, "the feed carries the update");
    one_sent(&lines, "prune_expired", &mw.k.market.to_string());
    assert!(events(&lines, "sent", "cancel_frozen_orders_v2").is_empty(), "{lines:#?}");
    let bids = read::market(&rpc, &mw.k.market).unwrap().bids();
    assert_eq!(bids.len, 1, "the expired bid is pruned, the frozen seller's stays");
    assert_eq!(bids.orders()[0].price.0, 150);

    // a fresh price: the crank goes through and the loan is defaulted on chain (the log for
    // people this time: one line per crank with its signature, units and fee)
    w.publish(&tn);
    // --simulate: the crank is simulated (what it would cost), nothing is sent
    let lines = keeper_once(&tn, &keeper, &["--pyth", &pyth, "--simulate"]);
    let simulated = events(&lines, "simulated", "update_loan");
    assert_eq!(simulated.len(), 1, "{lines:#?}");
    assert!(simulated[0]["unitsConsumed"].as_u64().is_some_and(|u| u > 0), "{}", simulated[0]);
    assert!(lines.iter().all(|l| l["event"] != "sent"), "{lines:#?}");
    assert_eq!(f.status(&rpc), LoanStatus::Current);
    let out = tn.ok(&keeper, &["keeper", "--once", "--pyth", &pyth]);
    eprintln!("{out}");
    let sent: Vec<&str> = out.lines().filter(|l| l.split_whitespace().nth(1) == Some("sent")).collect();
    assert_eq!(sent.len(), 1, "only the loan's crank:\n{out}");
    let prefix = format!("update_loan {} (Current -> Defaulted): ", f.loan.loan);
    assert!(sent[0].contains(&prefix) && sent[0].contains(" units (limit "), "{out}");
    assert!(sent[0].ends_with(" lamports") && !sent[0].contains("fee ? "), "{out}");
    assert!(out.contains("round 1: 1 cranks sent ("), "{out}");
    assert_eq!(f.status(&rpc), LoanStatus::Defaulted);

    // again: nothing left to do, nothing sent
    let lines = keeper_once(&tn, &keeper, &["--pyth", &pyth]);
    assert_eq!(round(&lines)["sent"], 0, "{lines:#?}");
    assert!(lines.iter().all(|l| l["event"] != "sent" && l["event"] != "failed"), "{lines:#?}");

    // a native feed given as a Pyth feed is named as such; --sign-only has nothing to sign
    let lines = keeper_once(&tn, &keeper, &["--pyth", &format!("{}={update}", w.feed)]);
    let wrong = lines.iter().find(|l| l["event"] == "misconfigured").expect("misconfigured line");
    assert!(wrong["reason"].as_str().unwrap().contains("not a Pyth feed"), "{wrong}");
    let stderr = tn.fails(&keeper, &["keeper", "--once", "--sign-only"]);
    assert!(stderr.contains("--sign-only"), "{stderr}");
}

/// The keeper's stdout, line by line, as it runs.
struct Running {
    child: Child,
    lines: Arc<Mutex<Vec<Value>>>,
}

impl Running {
    fn start(tn: &TestNet, keeper: &Wallet) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_app"))
            .args(["-u", tn.url(), "-k", keeper.k(), "keeper", "--interval", "1", "--output", "json-compact"])
            .env("HOME", &tn.dir)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the keeper");
        let lines = Arc::new(Mutex::new(vec![]));
        let (out, sink) = (child.stdout.take().unwrap(), lines.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                eprintln!("keeper: {line}");
                let v =
                    serde_json::from_str(&line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
                sink.lock().unwrap().push(v);
            }
        });
        Running { child, lines }
    }

    /// Waits (at most `secs`) for a line after the first `from` lines that `f` accepts; returns
    /// its index.
    fn wait_for(&self, from: usize, secs: u64, what: &str, f: impl Fn(&Value) -> bool) -> usize {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(i) = self.lines.lock().unwrap().iter().skip(from).position(&f) {
                return from + i;
            }
            assert!(Instant::now() < deadline, "no {what} in {secs} s: {:#?}", self.lines.lock().unwrap());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn len(&self) -> usize {
        self.lines.lock().unwrap().len()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // a failed assertion must not leave the keeper running (this process started it)
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn keeper_survives_a_node_restart_and_stops_cleanly_on_sigint() {
    let mut tn = TestNet::start("keeper-restart");
    let keeper = tn.wallet("keeper");
    let k = Running::start(&tn, &keeper);
    k.wait_for(0, 60, "first round", |l| l["event"] == "round");

    // the node goes away: the keeper retries, waiting twice as long each time
    tn.net.stop().expect("stop the node");
    let down = k.len();
    k.wait_for(down, 60, "a first retry", |l| l["event"] == "rpc_error");
    let second = k.wait_for(down, 60, "a second retry", |l| l["event"] == "rpc_error" && l["retry"] == 2);
    {
        let lines = k.lines.lock().unwrap();
        let waits: Vec<u64> = lines[down..=second]
            .iter()
            .filter(|l| l["event"] == "rpc_error")
            .map(|l| l["retryInMs"].as_u64().unwrap())
            .collect();
        assert_eq!(waits, [500, 1_000], "{lines:#?}");
    }

    // and comes back on the same ports, empty: the program, then a loan past its deadlines
    let port = |url: &str| url.rsplit(':').next().unwrap().parse::<u16>().unwrap();
    let (rpc_port, ws_port) = (port(tn.url()), port(tn.net.ws_url()));
    tn.net = localnet::Localnet::start(localnet::Options {
        rpc_port,
        ws_port,
        blocks: localnet::Blocks::Clock { slot_ms: 50 },
        airdrop: vec![tn.authority.pubkey(), keeper.pubkey()],
        airdrop_lamports: 1_000 * common::SOL,
        ..localnet::Options::default()
    })
    .expect("the node restarts on the same ports");
    tn.net
        .write_program(&compute_credits::ID, &common::program_so(), &tn.authority.pubkey())
        .expect("program");
    let back = k.len();
    k.wait_for(back, 60, "a round on the restarted node", |l| l["event"] == "round");
    let w = World::new(&tn);
    let f = Financed::new(&tn, &w);
    let rpc = tn.rpc();
    tn.time_travel_to(f.default_time(&rpc));
    w.publish(&tn);
    let loan = f.loan.loan.to_string();
    let i =
        k.wait_for(back, 90, "the loan's crank", |l| l["event"] == "sent" && l["address"] == loan.as_str());
    assert_eq!(k.lines.lock().unwrap()[i]["note"], "Current -> Defaulted");
    assert_eq!(f.status(&rpc), LoanStatus::Defaulted);

    // SIGINT: a summary, exit 0
    let mut k = k;
    // SAFETY: a signal to the child process this test started
    assert_eq!(unsafe { libc::kill(k.child.id() as i32, libc::SIGINT) }, 0);
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = k.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the keeper did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "exit status {status}");
    let summary = k.wait_for(0, 10, "summary", |l| l["event"] == "summary");
    let lines = k.lines.lock().unwrap();
    assert!(lines[summary]["sent"].as_u64().unwrap() >= 1, "{}", lines[summary]);
    assert!(lines.iter().any(|l| l["event"] == "stopping"));
}
