//! Issue 14 end to end, as users run it: the provider names a settlement key; the holder opens a
//! channel with the CLI and gets an API key by signing with its wallet (`app channel key`); the
//! official OpenAI client (PyPI `openai`, not ours) sends chat requests, whole and streamed, and
//! embeddings through the gateway (`app gateway serve`) to a real model (SmolLM2-135M behind
//! our node-llama-cpp adapter); the receipts carry the usage the client saw; the gateway is
//! killed before it settled and restarted: the vault falls by exactly the metered amount, once;
//! another crash after settling burns nothing twice; a revoked or unknown key gets 401, a
//! closing channel 402; after the notice the holder finalizes and gets the rest back.
mod common;
#[path = "common/world.rs"]
mod world;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{TestNet, Wallet};
use credit_client::{pda, read};
use credit_math::metering::{TokenPrice, TokenUsage};
use credit_math::CreditAtoms;
use gateway::testing::service::{model_server, python, repo, Service};
use serde_json::Value;
use world::{balance, World, CREDIT};

/// Credit atoms per 1,000 tokens: 0.002 GPU-hours of prompt, 0.006 of completion, 0.001 to embed.
const CHAT_PRICE: TokenPrice =
    TokenPrice { prompt_per_1k: CreditAtoms(2_000), completion_per_1k: CreditAtoms(6_000) };
const EMBED_PRICE: TokenPrice =
    TokenPrice { prompt_per_1k: CreditAtoms(1_000), completion_per_1k: CreditAtoms(0) };

struct Gateway {
    config: PathBuf,
    net_url: String,
    home: PathBuf,
}

impl Gateway {
    fn write_config(
        dir: &Path,
        net: &TestNet,
        w: &World,
        provider: &Wallet,
        hot: &Wallet,
        upstream: &str,
        interval: u64,
    ) -> PathBuf {
        let text = format!(
            r#"listen = "127.0.0.1:0"
rpc_url = "{rpc}"
class = "{class}"
provider_authority = "{provider}"
settlement_keypair = "{key}"
database = "sqlite:{db}"

[settlement]
interval_secs = {interval}

[[models]]
id = "smollm2"
kind = "chat"
prompt_per_1k = {cp}
completion_per_1k = {cc}
default_max_tokens = 48
upstreams = [{{ url = "{upstream}", model = "SmolLM2-135M-Instruct.Q4_1" }}]

[[models]]
id = "smollm2-embed"
kind = "embeddings"
prompt_per_1k = {ep}
upstreams = [{{ url = "{upstream}", model = "SmolLM2-135M-Instruct.Q4_1" }}]
"#,
            rpc = net.url(),
            class = w.class,
            provider = provider.pubkey(),
            key = hot.k(),
            db = dir.join("gateway.db").display(),
            cp = CHAT_PRICE.prompt_per_1k.0,
            cc = CHAT_PRICE.completion_per_1k.0,
            ep = EMBED_PRICE.prompt_per_1k.0,
        );
        let path = dir.join(format!("gateway-{interval}.toml"));
        std::fs::write(&path, text).expect("write the gateway's config");
        path
    }

    fn start(&self) -> (Service, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_app"));
        cmd.args(["-u", &self.net_url, "gateway", "serve", "--config", self.config.to_str().unwrap()])
            .env("HOME", &self.home);
        let (svc, url) = Service::start("gateway", cmd, "gateway listening on ", Duration::from_secs(60));
        (svc, url.trim().to_string())
    }
}

