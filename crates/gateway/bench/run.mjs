#!/usr/bin/env node
// The gateway's benchmark, end to end on loopback (issue 14, "a benchmark in the README"): a local
// chain with the sample world, a fresh holder's metering channel to the seeded provider, three
// upstreams (llm-katan's echo backend, fast and slow; SmolLM2 behind our model server), the gateway
// in front of them, and bench.mjs measuring each upstream directly and through the gateway; then the
// compute units the gateway's redemptions consumed, read back from the chain. Node only, no deps.
//
//   node crates/gateway/bench/run.mjs [--app PATH] [--program PATH] [--dir DIR] [--docs PATH|none]
//                                     [--requests 300] [--model-requests 20] [--held 64,256,512]
//                                     [--no-model]
//
//   --app       the CLI binary (default $APP_BIN, else target/debug/app)
//   --program   the program .so (default $SBF_OUT_DIR/compute_credits.so, else target/deploy/...)
//   --dir       where the world, configs, logs and results go (default: a new temporary directory,
//               kept: DIR/bench.json and DIR/bench.md are the results, DIR/*.log every process's output)
//   --docs      also write the markdown here (default docs/gateway-bench.md; `none`: don't)
//
// Every process it starts is in its own process group and is killed at the end, on failure, on
// Ctrl-C and on SIGTERM. Prints progress on stderr, the JSON result and the markdown on stdout.
import {spawn, execFile} from "node:child_process";
import {generateKeyPairSync} from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {parseArgs} from "node:util";
import {fileURLToPath} from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../../..");
const BENCH = path.join(HERE, "bench.mjs");

const {values: opt} = parseArgs({
  options: {
    app: {type: "string"},
    program: {type: "string"},
    dir: {type: "string"},
    docs: {type: "string", default: path.join(REPO, "docs/gateway-bench.md")},
    requests: {type: "string", default: "300"},
    "model-requests": {type: "string", default: "20"},
    held: {type: "string", default: "64,256,512"},
    "no-model": {type: "boolean", default: false},
  },
  strict: true,
});
const APP = path.resolve(opt.app ?? process.env.APP_BIN ?? path.join(REPO, "target/debug/app"));
const PROGRAM = path.resolve(opt.program ??
  (process.env.SBF_OUT_DIR ? path.join(process.env.SBF_OUT_DIR, "compute_credits.so") : path.join(REPO, "target/deploy/compute_credits.so")));
const N = Number(opt.requests);
const MODEL_N = Number(opt["model-requests"]);
const HELD = opt.held.split(",").map(Number);
for (const [f, ok] of [[APP, fs.existsSync(APP)], [PROGRAM, fs.existsSync(PROGRAM)]]) {
  if (!ok) die(`${f} does not exist (build it, or pass --app / --program)`);
}
const DIR = opt.dir ? path.resolve(opt.dir) : fs.mkdtempSync(path.join(os.tmpdir(), "gateway-bench-"));
fs.mkdirSync(DIR, {recursive: true});

const t0 = Date.now();
const log = (msg) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}\n`);
function die(msg) {
  process.stderr.write(`run.mjs: ${msg}\n`);
  process.exit(2);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// processes: each in its own group, output to DIR/<name>.log, killed by group at the end

const services = [];
const running = new Set(); // short commands (CLI calls, bench.mjs) in progress

/** Starts a long-running process; resolves with the first output line matching `ready` (its match). */
function start(name, cmd, args, ready, {timeoutMs = 120_000, env = {}} = {}) {
  const logFile = fs.openSync(path.join(DIR, `${name}.log`), "a");
  const child = spawn(cmd, args, {
    detached: true, // its own process group: the group is killed, grandchildren included
    stdio: ["ignore", "pipe", "pipe"],
    env: {...process.env, HOME: DIR, ...env},
  });
  const svc = {name, child, exited: false};
  services.push(svc);
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${name}: not ready within ${timeoutMs / 1000} s (see ${name}.log)`)), timeoutMs);
    const finish = (err, m) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      err ? reject(err) : resolve(m);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buf = "";
      stream.on("data", (chunk) => {
        fs.writeSync(logFile, chunk);
        if (done) return;
        buf += chunk.toString("utf8");
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          const m = line.match(ready);
          if (m) finish(null, m);
        }
      });
    }
    child.on("error", (e) => finish(new Error(`${name}: ${e.message}`)));
    child.on("exit", (code, signal) => {
      svc.exited = true;
      finish(new Error(`${name} exited (${signal ?? code}) before it was ready (see ${path.join(DIR, `${name}.log`)})`));
    });
  });
}

