#!/usr/bin/env node
// Latency and concurrency of an OpenAI-compatible endpoint: an upstream directly, or the gateway in
// front of it. Node's own fetch, no dependencies.
//
//   node bench.mjs --url BASE --key K --model M --requests N --concurrency C [--stream]
//                  [--endpoint chat|embeddings] [--max-tokens 16] [--prompt TEXT] [--warmup 1]
//                  [--timeout-ms 120000] [--samples]
//
// BASE is the server's root or its /v1 (both work). N requests are sent by C workers (each sends
// its next request when the previous one is complete), after `--warmup` unmeasured ones. Prints
// one JSON object:
//   p50_ms, p99_ms, mean_ms, min_ms, max_ms   time to complete (the whole body read), ok requests
//   ttfb_p50_ms, ttfb_p99_ms, ttfb_mean_ms    streaming: time to the first body byte
//   ttft_p50_ms, ttft_p99_ms                  streaming: time to the first content delta
//   ok, errors, error_statuses                {"429": 3, "network": 1, ...}
//   max_concurrent_streams_held               the most responses open at once (status received,
//                                             body not yet finished)
//   max_in_flight                             the most requests sent and not yet complete
//   wall_ms, requests_per_s, prompt_tokens, completion_tokens, completion_tokens_per_s,
//   usage_missing                             from the answers' usage (streams ask include_usage)
//   samples_ms, ttfb_samples_ms               with --samples: every ok request's time (and time to
//                                             first byte), in the order they completed, so runs can
//                                             be merged (crates/gateway/bench/run.mjs interleaves)
// Percentiles are nearest-rank over the ok requests. Exit status 0 when every request succeeded.
import {parseArgs} from "node:util";

function fail(msg) {
  process.stderr.write(`bench.mjs: ${msg}\n` +
    "usage: node bench.mjs --url BASE --key K --model M --requests N --concurrency C [--stream] " +
    "[--endpoint chat|embeddings] [--max-tokens 16] [--prompt TEXT] [--warmup 1] [--timeout-ms 120000] [--samples]\n");
  process.exit(2);
}

