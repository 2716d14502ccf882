//! The gateway's HTTP side against real upstreams on a real local chain (feature
//! `localnet-tests`): keys by signed message (once, revocable, the holder's only), failover
//! before the first byte, 429s and usage where llm-katan puts it, `max_tokens` capped at what
//! the channel can pay and concurrent requests that cannot overspend, channels the gateway
//! cannot settle in time refused with 402 (nothing held), usage counted by the gateway when an
//! upstream reports none, a client leaving mid-stream, two gateways on one PostgreSQL.
mod common;

use std::time::Duration;

use common::{send, terms, World};
use credit_client::sample::CREDIT;
use credit_client::{ix, read};
use credit_math::metering::{TokenPrice, TokenUsage};
use credit_math::CreditAtoms;
use futures_util::StreamExt;
use gateway::client;
use gateway::keys;
use gateway::metering::unix_now;
use gateway::testing::pg::PgServer;
use gateway::testing::service::{katan, model_server};
use serde_json::{json, Value};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{write_keypair_file, Keypair, Signer};

/// Nothing listens here: connecting is refused at once.
const CLOSED: &str = "http://127.0.0.1:9/v1";

struct Gw {
    running: gateway::Running,
    base: String,
    _dir: tempfile::TempDir,
}

/// Starts a gateway in this process for `w`'s provider with `models` (TOML `[[models]]`
/// tables) and extra `[limits]` lines; `database`: PostgreSQL URL, else SQLite in a new dir.
async fn start(w: &World, models: &str, limits: &str, interval: u64, database: Option<&str>) -> Gw {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("settlement.json");
    write_keypair_file(&w.settlement_key, &key).unwrap();
    let database =
        database.map_or_else(|| format!("sqlite:{}", dir.path().join("gw.db").display()), str::to_string);
    let text = format!(
        "listen = \"127.0.0.1:0\"\nrpc_url = \"{}\"\nclass = \"{}\"\nprovider_authority = \"{}\"\n\
         settlement_keypair = \"{}\"\ndatabase = \"{database}\"\n[settlement]\ninterval_secs = {interval}\n\
         [limits]\nchain_cache_ms = 0\n{limits}\n{models}",
        w.net.rpc_url(),
        w.class.class,
        w.provider.pubkey(),
        key.display()
    );
    let path = dir.path().join("gateway.toml");
    std::fs::write(&path, text).unwrap();
    let config = gateway::config::Config::load(&path).unwrap();
    let running = gateway::start(config).await.unwrap();
    let base = format!("http://{}", running.addr);
    Gw { running, base, _dir: dir }
}

fn model(id: &str, prompt: u64, completion: u64, upstreams: &[(&str, &str)]) -> String {
    let ups: Vec<String> = upstreams
        .iter()
        .map(|(url, name)| format!("{{ url = \"{url}\", model = \"{name}\", api_key = \"upstream-key\" }}"))
        .collect();
    format!(
        "[[models]]\nid = \"{id}\"\nkind = \"chat\"\nprompt_per_1k = {prompt}\ncompletion_per_1k = {completion}\n\
         default_max_tokens = 64\nupstreams = [{}]\n",
        ups.join(", ")
    )
}

async fn key_for(base: &str, w: &World, holder: &Keypair, channel: &Pubkey) -> String {
    client::issue_key(base, holder, &w.provider.pubkey(), channel, unix_now()).await.unwrap().key
}

/// POSTs a chat completion; returns (status, body as JSON or the SSE text as a string).
async fn chat(base: &str, key: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}/v1/chat/completions"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn hello(model: &str) -> Value {
    json!({"model": model, "messages": [{"role": "user", "content": "hello there"}]})
}

async fn receipts(base: &str, key: &str) -> Vec<Value> {
    client::receipts(base, key).await.unwrap()["receipts"].as_array().unwrap().clone()
}