/** SIGTERM to the group, then SIGKILL if it is still there after `graceMs`. */
async function stop(svc, graceMs = 10_000) {
  if (svc.exited) return;
  const gone = new Promise((r) => svc.child.once("exit", r));
  try {
    process.kill(-svc.child.pid, "SIGTERM");
  } catch {
    return;
  }
  let timer;
  const t = await Promise.race([gone.then(() => "exited"), new Promise((r) => (timer = setTimeout(() => r("timeout"), graceMs)))]);
  clearTimeout(timer);
  if (t === "timeout") {
    try {
      process.kill(-svc.child.pid, "SIGKILL");
    } catch {}
    await gone;
  }
}

async function stopAll() {
  for (const child of running) child.kill("SIGKILL"); // a bench.mjs or CLI call still going
  await Promise.all(services.map((s) => stop(s)));
}

// last resort: whatever is still running when node exits is killed
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
  for (const s of services) {
    if (!s.exited) try {
      process.kill(-s.child.pid, "SIGKILL");
    } catch {}
  }
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, async () => {
    log(`${sig}: stopping everything`);
    await stopAll();
    process.exit(130);
  });
}

/** Runs a command to completion; resolves {code, stdout, stderr}. */
function run(cmd, args, {env = {}, timeoutMs = 600_000} = {}) {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, {env: {...process.env, HOME: DIR, ...env}, maxBuffer: 64 << 20, timeout: timeoutMs},
      (err, stdout, stderr) => {
        running.delete(child);
        resolve({code: err ? (err.code ?? 1) : 0, stdout, stderr});
      });
    running.add(child);
  });
}

// ---------------------------------------------------------------------------------------------
// the chain: the CLI and JSON-RPC

let RPC = null;
let PROGRAM_ID = null;
async function app(keypair, args) {
  const r = await run(APP, ["-u", RPC, ...(keypair ? ["-k", keypair] : []), "--output", "json", ...args]);
  if (r.code !== 0) throw new Error(`app ${args.join(" ")}: exit ${r.code}\n${r.stderr}${r.stdout}`);
  try {
    return JSON.parse(r.stdout);
  } catch {
    return r.stdout;
  }
}

async function rpc(method, params) {
  const res = await fetch(RPC, {
    method: "POST",
    headers: {"content-type": "application/json"},
    body: JSON.stringify({jsonrpc: "2.0", id: 1, method, params}),
  });
  const j = await res.json();
  if (j.error) throw new Error(`${method}: ${JSON.stringify(j.error)}`);
  return j.result;
}

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function base58(bytes) {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let s = "";
  while (n > 0n) {
    s = B58[Number(n % 58n)] + s;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    s = "1" + s;
  }
  return s;
}

/** A new ed25519 keypair written as a Solana keypair file (64 bytes: seed, public key); its address. */
function newKeypair(file) {
  const {privateKey, publicKey} = generateKeyPairSync("ed25519");
  const seed = privateKey.export({format: "der", type: "pkcs8"}).subarray(-32);
  const pub = publicKey.export({format: "der", type: "spki"}).subarray(-32);
  fs.writeFileSync(file, JSON.stringify([...seed, ...pub]), {mode: 0o600});
  return base58(pub);
}

// ---------------------------------------------------------------------------------------------
// the machine

function cpuTop() {
  // the busiest processes other than ours when the run starts: the machine is shared
  return new Promise((resolve) => {
    execFile("ps", ["-eo", "pid=,pcpu=,etime=,args=", "--sort=-pcpu"], (err, out) => {
      if (err) return resolve([]);
      const rows = out.split("\n").map((l) => l.trim().split(/\s+/)).filter((f) => f.length > 3 && Number(f[0]) !== process.pid);
      resolve(rows.slice(0, 5).map(([, cpu, etime, ...args]) => `${cpu}% ${etime} ${args.join(" ")}`.slice(0, 140)));
    });
  });
}
const loadavg = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

// ---------------------------------------------------------------------------------------------
// measuring