let a;
try {
  a = parseArgs({
    options: {
      url: {type: "string"},
      key: {type: "string", default: ""},
      model: {type: "string"},
      requests: {type: "string", default: "20"},
      concurrency: {type: "string", default: "1"},
      stream: {type: "boolean", default: false},
      endpoint: {type: "string", default: "chat"},
      "max-tokens": {type: "string", default: "16"},
      prompt: {type: "string", default: "Write one sentence about the sea."},
      warmup: {type: "string", default: "1"},
      "timeout-ms": {type: "string", default: "120000"},
      samples: {type: "boolean", default: false},
    },
    strict: true,
  }).values;
} catch (e) {
  fail(e.message);
}
const int = (name, min, max = 1e9) => {
  const n = Number(a[name]);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer in [${min}, ${max}]`);
  return n;
};
if (!a.url) fail("--url is required");
if (!a.model) fail("--model is required");
if (!["chat", "embeddings"].includes(a.endpoint)) fail("--endpoint is chat or embeddings");
if (a.stream && a.endpoint !== "chat") fail("--stream is for --endpoint chat");
const N = int("requests", 1, 100_000);
const C = int("concurrency", 1, 1024);
const MAX_TOKENS = int("max-tokens", 1);
const WARMUP = int("warmup", 0, 1000);
const TIMEOUT_MS = int("timeout-ms", 1);
const base = a.url.replace(/\/+$/, "");
const url = `${/\/v1$/.test(base) ? base : `${base}/v1`}/${a.endpoint === "chat" ? "chat/completions" : "embeddings"}`;

const body = JSON.stringify(a.endpoint === "chat"
  ? {
    model: a.model,
    messages: [{role: "user", content: a.prompt}],
    max_tokens: MAX_TOKENS,
    temperature: 0,
    ...(a.stream ? {stream: true, stream_options: {include_usage: true}} : {}),
  }
  : {model: a.model, input: a.prompt});
const headers = {"content-type": "application/json", ...(a.key ? {authorization: `Bearer ${a.key}`} : {})};

let held = 0;
let maxHeld = 0;
let inFlight = 0;
let maxInFlight = 0;

/** One request: {ok, status, totalMs, ttfbMs, ttftMs, usage} */
async function one() {
  const t0 = performance.now();
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  let holding = false;
  const r = {ok: false, status: null, totalMs: null, ttfbMs: null, ttftMs: null, usage: null};
  try {
    const res = await fetch(url, {method: "POST", headers, body, signal: AbortSignal.timeout(TIMEOUT_MS)});
    r.status = res.status;
    holding = true;
    held++;
    maxHeld = Math.max(maxHeld, held);
    if (!a.stream || !res.ok) {
      const text = await res.text();
      r.ttfbMs = performance.now() - t0;
      if (res.ok) {
        const json = JSON.parse(text);
        r.usage = json.usage ?? null;
        r.ok = true;
      }
    } else {
      const decoder = new TextDecoder();
      let buf = "";
      let done = false;
      let streamError = null;
      for await (const bytes of res.body) {
        if (r.ttfbMs == null) r.ttfbMs = performance.now() - t0;
        buf += decoder.decode(bytes, {stream: true});
        let i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const event = buf.slice(0, i);
          buf = buf.slice(i + 2);
          for (const line of event.split("\n")) {
            if (!line.startsWith("data:")) continue;
            const data = line.slice(5).trim();
            if (data === "[DONE]") {
              done = true;
              continue;
            }
            const chunk = JSON.parse(data);
            if (chunk.error) streamError = chunk.error;
            if (chunk.usage) r.usage = chunk.usage; // wherever it arrives
            if (r.ttftMs == null && chunk.choices?.some((c) => c.delta?.content)) r.ttftMs = performance.now() - t0;
          }
        }
      }
      r.ok = done && !streamError;
      if (!r.ok) r.status = streamError ? "stream_error" : "no_done";
    }
  } catch (e) {
    r.status = e.name === "TimeoutError" ? "timeout" : "network";
  } finally {
    r.totalMs = performance.now() - t0;
    inFlight--;
    if (holding) held--;
  }
  return r;
}

async function runAll(count, concurrency) {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      results.push(await one());
    }
  };
  await Promise.all(Array.from({length: Math.min(concurrency, count)}, worker));
  return results;
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : null);
const mean = (xs) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
const round = (x) => (x == null ? null : Math.round(x * 10) / 10);

if (WARMUP > 0) await runAll(WARMUP, 1);
held = maxHeld = inFlight = maxInFlight = 0;
const started = performance.now();
const results = await runAll(N, C);
const wallMs = performance.now() - started;

const ok = results.filter((r) => r.ok);
const totals = ok.map((r) => r.totalMs).sort((x, y) => x - y);
const errorStatuses = {};
for (const r of results.filter((r) => !r.ok)) errorStatuses[r.status] = (errorStatuses[r.status] ?? 0) + 1;
const withUsage = ok.filter((r) => r.usage);
const promptTokens = withUsage.reduce((s, r) => s + (r.usage.prompt_tokens ?? 0), 0);
const completionTokens = withUsage.reduce((s, r) => s + (r.usage.completion_tokens ?? 0), 0);
const out = {
  url,
  endpoint: a.endpoint,
  stream: a.stream,
  requests: N,
  concurrency: C,
  max_tokens: a.endpoint === "chat" ? MAX_TOKENS : undefined,
  ok: ok.length,
  errors: results.length - ok.length,
  error_statuses: errorStatuses,
  p50_ms: round(pct(totals, 50)),
  p99_ms: round(pct(totals, 99)),
  mean_ms: round(mean(totals)),
  min_ms: round(totals[0]),
  max_ms: round(totals.at(-1)),
};
if (a.stream) {
  const ttfb = ok.map((r) => r.ttfbMs).sort((x, y) => x - y);
  const ttft = ok.map((r) => r.ttftMs).filter((x) => x != null).sort((x, y) => x - y);
  Object.assign(out, {
    ttfb_p50_ms: round(pct(ttfb, 50)),
    ttfb_p99_ms: round(pct(ttfb, 99)),
    ttfb_mean_ms: round(mean(ttfb)),
    ttft_p50_ms: round(pct(ttft, 50)),
    ttft_p99_ms: round(pct(ttft, 99)),
  });
}
Object.assign(out, {
  max_concurrent_streams_held: maxHeld,
  max_in_flight: maxInFlight,
  wall_ms: round(wallMs),
  requests_per_s: round((ok.length * 1000) / wallMs),
  prompt_tokens: promptTokens,
  completion_tokens: completionTokens,
  completion_tokens_per_s: round((completionTokens * 1000) / wallMs),
  usage_missing: ok.length - withUsage.length,
});
if (a.samples) {
  const r2 = (x) => Math.round(x * 100) / 100;
  out.samples_ms = ok.map((r) => r2(r.totalMs));
  if (a.stream) out.ttfb_samples_ms = ok.map((r) => r2(r.ttfbMs));
}
process.stdout.write(JSON.stringify(out) + "\n");
process.exit(out.errors === 0 ? 0 : 1);