fn sse_chunks(text: &str) -> Vec<Value> {
    text.split("\n\n")
        .filter_map(|e| e.strip_prefix("data: "))
        .filter(|d| *d != "[DONE]")
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn keys_are_issued_by_signed_message_once_and_revocable() {
    let w = World::new();
    let gw = start(&w, &model("m", 1, 1, &[(CLOSED, "x")]), "", 60, None).await;
    let (base, gateway_key) = (gw.base.as_str(), w.provider.pubkey());
    let info = client::info(base).await.unwrap();
    assert_eq!(info.provider_authority, gateway_key.to_string());
    assert_eq!((info.min_notice_secs, info.expiry_margin_secs), (120, 120));

    let post = |path: &'static str, message: String, signature: String| async move {
        let r = reqwest::Client::new()
            .post(format!("{base}{path}"))
            .json(&json!({"message": message, "signature": signature}))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    };
    let sign = |k: &Keypair, m: &str| k.sign_message(m.as_bytes()).to_string();
    let now = unix_now();
    let m = keys::issue_message(&gateway_key, &w.channel, &w.holder.pubkey(), now);
    let (status, issued) = post("/v1/gateway/keys", m.clone(), sign(&w.holder, &m)).await;
    assert_eq!(status, 201, "{issued}");
    let key = issued["key"].as_str().unwrap().to_string();
    let models =
        reqwest::Client::new().get(format!("{base}/v1/models")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(models.status(), 200);
    assert_eq!(models.json::<Value>().await.unwrap()["data"][0]["id"], "m");

    // the same proof twice: 409, one key
    let (status, body) = post("/v1/gateway/keys", m.clone(), sign(&w.holder, &m)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("proof_used")), "{body}");
    // a stranger's signature over the holder's message; a stranger claiming the holder's channel
    let stranger = Keypair::new();
    let (status, _) = post("/v1/gateway/keys", m.clone(), sign(&stranger, &m)).await;
    assert_eq!(status, 403);
    let claim = keys::issue_message(&gateway_key, &w.channel, &stranger.pubkey(), now);
    let (status, body) = post("/v1/gateway/keys", claim.clone(), sign(&stranger, &claim)).await;
    assert_eq!(status, 403);
    assert!(body["error"]["message"].as_str().unwrap().contains("not the channel's holder"), "{body}");
    // stale, for another gateway, for a channel that does not exist
    let stale = keys::issue_message(&gateway_key, &w.channel, &w.holder.pubkey(), now - 1_000);
    assert_eq!(post("/v1/gateway/keys", stale.clone(), sign(&w.holder, &stale)).await.0, 403);
    let other = keys::issue_message(&Pubkey::new_unique(), &w.channel, &w.holder.pubkey(), now);
    assert_eq!(post("/v1/gateway/keys", other.clone(), sign(&w.holder, &other)).await.0, 403);
    let nowhere = keys::issue_message(&gateway_key, &Pubkey::new_unique(), &w.holder.pubkey(), now);
    assert_eq!(post("/v1/gateway/keys", nowhere.clone(), sign(&w.holder, &nowhere)).await.0, 403);
    // a channel of the holder to another provider is not this gateway's
    let other_provider = Keypair::new();
    w.net.fund_sol(&other_provider.pubkey(), 1_000_000_000).unwrap();
    send(
        &w.rpc(),
        &[ix::register_provider(&w.admin.pubkey(), &w.class.class, &other_provider.pubkey())],
        &[&w.admin],
    );
    let k = credit_client::ChannelKeys::new(
        &w.class.class,
        &w.class.credit_mint,
        &w.class.credit_program,
        &w.holder.pubkey(),
        &other_provider.pubkey(),
    );
    let mut args = terms(w.now());
    args.amount = 5 * CREDIT;
    send(&w.rpc(), &[ix::channel::open_channel(&k, &w.credits_of(&w.holder.pubkey()), args)], &[&w.holder]);
    let theirs = keys::issue_message(&gateway_key, &k.channel, &w.holder.pubkey(), now);
    let (status, body) = post("/v1/gateway/keys", theirs.clone(), sign(&w.holder, &theirs)).await;
    assert_eq!(status, 403);
    assert!(body["error"]["message"].as_str().unwrap().contains("provider"), "{body}");

    // revoking: a stranger cannot (404, the key still works); the holder can, once
    let id = issued["id"].as_str().unwrap();
    let r = keys::revoke_message(&gateway_key, id, &stranger.pubkey(), now);
    assert_eq!(post("/v1/gateway/keys/revoke", r.clone(), sign(&stranger, &r)).await.0, 404);
    let models =
        reqwest::Client::new().get(format!("{base}/v1/models")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(models.status(), 200);
    client::revoke_key(base, &w.holder, &gateway_key, id, now).await.unwrap();
    let (status, body) = chat(base, &key, hello("m")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("invalid_api_key")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("revoked"));
    assert!(client::revoke_key(base, &w.holder, &gateway_key, id, now + 1)
        .await
        .unwrap_err()
        .contains("404"));
    // no key, not our shape, unknown
    let bare = reqwest::Client::new()
        .post(format!("{base}/v1/chat/completions"))
        .json(&hello("m"))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 401);
    assert_eq!(chat(base, "sk-something-else", hello("m")).await.0, 401);
    assert_eq!(chat(base, "sk-cc-000000000000-abc", hello("m")).await.0, 401);
    gw.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn failover_before_the_first_byte_429s_and_usage_wherever_it_arrives() {
    let w = World::new();
    let (_a, a) = katan("katan-a", &["--rate-limit-after", "1"]);
    let (_b, b) = katan("katan-b", &[]);
    let (_slow, slow) = katan("katan-slow", &["--latency-ms", "1500"]);
    let models = [
        model("chain", 1_000, 1_000, &[(CLOSED, "x"), (&a, "katan-a"), (&b, "katan-b")]),
        model("only-a", 1_000, 1_000, &[(&a, "katan-a")]),
        model("dead", 1_000, 1_000, &[(CLOSED, "x")]),
        model("slow", 1_000, 1_000, &[(&slow, "katan-slow")]),
    ]
    .concat();
    let gw = start(&w, &models, "max_concurrent_per_key = 1", 600, None).await;
    let base = gw.base.as_str();
    let key = key_for(base, &w, &w.holder, &w.channel).await;

    // 1: the closed port is skipped, katan-a answers (its one allowed request)
    let (status, body) = chat(base, &key, hello("chain")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["model"], "katan-a");
    // 2: streamed; katan-a is now 429, katan-b streams; usage rides on katan's finish chunk
    let mut req = hello("chain");
    req["stream"] = json!(true);
    let (status, body) = chat(base, &key, req).await;
    assert_eq!(status, 200);
    let chunks = sse_chunks(body.as_str().unwrap());
    assert!(chunks.iter().all(|c| c["model"] == "katan-b"), "{chunks:?}");
    let katan_usage =
        chunks.iter().find_map(|c| c.get("usage").filter(|u| u.is_object())).expect("usage").clone();
    assert!(chunks.last().unwrap()["choices"][0]["finish_reason"] == "stop");
    // 3: the only upstream is rate limited: 429 to the client, the hold released
    let (status, body) = chat(base, &key, hello("only-a")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (429, Some("rate_limit_exceeded")), "{body}");
    // 4: no upstream answers: 502
    let (status, body) = chat(base, &key, hello("dead")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (502, Some("upstream_error")), "{body}");
    // 5: an unknown model, a bad body
    let (status, body) = chat(base, &key, hello("gpt-5")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("model_not_found")));
    let (status, _) = chat(base, &key, json!({"model": "chain", "messages": []})).await;
    assert_eq!(status, 400);

    let rs = receipts(base, &key).await;
    let status: Vec<&str> = rs.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["final", "final", "void", "void"], "{rs:?}");
    let streamed = &rs[1];
    assert_eq!(streamed["prompt_tokens"], katan_usage["prompt_tokens"]);
    assert_eq!(streamed["completion_tokens"], katan_usage["completion_tokens"]);
    assert_eq!(streamed["estimated"], false);
    let price = TokenPrice { prompt_per_1k: CreditAtoms(1_000), completion_per_1k: CreditAtoms(1_000) };
    for r in &rs[..2] {
        let u = TokenUsage {
            prompt_tokens: r["prompt_tokens"].as_u64().unwrap(),
            completion_tokens: r["completion_tokens"].as_u64().unwrap(),
        };
        assert_eq!(r["cost"].as_u64(), Some(price.cost_ceil(u).unwrap().0));
    }
    assert!(rs[2..].iter().all(|r| r["cost"] == 0), "void receipts cost nothing");
    let view = client::channel_view(base, &key).await.unwrap();
    let owed: u64 = rs.iter().map(|r| r["cost"].as_u64().unwrap()).sum();
    assert_eq!(view["outstanding"].as_u64(), Some(owed), "nothing held by the refused requests: {view}");

    // one request in flight per key here: a second at the same time is 429
    let (first, second) = tokio::join!(chat(base, &key, hello("slow")), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        chat(base, &key, hello("slow")).await
    });
    assert_eq!(first.0, 200);
    assert_eq!((second.0, second.1["error"]["code"].as_str()), (429, Some("rate_limit_exceeded")));
    assert!(second.1["error"]["message"].as_str().unwrap().contains("in flight"));
    gw.running.stop().await.unwrap();
}