async function bench(label, args, quiet = false) {
  const r = await run("node", [BENCH, ...args], {timeoutMs: 900_000});
  let out;
  try {
    out = JSON.parse(r.stdout.trim().split("\n").at(-1));
  } catch {
    throw new Error(`bench.mjs (${label}) printed no result: exit ${r.code}\n${r.stderr}${r.stdout}`);
  }
  if (quiet) return out;
  const extra = out.stream ? ` ttfb p50 ${out.ttfb_p50_ms} p99 ${out.ttfb_p99_ms}` : "";
  log(`${label}: ok ${out.ok}/${out.requests}, p50 ${out.p50_ms} ms, p99 ${out.p99_ms} ms, mean ${out.mean_ms} ms${extra}` +
    `, held ${out.max_concurrent_streams_held}${out.errors ? `, errors ${JSON.stringify(out.error_statuses)}` : ""}`);
  return out;
}

const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);
const diff = (a, b, k) => r1(b[k] - a[k]);

const pct = (sorted, p) => (sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : null);
const mean = (xs) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

/** bench.mjs runs of one side merged: percentiles over every sample (nearest rank, as bench.mjs). */
function merge(runs) {
  const total = runs.flatMap((o) => o.samples_ms).sort((x, y) => x - y);
  const out = {
    url: runs[0].url, stream: runs[0].stream, runs: runs.length,
    requests: runs.reduce((s, o) => s + o.requests, 0), ok: total.length,
    errors: runs.reduce((s, o) => s + o.errors, 0),
    error_statuses: runs.reduce((acc, o) => {
      for (const [k, v] of Object.entries(o.error_statuses)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {}),
    p50_ms: r1(pct(total, 50)), p99_ms: r1(pct(total, 99)), mean_ms: r1(mean(total)),
    min_ms: r1(total[0]), max_ms: r1(total.at(-1)),
    prompt_tokens: runs.reduce((s, o) => s + o.prompt_tokens, 0),
    completion_tokens: runs.reduce((s, o) => s + o.completion_tokens, 0),
    usage_missing: runs.reduce((s, o) => s + o.usage_missing, 0),
  };
  if (out.stream) {
    const ttfb = runs.flatMap((o) => o.ttfb_samples_ms).sort((x, y) => x - y);
    Object.assign(out, {ttfb_p50_ms: r1(pct(ttfb, 50)), ttfb_p99_ms: r1(pct(ttfb, 99)), ttfb_mean_ms: r1(mean(ttfb))});
    out.ttfb_samples_ms = ttfb; // sorted: the distribution, for bench.json
  }
  out.samples_ms = total;
  return out;
}

/**
 * The same request directly to `upstream` (as `model`) and through the gateway (as `gwModel`),
 * `total` requests each, in `rounds` interleaved rounds (direct first, then gateway first, ...):
 * the shared machine's drift and the upstream's warming up fall on both sides alike.
 */
async function pair(label, {upstream, model, gwModel, key, total, rounds, args}) {
  const sides = {direct: [], gateway: []};
  const per = Math.ceil(total / rounds);
  for (let i = 0; i < rounds; i++) {
    const n = String(Math.min(per, total - i * per));
    const order = i % 2 === 0 ? ["direct", "gateway"] : ["gateway", "direct"];
    for (const side of order) {
      const target = side === "direct" ? ["--url", upstream, "--key", "bench", "--model", model]
        : ["--url", GW, "--key", key, "--model", gwModel];
      sides[side].push(await bench(`${label} ${side} ${i + 1}/${rounds}`, [...target, "--requests", n, "--samples", ...args], true));
    }
  }
  const direct = merge(sides.direct);
  const gateway = merge(sides.gateway);
  const added = {p50_ms: diff(direct, gateway, "p50_ms"), p99_ms: diff(direct, gateway, "p99_ms"), mean_ms: diff(direct, gateway, "mean_ms")};
  if (direct.stream) {
    Object.assign(added, {ttfb_p50_ms: diff(direct, gateway, "ttfb_p50_ms"), ttfb_p99_ms: diff(direct, gateway, "ttfb_p99_ms"),
      ttfb_mean_ms: diff(direct, gateway, "ttfb_mean_ms")});
  }
  const extra = direct.stream ? `; ttfb p50 ${direct.ttfb_p50_ms} -> ${gateway.ttfb_p50_ms}, p99 ${direct.ttfb_p99_ms} -> ${gateway.ttfb_p99_ms}` : "";
  log(`${label}: p50 ${direct.p50_ms} -> ${gateway.p50_ms} ms, p99 ${direct.p99_ms} -> ${gateway.p99_ms} ms, mean ${direct.mean_ms} -> ${gateway.mean_ms} ms${extra}`);
  if (direct.errors || gateway.errors) throw new Error(`${label}: errors (direct ${direct.errors}, gateway ${gateway.errors})`);
  return {direct, gateway, added};
}

async function receiptsOf(base, key) {
  const res = await fetch(`${base}/v1/gateway/receipts`, {headers: {authorization: `Bearer ${key}`}});
  if (!res.ok) throw new Error(`GET /v1/gateway/receipts: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Waits until every receipt of the key's channel is batched (or void) and every batch settled. */
async function settled(base, key, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    const {receipts, batches} = await receiptsOf(base, key);
    const open = receipts.filter((r) => r.status !== "batched" && r.status !== "void").length;
    const unsettled = batches.filter((b) => b.status !== "settled");
    const state = `${receipts.length} receipts (${open} not batched), ${batches.length} batches (${unsettled.length} not settled)`;
    if (state !== last) log(`settlement: ${state}`);
    last = state;
    if (open === 0 && unsettled.length === 0) {
      if (batches.some((b) => b.status === "failed")) throw new Error(`a batch failed: ${JSON.stringify(unsettled)}`);
      return {receipts, batches};
    }
    if (Date.now() > deadline) throw new Error(`not settled within ${timeoutMs / 1000} s: ${state}`);
    await sleep(500);
  }
}

/** Compute units of each settled batch, from its transaction's meta. */
async function computeUnits({receipts, batches}) {
  const rows = [];
  for (const b of batches) {
    if (!b.signature) {
      rows.push({seq: b.seq, receipts: b.receipts, amount: b.amount, cu: null});
      continue;
    }
    let tx = null;
    for (let i = 0; i < 20 && !tx; i++) {
      tx = await rpc("getTransaction", [b.signature, {encoding: "json", maxSupportedTransactionVersion: 0, commitment: "confirmed"}]);
      if (!tx) await sleep(250);
    }
    if (!tx) throw new Error(`getTransaction ${b.signature}: not found`);
    if (tx.meta.err) throw new Error(`batch ${b.seq}: transaction failed ${JSON.stringify(tx.meta.err)}`);
    // the program's own share (the rest: the compute-budget instruction the pipeline adds)
    const own = (tx.meta.logMessages ?? []).map((l) => l.match(/^Program (\w+) consumed (\d+) of/)).find((x) => x && x[1] === PROGRAM_ID);
    rows.push({seq: b.seq, receipts: b.receipts, amount: b.amount, cu: tx.meta.computeUnitsConsumed, program_cu: own ? Number(own[2]) : null,
      fee: tx.meta.fee, signature: b.signature});
  }
  const withCu = rows.filter((r) => r.cu != null);
  const cus = withCu.map((r) => r.cu);
  const per = withCu.map((r) => r.receipts);
  const totalCu = cus.reduce((s, x) => s + x, 0);
  const totalReceipts = per.reduce((s, x) => s + x, 0);
  return {
    receipts: receipts.length,
    receipts_void: receipts.filter((r) => r.status === "void").length,
    receipts_estimated: receipts.filter((r) => r.estimated).length,
    batches: batches.length,
    batches_without_signature: rows.length - withCu.length,
    redeemed_atoms: batches.reduce((s, b) => s + b.amount, 0),
    cu_per_batch_min: Math.min(...cus),
    cu_per_batch_max: Math.max(...cus),
    cu_per_batch_mean: r1(totalCu / cus.length),
    program_cu_per_batch_min: Math.min(...withCu.map((r) => r.program_cu)),
    program_cu_per_batch_max: Math.max(...withCu.map((r) => r.program_cu)),
    receipts_per_batch_min: Math.min(...per),
    receipts_per_batch_max: Math.max(...per),
    receipts_per_batch_mean: r1(totalReceipts / per.length),
    total_cu: totalCu,
    receipts_in_measured_batches: totalReceipts,
    cu_per_redeemed_request: Math.round((totalCu / totalReceipts) * 100) / 100,
    fee_lamports_per_batch: withCu[0]?.fee ?? null,
    per_batch: rows,
  };
}

// ---------------------------------------------------------------------------------------------
// the run

let GW = null;
const result = {
  started_at: new Date(t0).toISOString(),
  app_profile: /[\\/]release[\\/]/.test(APP) ? "release" : "debug",
  machine: {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? null,
    node: process.version,
    load_at_start: loadavg(),
    busiest_processes_at_start: await cpuTop(),
  },
};

function gatewayConfig({world, settlementKeypair, upstreams, interval, maxReceipts, db}) {
  const model = (id, kind, url, upstreamModel) => `
[[models]]
id = "${id}"
kind = "${kind}"
prompt_per_1k = 10
completion_per_1k = 20
default_max_tokens = 64
upstreams = [{ url = "${url}", model = "${upstreamModel}", api_key = "bench" }]
`;
  return `# written by crates/gateway/bench/run.mjs
listen = "127.0.0.1:0"
rpc_url = "${RPC}"
class = "${world.class}"
provider_authority = "${world.wallets.provider.address}"
settlement_keypair = "${settlementKeypair}"
database = "sqlite:${db}"

[settlement]
interval_secs = ${interval}
max_receipts = ${maxReceipts}

[limits]
max_concurrent_per_key = 1024
` + model("katan-fast", "chat", upstreams.fast, "echo-model") + model("katan-slow", "chat", upstreams.slow, "echo-model") +
    (upstreams.model ? model("smollm2", "chat", upstreams.model, "smollm2") : "");
}

async function startGateway(config, name) {
  const m = await start(name, APP, ["-u", RPC, "gateway", "serve", "--config", config], /^gateway listening on (http:\/\/\S+)/,
    {timeoutMs: 60_000});
  return m[1];
}

async function main() {
  log(`dir ${DIR}; app ${APP}; program ${PROGRAM}; load ${loadavg().join(" ")}`);

  // 1. the chain with the sample world
  const worldDir = path.join(DIR, "world");
  fs.mkdirSync(worldDir, {recursive: true});
  const localnet = start("localnet", APP,
    ["localnet", "--seed", worldDir, "--rpc-port", "0", "--ws-port", "0", "--slot-ms", "100", "--program", PROGRAM],
    /^Seeded in /, {timeoutMs: 600_000});

  // 2. the upstreams, while the world is seeded
  const py = (await run(path.join(REPO, "crates/gateway/scripts/gateway-python"), [])).stdout.trim();
  if (!py) throw new Error("crates/gateway/scripts/gateway-python printed no python");
  const katan = (name, extra) => start(name, py,
    ["-m", "llm_katan.cli", "--model", "echo-model", "--backend", "echo", "--providers", "openai",
      "--host", "127.0.0.1", "--port", "0", "--stats-file", "", "--disable-dashboard", ...extra],
    /Uvicorn running on (http:\/\/\S+)/, {timeoutMs: 60_000}).then((m) => `${m[1]}/v1`);
  const fastP = katan("katan-fast", ["--max-concurrent", "64"]);
  const slowP = katan("katan-slow", ["--itl-ms", "50", "--max-concurrent", "512"]);
  const modelP = opt["no-model"] ? Promise.resolve(null)
    : start("model-server", path.join(REPO, "crates/gateway/scripts/model-server"), ["--port", "0", "--name", "smollm2"],
      /^listening on (http:\/\/\S+)/, {timeoutMs: 600_000}).then((m) => `${m[1]}/v1`);
  await localnet;
  const world = JSON.parse(fs.readFileSync(path.join(worldDir, "world.json"), "utf8"));
  RPC = world.rpcUrl;
  PROGRAM_ID = world.programId;
  log(`world seeded: ${RPC}`);

  // 3. a fresh holder's channel to the seeded provider; the provider's settlement key
  const seeded = world.wallets;
  const holderKey = path.join(DIR, "bench-holder.json");
  const holder = newKeypair(holderKey);
  let settlementKey = seeded.settlement?.keypair;
  let settlement = seeded.settlement?.address;
  if (!settlementKey) {
    settlementKey = path.join(DIR, "bench-settlement.json");
    settlement = newKeypair(settlementKey);
  }
  await app(seeded.holder.keypair, ["airdrop", "10", holder]);
  await app(seeded.holder.keypair, ["airdrop", "10", settlement]);
  // the seeded holder pays for the fresh holder's credits (it has quote; price guard generous)
  await app(seeded.holder.keypair, ["buy", "0", "20", "--max-price", "1000", "--recipient", holder]);
  await app(seeded.provider.keypair, ["provider", "settlement-key", "0", settlement]);
  const opened = await app(holderKey,
    ["channel", "open", "--class", "0", "--provider", seeded.provider.address, "--amount", "20", "--cap", "20", "--expires", "30d", "--notice", "1h"]);
  result.channel = {address: opened.channel, holder, provider: seeded.provider.address, settlement_key: settlement,
    escrowed_atoms: opened.amount, open_cu: opened.unitsConsumed};
  log(`channel ${opened.channel} (fresh holder ${holder}, 20 credits)`);

  const upstreams = {fast: await fastP, slow: await slowP, model: await modelP};
  log(`upstreams: ${JSON.stringify(upstreams)}`);

  // 4. the gateway, and a key for the holder
  const config = path.join(DIR, "gateway.toml");
  fs.writeFileSync(config, gatewayConfig({world, settlementKeypair: settlementKey, upstreams, interval: 5, maxReceipts: 500,
    db: path.join(DIR, "gateway.db")}));
  GW = await startGateway(config, "gateway");
  const key = (await app(holderKey, ["channel", "key", "--gateway", GW])).key;
  log(`gateway ${GW}; key issued`);
  result.load_before_measuring = loadavg();

  // 5. measurements
  const m = {};
  const fast = {upstream: upstreams.fast, model: "echo-model", gwModel: "katan-fast", key, total: N, rounds: 6};
  m.chat = await pair("chat (katan fast)", {...fast, args: ["--concurrency", "1", "--max-tokens", "16"]});
  m.stream = await pair("stream (katan fast)", {...fast, args: ["--concurrency", "1", "--max-tokens", "16", "--stream"]});
  if (upstreams.model) {
    m.model = await pair("SmolLM2 (model server)", {upstream: upstreams.model, model: "smollm2", gwModel: "smollm2", key,
      total: MODEL_N, rounds: 5, args: ["--concurrency", "1", "--max-tokens", "16"]});
  }
  // held streams: through the gateway, and the same load on the slow upstream directly for reference
  m.held = [];
  for (const c of HELD) {
    const load = ["--requests", String(2 * c), "--concurrency", String(c), "--stream", "--max-tokens", "16", "--timeout-ms", "120000"];
    const direct = await bench(`held ${c} (katan slow, direct)`, ["--url", upstreams.slow, "--key", "bench", "--model", "echo-model", ...load]);
    const out = await bench(`held ${c} (katan slow, gateway)`, ["--url", GW, "--key", key, "--model", "katan-slow", ...load]);
    m.held.push({...out, direct});
    if (out.errors > 0) {
      log(`held ${c}: ${out.errors} errors: no higher level`);
      break;
    }
  }
  result.measurements = m;
  result.load_after_measuring = loadavg();

  // 6. compute units: everything settled, then each batch's transaction
  const t = Date.now();
  const done = await settled(GW, key, 180_000);
  result.settle_wait_ms = Date.now() - t;
  result.cu = {settlement: {interval_secs: 5, max_receipts: 500}, ...(await computeUnits(done))};
  log(`CU: ${result.cu.batches} batches, ${result.cu.cu_per_batch_min}-${result.cu.cu_per_batch_max} CU each, ` +
    `${result.cu.receipts_per_batch_min}-${result.cu.receipts_per_batch_max} receipts each, ${result.cu.cu_per_redeemed_request} CU per request`);

  // the worst case: one receipt per batch. The first gateway stops first (its store and this
  // one's would otherwise race for the channel's sequence numbers), a second one with its own
  // store and `max_receipts = 1` serves a few requests and settles them one by one.
  await stop(services.find((s) => s.name === "gateway"), 30_000);
  const config1 = path.join(DIR, "gateway-max1.toml");
  fs.writeFileSync(config1, gatewayConfig({world, settlementKeypair: settlementKey, upstreams, interval: 1, maxReceipts: 1,
    db: path.join(DIR, "gateway-max1.db")}));
  GW = await startGateway(config1, "gateway-max1");
  const key1 = (await app(holderKey, ["channel", "key", "--gateway", GW])).key;
  const few = await bench("max_receipts=1 (katan fast, gateway)",
    ["--url", GW, "--key", key1, "--model", "katan-fast", "--requests", "5", "--concurrency", "1", "--warmup", "0", "--max-tokens", "16"]);
  const done1 = await settled(GW, key1, 60_000);
  result.cu_one_per_batch = {settlement: {interval_secs: 1, max_receipts: 1}, requests: few.ok, ...(await computeUnits(done1))};
  log(`CU, one receipt per batch: ${result.cu_one_per_batch.cu_per_batch_min}-${result.cu_one_per_batch.cu_per_batch_max} CU per batch`);

  // the chain agrees with the two gateways' stores: every batch burned once, nothing else
  const ch = await app(holderKey, ["channel", "show", opened.channel]);
  const batches = result.cu.batches + result.cu_one_per_batch.batches;
  const redeemed = result.cu.redeemed_atoms + result.cu_one_per_batch.redeemed_atoms;
  result.channel.after = {next_seq: ch.meter.nextSeq, redeemed_atoms: ch.meter.redeemed.atoms, vault_atoms: ch.vaultBalance.atoms};
  if (ch.meter.nextSeq !== batches || ch.meter.redeemed.atoms !== redeemed || ch.vaultBalance.atoms !== opened.amount - redeemed) {
    throw new Error(`the chain disagrees: ${JSON.stringify(result.channel.after)} after ${batches} batches of ${redeemed} atoms`);
  }
  log(`chain: ${batches} batches, ${redeemed} atoms redeemed, vault ${ch.vaultBalance.atoms} atoms: as the gateways recorded`);
  result.load_at_end = loadavg();
  result.wall_s = r1((Date.now() - t0) / 1000);
}

// ---------------------------------------------------------------------------------------------
// the report

function markdown(r) {
  const m = r.measurements;
  const ms = (x) => (x == null ? "–" : `${x.toFixed(1)} ms`);
  const plus = (x) => (x == null ? "–" : `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(1)} ms`);
  const rows = [];
  const row = (what, d, g, a) => rows.push(`| ${what} | ${ms(d)} | ${ms(g)} | ${plus(a)} |`);
  row(`Chat, non-streaming, llm-katan echo: p50`, m.chat.direct.p50_ms, m.chat.gateway.p50_ms, m.chat.added.p50_ms);
  row(`Chat, non-streaming, llm-katan echo: p99`, m.chat.direct.p99_ms, m.chat.gateway.p99_ms, m.chat.added.p99_ms);
  row(`Chat, non-streaming, llm-katan echo: mean`, m.chat.direct.mean_ms, m.chat.gateway.mean_ms, m.chat.added.mean_ms);
  row(`Chat, streaming, llm-katan echo: time to first byte p50`, m.stream.direct.ttfb_p50_ms, m.stream.gateway.ttfb_p50_ms, m.stream.added.ttfb_p50_ms);
  row(`Chat, streaming, llm-katan echo: time to first byte p99`, m.stream.direct.ttfb_p99_ms, m.stream.gateway.ttfb_p99_ms, m.stream.added.ttfb_p99_ms);
  row(`Chat, streaming, llm-katan echo: whole stream p50`, m.stream.direct.p50_ms, m.stream.gateway.p50_ms, m.stream.added.p50_ms);
  if (m.model) {
    row(`SmolLM2-135M (CPU), non-streaming, 16 tokens: p50`, m.model.direct.p50_ms, m.model.gateway.p50_ms, m.model.added.p50_ms);
    row(`SmolLM2-135M (CPU), non-streaming, 16 tokens: p99`, m.model.direct.p99_ms, m.model.gateway.p99_ms, m.model.added.p99_ms);
  }
  const held = m.held.map((h) =>
    `| ${h.concurrency} | ${h.requests} | ${h.max_concurrent_streams_held} | ${h.errors}${h.errors ? ` (${Object.entries(h.error_statuses).map(([k, v]) => `${k}: ${v}`).join(", ")})` : ""} | ${ms(h.p50_ms)} (${ms(h.direct.p50_ms)}) | ${ms(h.p99_ms)} (${ms(h.direct.p99_ms)}) | ${ms(h.ttfb_p50_ms)} (${ms(h.direct.ttfb_p50_ms)}) |`);
  const cu = (c, what) => `| ${what} | ${c.batches} | ${c.receipts_per_batch_min}–${c.receipts_per_batch_max} (mean ${c.receipts_per_batch_mean}) | ${c.cu_per_batch_min}–${c.cu_per_batch_max} | **${c.cu_per_redeemed_request}** |`;
  const mc = r.machine;
  return `## Gateway benchmark

Measured by \`scripts/bench-gateway\` (\`crates/gateway/bench/run.mjs\`) on ${r.started_at.slice(0, 10)}: everything on one machine, on loopback:
\`app localnet --seed\` (the program's SBF \`.so\`, 100 ms slots), the gateway (\`app gateway serve\`, ${r.app_profile} build, SQLite store,
settlement every 5 s), llm-katan 0.22.0's echo backend as a fast upstream (no delays) and a slow one (50 ms between stream chunks),
and SmolLM2-135M-Instruct Q4_1 on our node-llama-cpp model server (one CPU thread). Each row sends the same request to the upstream
directly and through the gateway (which authenticates the key, reserves the worst-case cost against the channel, forwards, reads the usage and
writes the receipt), one request at a time, \`max_tokens\` 16: ${m.chat.direct.requests} requests each way (SmolLM2: ${m.model?.direct.requests ?? "–"}),
in ${m.chat.direct.runs} (SmolLM2: ${m.model?.direct.runs ?? "–"}) interleaved rounds (direct first, then the gateway first, and so on; one unmeasured warm-up request each), so the shared machine's drift falls on both sides alike.
"Added" is the difference of the two percentiles (not a per-request difference).
Machine: ${mc.cpus} × ${mc.cpu_model}, Node ${mc.node}; shared: load average ${mc.load_at_start.join(" / ")} (1/5/15 min) at the start,
${r.load_at_end.join(" / ")} at the end. Whole run: ${r.wall_s} s.

| Request | Direct | Through the gateway | Added |
|---|---|---|---|
${rows.join("\n")}

**Concurrent streams held** (streaming chat through the gateway to the slow llm-katan: 50 ms between chunks, ~35 chunks, ~1.8 s a stream alone;
twice as many requests as the concurrency, that many at a time; one API key, \`max_concurrent_per_key = 1024\`). "Held at once": the most responses the
client had open at the same moment (headers received, body not finished). In brackets: the same load on the slow llm-katan directly, run just before
(errors and streams held there: ${m.held.map((h) => `${h.direct.errors}/${h.direct.max_concurrent_streams_held}`).join(", ")}).${
  m.held.some((h) => h.errors === 0 && h.max_concurrent_streams_held < h.concurrency)
    ? " Where fewer than the concurrency were held with no error, the first streams ended before the last ones got their headers (the first byte's p99 is longer than a stream)." : ""}

| Concurrency | Requests | Streams held at once | Errors | Whole stream p50 (direct) | p99 (direct) | First byte p50 (direct) |
|---|---|---|---|---|---|---|
${held.join("\n")}

**Compute units per redeemed request**: after the load, every receipt was batched and every batch settled (\`GET /v1/gateway/receipts\`);
each batch is one \`redeem_from_channel\` transaction, whose \`meta.computeUnitsConsumed\` (\`getTransaction\`) is the whole transaction's,
its compute-budget instruction included (the program's own share: ${r.cu.program_cu_per_batch_min}–${r.cu.program_cu_per_batch_max} CU). Its cost does not depend on how many receipts the batch carries (it burns their summed cost
under one usage reference), so the cost per request is the batch's cost over its receipts, and falls with the traffic between two rounds:

| Settlement | Batches | Receipts per batch | CU per batch | CU per redeemed request |
|---|---|---|---|---|
${cu(r.cu, `every ${r.cu.settlement.interval_secs} s, at most ${r.cu.settlement.max_receipts} receipts (the load above)`)}
${cu(r.cu_one_per_batch, "worst case: `max_receipts = 1` (one request per batch)")}

Reproduce: \`scripts/bench-gateway\` (needs \`target/debug/app\`, \`target/deploy/compute_credits.so\`, Python 3 with venv and Node 20+;
it installs the pinned llm-katan venv and the model server's packages and fetches the model when missing). Raw numbers: the JSON it prints
(also \`DIR/bench.json\`).
`;
}

let failed = null;
try {
  await main();
} catch (e) {
  failed = e;
}
log("stopping every process");
await stopAll();
if (failed) {
  process.stderr.write(`run.mjs: FAILED: ${failed.stack ?? failed}\nlogs in ${DIR}\n`);
  process.exit(1);
}
const md = markdown(result);
fs.writeFileSync(path.join(DIR, "bench.json"), JSON.stringify(result, null, 2) + "\n");
fs.writeFileSync(path.join(DIR, "bench.md"), md);
if (opt.docs && opt.docs !== "none") fs.writeFileSync(path.resolve(opt.docs), md);
process.stdout.write(JSON.stringify(result) + "\n\n" + md);
log(`done in ${result.wall_s} s; results in ${DIR}/bench.json and bench.md${opt.docs !== "none" ? ` and ${opt.docs}` : ""}`);
process.exit(0);