/// The official client's scenario (chat, streamed chat with usage, embeddings): one JSON line.
fn openai_scenario(base: &str, key: &str) -> Value {
    let out = Command::new(python())
        .arg(repo().join("crates/gateway/python/client_scenario.py"))
        .args(["--base-url", &format!("{base}/v1"), "--api-key", key])
        .args(["--chat-model", "smollm2", "--embedding-model", "smollm2-embed"])
        .output()
        .expect("run the openai client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "client scenario failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value =
        serde_json::from_str(stdout.lines().last().unwrap_or("")).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(v["ok"], true, "{v}");
    v["calls"].clone()
}

/// A chat request the official client must see refused with `status`; returns the error it
/// raised (`--expect-error`).
fn openai_error(base: &str, key: &str, status: u16) -> Value {
    let out = Command::new(python())
        .arg(repo().join("crates/gateway/python/client_scenario.py"))
        .args(["--base-url", &format!("{base}/v1"), "--api-key", key])
        .args(["--chat-model", "smollm2", "--calls", "chat", "--expect-error", &status.to_string()])
        .output()
        .expect("run the openai client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "expected {status}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let v: Value =
        serde_json::from_str(stdout.lines().last().unwrap_or("")).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let error = v["calls"]["chat"]["error"].clone();
    assert_eq!(error["status"], status, "{v}");
    error
}

fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

fn usage_of(call: &Value) -> TokenUsage {
    let u = &call["usage"];
    TokenUsage {
        prompt_tokens: u["prompt_tokens"].as_u64().unwrap_or_else(|| panic!("no usage: {call}")),
        completion_tokens: u["completion_tokens"].as_u64().unwrap_or(0),
    }
}

/// The receipts of the key's channel, by status.
fn receipts(base: &str, key: &str) -> Vec<Value> {
    let all = block(gateway::client::receipts(base, key)).expect("receipts");
    all["receipts"].as_array().expect("receipts").clone()
}

fn wait_until(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !ok() {
        assert!(Instant::now() < deadline, "{what}: not within {secs} s");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Checks one scenario's receipts against what the client saw; returns their total cost.
fn check_receipts(seen: &Value, rs: &[Value]) -> u64 {
    let calls = [("chat", &CHAT_PRICE), ("stream", &CHAT_PRICE), ("embeddings", &EMBED_PRICE)];
    assert_eq!(rs.len(), calls.len(), "one receipt per request: {rs:?}");
    let mut total = 0;
    for ((name, price), r) in calls.iter().zip(rs) {
        let u = usage_of(&seen[*name]);
        assert_eq!(r["prompt_tokens"].as_u64(), Some(u.prompt_tokens), "{name}: {r}");
        assert_eq!(r["completion_tokens"].as_u64(), Some(u.completion_tokens), "{name}: {r}");
        assert_eq!(r["estimated"], false, "{name}: the upstream reported usage");
        let cost = price.cost_ceil(u).unwrap().0;
        assert!(cost > 0, "{name} costs something");
        assert_eq!(r["cost"].as_u64(), Some(cost), "{name}: charged its usage at the model's price");
        assert!(r["reserved"].as_u64().unwrap() >= cost, "the hold covered the cost: {r}");
        total += cost;
    }
    total
}

#[test]
fn the_official_openai_client_through_the_gateway_to_a_real_model_and_back_to_the_chain() {
    let net = TestNet::start("gateway");
    let w = World::new(&net);
    let holder = w.wallet(&net, "holder", 1_000, 100);
    let provider = net.wallet("provider");
    let hot = net.wallet("settlement");
    let (ps, h) = (provider.pubkey().to_string(), holder.pubkey());
    net.ok(&net.authority, &["provider", "register", "0", &ps]);
    net.ok(&provider, &["provider", "settlement-key", "0", &hot.pubkey().to_string()]);

    // the holder escrows 10 credits for a month, with an hour's notice
    let out = net.json(
        &holder,
        &[
            "channel",
            "open",
            "--class",
            "0",
            "--provider",
            &ps,
            "--amount",
            "10",
            "--cap",
            "10",
            "--expires",
            "30d",
            "--notice",
            "1h",
        ],
    );
    assert_eq!(out["outcome"], "landed", "{out}");
    let channel = pda::channel(&w.class, &h, &provider.pubkey());
    let vault = pda::channel_vault(&channel);
    let deposit = 10 * CREDIT;
    assert_eq!(balance(&net, &vault), deposit);

    let (_model, upstream) = model_server(&[]);
    let dir = net.dir.clone();
    // first run: settles once a minute (a round at start, then none in this test's time), and
    // is killed before it does
    let slow = Gateway {
        config: Gateway::write_config(&dir, &net, &w, &provider, &hot, &upstream, 60),
        net_url: net.url().to_string(),
        home: dir.clone(),
    };
    let (gw, base) = slow.start();

    // the holder proves it owns the channel's wallet and gets a key
    let issued = net.json(&holder, &["channel", "key", "--gateway", &base]);
    let key = issued["key"].as_str().expect("a key").to_string();
    assert_eq!(issued["channel"], channel.to_string());

    let seen = openai_scenario(&base, &key);
    assert!(seen["chat"]["text_len"].as_u64().unwrap() > 0, "the model answered: {seen}");
    assert!(seen["stream"]["text_len"].as_u64().unwrap() > 0, "the model streamed: {seen}");
    assert!(seen["embeddings"]["dimensions"].as_u64().unwrap() > 0, "an embedding: {seen}");
    let rs = receipts(&base, &key);
    assert!(rs.iter().all(|r| r["status"] == "final"), "finished, not yet settled: {rs:?}");
    let first = check_receipts(&seen, &rs);
    assert_eq!(balance(&net, &vault), deposit, "nothing burned before settlement");

    // a crash with three receipts unsettled
    gw.crash();

    // second run: settles every second
    let fast =
        Gateway { config: Gateway::write_config(&dir, &net, &w, &provider, &hot, &upstream, 1), ..slow };
    let (gw, base) = fast.start();
    wait_until("the receipts settle", 60, || balance(&net, &vault) == deposit - first);
    let ch = read::channel(&net.rpc(), &channel).unwrap();
    assert_eq!(ch.meter.next_seq, 1, "one batch");
    assert_eq!(ch.meter.redeemed.0, first);

    // more traffic, settled too
    let seen2 = openai_scenario(&base, &key);
    let rs = receipts(&base, &key);
    let second = check_receipts(&seen2, &rs[3..]);
    wait_until("the second batch settles", 60, || balance(&net, &vault) == deposit - first - second);
    let batches = block(gateway::client::receipts(&base, &key)).unwrap()["batches"].clone();
    let batches = batches.as_array().unwrap();
    assert!(batches.iter().all(|b| b["status"] == "settled"), "{batches:?}");
    let settled: u64 = batches.iter().map(|b| b["amount"].as_u64().unwrap()).sum();
    assert_eq!(settled, first + second, "batches carry exactly the receipts' costs: {batches:?}");
    let seqs: Vec<u64> = batches.iter().map(|b| b["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (0..batches.len() as u64).collect::<Vec<_>>(), "one sequence number each, in order");
    assert_eq!(read::channel(&net.rpc(), &channel).unwrap().meter.next_seq, batches.len() as u64);

    // a crash after settling, then a restart: nothing is burned twice
    gw.crash();
    let (gw, base) = fast.start();
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(balance(&net, &vault), deposit - first - second, "nothing burned twice");
    assert_eq!(read::channel(&net.rpc(), &channel).unwrap().meter.next_seq, batches.len() as u64);
    assert!(receipts(&base, &key).iter().all(|r| r["status"] == "batched"), "every receipt in a batch");

    // keys: an unknown one and a revoked one get 401 from the official client
    let bogus = openai_error(&base, "sk-cc-000000000000-1111111111111111111111111111111111", 401);
    assert_eq!(bogus["code"], "invalid_api_key", "{bogus}");
    let spare = net.json(&holder, &["channel", "key", "--gateway", &base]);
    let spare_key = spare["key"].as_str().unwrap();
    net.ok(&holder, &["channel", "key", "--gateway", &base, "--revoke", spare["id"].as_str().unwrap()]);
    let revoked = openai_error(&base, spare_key, 401);
    assert!(revoked["message"].as_str().unwrap().contains("revoked"), "{revoked}");
    // a stranger cannot get a key for the holder's channel: it is not the holder
    let stranger = net.wallet("stranger");
    let err = net.fails(&stranger, &["channel", "key", "--gateway", &base]);
    assert!(err.contains("403"), "{err}");

    // the holder asks to close: the gateway serves no more (402), the notice runs
    net.ok(&holder, &["channel", "close", &channel.to_string()]);
    std::thread::sleep(Duration::from_millis(1_500));
    let closing = openai_error(&base, &key, 402);
    assert_eq!(closing["code"], "channel_cannot_pay", "{closing}");
    assert!(closing["message"].as_str().unwrap().contains("close"), "{closing}");
    gw.terminate();

    // after the notice anyone finalizes: the rest returns to the holder
    let before = balance(&net, &w.credits_of(&h));
    let rest = balance(&net, &vault);
    assert_eq!(rest, deposit - first - second);
    net.time_travel_to(net.now() + 3_700);
    net.ok(&holder, &["channel", "finalize", &channel.to_string()]);
    assert_eq!(balance(&net, &w.credits_of(&h)), before + rest, "the rest back to the holder");
    assert_eq!(
        balance(&net, &w.credits_of(&h)),
        100 * CREDIT - first - second,
        "the holder paid exactly the metered amount"
    );
}