/// 1e6 atoms (one credit in millionths) per completion token, prompts free: the 40-credit cap
/// pays for 40 tokens.
const PRICEY: (u64, u64) = (0, 1_000_000_000);

#[tokio::test(flavor = "multi_thread")]
async fn max_tokens_is_capped_at_what_the_channel_pays_and_concurrency_cannot_overspend() {
    let w = World::new();
    let (_echo, echo) = katan("echo", &["--latency-ms", "500", "--max-concurrent", "8"]);
    let gw = start(&w, &model("pricey", PRICEY.0, PRICEY.1, &[(&echo, "echo")]), "", 600, None).await;
    let base = gw.base.as_str();
    let key = key_for(base, &w, &w.holder, &w.channel).await;

    // asks for 1,000 tokens; the channel pays for 40: the upstream is told 40 (katan echoes it)
    let mut req = hello("pricey");
    req["max_tokens"] = json!(1_000);
    let (status, body) = chat(base, &key, req).await;
    assert_eq!(status, 200, "{body}");
    let text = body["choices"][0]["message"]["content"].as_str().unwrap();
    assert!(text.contains("max_tokens=40 "), "{text}");
    let r = &receipts(base, &key).await[0];
    assert_eq!(r["reserved"].as_u64(), Some(40 * CREDIT), "the hold: 40 tokens at 1 credit each");
    let spent = r["cost"].as_u64().unwrap();
    assert!(spent > 0 && spent < 40 * CREDIT, "{r}");

    // the rest pays for fewer whole tokens; a request for more than that gets the rest
    let left_tokens = (40 * CREDIT - spent) / 1_000_000;
    let (status, body) = chat(base, &key, hello("pricey")).await;
    assert_eq!(status, 200, "{body}");
    let text = body["choices"][0]["message"]["content"].as_str().unwrap();
    assert!(text.contains(&format!("max_tokens={left_tokens} ")), "{text}");
    // until nothing is left: 402, nothing held
    loop {
        let (status, body) = chat(base, &key, hello("pricey")).await;
        if status == 402 {
            assert_eq!(body["error"]["code"], "channel_cannot_pay");
            assert!(body["error"]["message"].as_str().unwrap().contains("no credits left"), "{body}");
            break;
        }
        assert_eq!(status, 200, "{body}");
    }
    let rs = receipts(base, &key).await;
    let owed: u64 = rs.iter().map(|r| r["cost"].as_u64().unwrap()).sum();
    assert!(owed <= 40 * CREDIT, "never more than the cap: {owed}");
    assert!(rs.iter().all(|r| r["status"] == "final"), "a refusal writes no receipt");

    // two answers share what the channel pays: 20 tokens each; more than eight answers: 400
    let (h3, k3) = w.holder_with_channel(100, terms(w.now()));
    let key3 = key_for(base, &w, &h3, &k3.channel).await;
    let mut req = hello("pricey");
    req["max_tokens"] = json!(1_000);
    req["n"] = json!(2);
    let (status, body) = chat(base, &key3, req.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["choices"][0]["message"]["content"].as_str().unwrap().contains("max_tokens=20 "), "{body}");
    assert_eq!(receipts(base, &key3).await[0]["reserved"].as_u64(), Some(40 * CREDIT));
    req["n"] = json!(9);
    assert_eq!(chat(base, &key3, req).await.0, 400);

    // eight requests at once on a fresh channel, each holding 10 credits: four fit under 40
    let (h2, k2) = w.holder_with_channel(100, terms(w.now()));
    let key2 = key_for(base, &w, &h2, &k2.channel).await;
    let mut req = hello("pricey");
    req["max_tokens"] = json!(10);
    let all = futures_util::future::join_all((0..8).map(|_| chat(base, &key2, req.clone()))).await;
    let ok = all.iter().filter(|(s, _)| *s == 200).count();
    let refused = all.iter().filter(|(s, _)| *s == 402).count();
    assert_eq!((ok, refused), (4, 4), "{all:?}");
    let rs = receipts(base, &key2).await;
    assert_eq!(rs.len(), 4);
    assert!(rs.iter().map(|r| r["reserved"].as_u64().unwrap()).sum::<u64>() <= 40 * CREDIT);
    gw.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn channels_the_gateway_cannot_settle_in_time_are_refused_with_402_and_nothing_held() {
    let w = World::new();
    let (_echo, echo) = katan("echo", &[]);
    // settles every minute: channels need two minutes of notice and must not expire within two
    let gw = start(&w, &model("m", 1_000, 1_000, &[(&echo, "echo")]), "", 60, None).await;
    let base = gw.base.as_str();
    let refused = |body: &Value, why: &str| {
        assert_eq!(body["error"]["code"], "channel_cannot_pay", "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(why), "{why}: {body}");
    };
    let now = w.now();
    let mut short = terms(now);
    short.notice_secs = 60;
    let (h, k) = w.holder_with_channel(100, short);
    let key = key_for(base, &w, &h, &k.channel).await;
    let (status, body) = chat(base, &key, hello("m")).await;
    assert_eq!(status, 402);
    refused(&body, "notice (60 s) is shorter");
    assert!(receipts(base, &key).await.is_empty());

    let mut soon = terms(now);
    soon.expiry_ts = now + 100;
    let (h, k) = w.holder_with_channel(100, soon);
    let key = key_for(base, &w, &h, &k.channel).await;
    let (status, body) = chat(base, &key, hello("m")).await;
    assert_eq!(status, 402);
    refused(&body, "expires");
    assert!(receipts(base, &key).await.is_empty());

    // the usual channel: served, then refused while its holder is under a freeze hold, while
    // the class is paused, and once the holder asked to close
    let key = key_for(base, &w, &w.holder, &w.channel).await;
    assert_eq!(chat(base, &key, hello("m")).await.0, 200);
    let (rpc, c, hp) = (w.rpc(), &w.class, w.holder.pubkey());
    let account = w.credits_of(&hp);
    let g = w.guardian.pubkey();
    send(
        &rpc,
        &[ix::freeze_credits(&g, &c.class, &c.credit_mint, (&hp, &account), &c.credit_program, 1)],
        &[&w.guardian],
    );
    let (status, body) = chat(base, &key, hello("m")).await;
    assert_eq!(status, 402);
    refused(&body, "freeze hold");
    send(
        &rpc,
        &[ix::thaw_credits(&g, &c.class, &c.credit_mint, (&hp, &account), &c.credit_program, 1)],
        &[&w.guardian],
    );
    assert_eq!(chat(base, &key, hello("m")).await.0, 200);
    let a = w.admin.pubkey();
    send(&rpc, &[ix::pause_class(&a, &c.class, &c.credit_mint, &c.credit_program)], &[&w.admin]);
    let (status, body) = chat(base, &key, hello("m")).await;
    assert_eq!(status, 402);
    refused(&body, "paused");
    send(&rpc, &[ix::resume_class(&a, &c.class, &c.credit_mint, &c.credit_program)], &[&w.admin]);
    let keys = credit_client::ChannelKeys::from_state(
        w.channel,
        &read::channel(&rpc, &w.channel).unwrap(),
        &read::class(&rpc, &c.class).unwrap(),
    );
    send(&rpc, &[ix::channel::request_close(&keys)], &[&w.holder]);
    let (status, body) = chat(base, &key, hello("m")).await;
    assert_eq!(status, 402);
    refused(&body, "close");
    let rs = receipts(base, &key).await;
    assert_eq!(rs.len(), 2, "only the two served requests have receipts: {rs:?}");
    assert!(rs.iter().all(|r| r["status"] == "final"));
    // a configuration that could not settle within its own notice is refused at start
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        format!(
            "rpc_url = \"x\"\nclass = \"{}\"\nprovider_authority = \"{}\"\nsettlement_keypair = \"k.json\"\n\
             [settlement]\ninterval_secs = 60\n[limits]\nmin_notice_secs = 30\n{}",
            w.class.class,
            w.provider.pubkey(),
            model("m", 1, 1, &[(CLOSED, "x")])
        ),
    )
    .unwrap();
    assert!(gateway::config::Config::load(&path)
        .unwrap_err()
        .contains("shorter than the settlement interval"));
    gw.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_is_counted_when_the_upstream_reports_none_and_a_client_may_leave_mid_stream() {
    let w = World::new();
    let (_model, quiet) = model_server(&["--omit-usage", "--name", "smollm2"]);
    let (_echo, echo) = katan("echo", &["--itl-ms", "150"]);
    let models = [
        model("quiet", 1_000, 2_000, &[(&quiet, "smollm2")]),
        model("echo", 1_000, 2_000, &[(&echo, "echo")]),
    ]
    .concat();
    let gw = start(&w, &models, "", 600, None).await;
    let base = gw.base.as_str();
    let key = key_for(base, &w, &w.holder, &w.channel).await;
    let mut req = hello("quiet");
    req["max_tokens"] = json!(12);
    let (status, body) = chat(base, &key, req.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("usage").is_none_or(Value::is_null), "the upstream said nothing: {body}");
    req["stream"] = json!(true);
    req["stream_options"] = json!({"include_usage": true});
    let (status, body) = chat(base, &key, req).await;
    assert_eq!(status, 200);
    assert!(!sse_chunks(body.as_str().unwrap()).is_empty());
    let price = TokenPrice { prompt_per_1k: CreditAtoms(1_000), completion_per_1k: CreditAtoms(2_000) };
    let rs = receipts(base, &key).await;
    for r in &rs {
        assert_eq!(r["estimated"], true, "{r}");
        let u = TokenUsage {
            prompt_tokens: r["prompt_tokens"].as_u64().unwrap(),
            completion_tokens: r["completion_tokens"].as_u64().unwrap(),
        };
        assert!(u.prompt_tokens > 0 && u.completion_tokens > 0, "{r}");
        assert_eq!(
            r["cost"].as_u64(),
            Some(price.cost_ceil(u).unwrap().0.min(r["reserved"].as_u64().unwrap()))
        );
    }

    // a client reads one chunk of a slow stream and leaves: charged what it was sent, counted
    let mut req = hello("echo");
    req["stream"] = json!(true);
    let resp = reqwest::Client::new()
        .post(format!("{base}/v1/chat/completions"))
        .bearer_auth(&key)
        .json(&req)
        .send()
        .await
        .unwrap();
    let mut stream = resp.bytes_stream();
    let first = stream.next().await.unwrap().unwrap();
    assert!(first.starts_with(b"data: "));
    drop(stream);
    let mut left = None;
    for _ in 0..100 {
        let rs = receipts(base, &key).await;
        if rs.len() == 3 && rs[2]["status"] == "final" {
            left = Some(rs[2].clone());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let left = left.expect("the abandoned stream's receipt is finished");
    assert_eq!(left["estimated"], true, "katan's usage comes last; the client left before: {left}");
    assert!(left["cost"].as_u64().unwrap() > 0);
    // the slot it held is free: the next request is served
    assert_eq!(chat(base, &key, hello("echo")).await.0, 200);
    gw.running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn two_gateways_on_one_postgres_share_a_channel_without_overspending_and_settle_once() {
    let w = World::new();
    let pg = PgServer::start().unwrap();
    pg.create_database("gateway").unwrap();
    let url = format!("postgres://postgres@127.0.0.1:{}/gateway", pg.port());
    let (_echo, echo) = katan("echo", &["--latency-ms", "700", "--max-concurrent", "8"]);
    let models = model("pricey", PRICEY.0, PRICEY.1, &[(&echo, "echo")]);
    let one = start(&w, &models, "", 1, Some(&url)).await;
    let two = start(&w, &models, "", 1, Some(&url)).await;
    let key = key_for(&one.base, &w, &w.holder, &w.channel).await;
    // the key issued by one is known to the other (one database)
    let mut req = hello("pricey");
    req["max_tokens"] = json!(10);
    let bases = [one.base.clone(), two.base.clone()];
    let all = futures_util::future::join_all((0..8).map(|i| chat(&bases[i % 2], &key, req.clone()))).await;
    let ok = all.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(ok, 4, "four holds of 10 credits fit under the 40-credit cap across both: {all:?}");
    assert_eq!(all.iter().filter(|(s, _)| *s == 402).count(), 4);
    let rs = receipts(&two.base, &key).await;
    let owed: u64 = rs.iter().map(|r| r["cost"].as_u64().unwrap()).sum();
    let before = w.vault_balance();
    let mut settled = false;
    for _ in 0..120 {
        if w.vault_balance() == before - owed
            && receipts(&one.base, &key).await.iter().all(|r| r["status"] == "batched")
        {
            settled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(settled, "both workers settle the four receipts");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(w.vault_balance(), before - owed, "burned once, not once per gateway");
    let batches = client::receipts(&one.base, &key).await.unwrap()["batches"].clone();
    let settled_batches =
        batches.as_array().unwrap().iter().filter(|b| b["status"] == "settled").count() as u64;
    assert_eq!(w.next_seq(), settled_batches, "{batches}");
    one.running.stop().await.unwrap();
    two.running.stop().await.unwrap();
    drop(pg);
}
