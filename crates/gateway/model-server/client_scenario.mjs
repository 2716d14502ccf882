#!/usr/bin/env node
// The official OpenAI TypeScript/JavaScript client (npm `openai`, pinned in package.json) doing
// what crates/gateway/python/client_scenario.py does, with the same arguments and the same ONE
// JSON output line:
//
//   node client_scenario.mjs --base-url http://127.0.0.1:PORT/v1 --api-key KEY --chat-model M
//        [--embedding-model E] [--calls chat,stream,embeddings] [--max-tokens 16]
//        [--expect-error STATUS] [--max-retries 0]
//
// Per call: the usage the client saw, the text length, the finish reason, and any error
// {status, type, code, param, message, class}. Exit status 0 when every call succeeded (or, with
// --expect-error, when every call failed with that status).
import {parseArgs} from "node:util";
import OpenAI from "openai";
import {VERSION as openaiVersion} from "openai/version";

const CALLS = ["chat", "stream", "embeddings"];

function usageExit(msg) {
  process.stderr.write(`client_scenario.mjs: ${msg}\n`);
  process.exit(2);
}

let a;
try {
  a = parseArgs({
    options: {
      "base-url": {type: "string"},
      "api-key": {type: "string"},
      "chat-model": {type: "string"},
      "embedding-model": {type: "string"},
      calls: {type: "string", default: CALLS.join(",")},
      prompt: {type: "string", default: "Name three colours."},
      "max-tokens": {type: "string", default: "16"},
      temperature: {type: "string", default: "0"},
      "embedding-input": {type: "string", multiple: true},
      "expect-error": {type: "string"},
      "max-retries": {type: "string", default: "0"},
      timeout: {type: "string", default: "120"},
    },
    strict: true,
  }).values;
} catch (e) {
  usageExit(e.message);
}
for (const req of ["base-url", "api-key", "chat-model"]) if (!a[req]) usageExit(`--${req} is required`);
const calls = a.calls.split(",").map((c) => c.trim()).filter(Boolean);
if (!calls.length || calls.some((c) => !CALLS.includes(c))) usageExit(`--calls takes a subset of ${CALLS.join(",")}`);
const expectError = a["expect-error"] == null ? null : Number(a["expect-error"]);
const embeddingModel = a["embedding-model"] ?? a["chat-model"];
const embeddingInput = a["embedding-input"] ?? ["The first sentence to embed.", "And a second one, a little longer."];

const client = new OpenAI({
  baseURL: a["base-url"],
  apiKey: a["api-key"],
  maxRetries: Number(a["max-retries"]),
  timeout: Number(a.timeout) * 1000,
});
const messages = [
  {role: "system", content: "You are a helpful assistant. Answer briefly."},
  {role: "user", content: a.prompt},
];
const params = {model: a["chat-model"], messages, max_tokens: Number(a["max-tokens"]), temperature: Number(a.temperature)};

const usageOf = (u) => {
  if (!u) return null;
  const out = {};
  for (const k of ["prompt_tokens", "completion_tokens", "total_tokens"]) if (u[k] != null) out[k] = u[k];
  return out;
};

function errorInfo(e) {
  const status = e.status ?? null;
  const info = {
    status,
    type: e.type ?? null,
    code: e.code ?? null,
    param: e.param ?? null,
    message: e.message ?? String(e),
    class: e.constructor?.name ?? "Error",
  };
  if (status != null && info.type == null && e.error !== undefined) info.body = e.error;
  return info;
}

const run = {
  async chat() {
    const r = await client.chat.completions.create(params);
    const choice = r.choices[0];
    return {usage: usageOf(r.usage), text_len: (choice?.message?.content ?? "").length,
      finish_reason: choice?.finish_reason ?? null, model: r.model};
  },
  async stream() {
    const start = performance.now();
    const stream = await client.chat.completions.create({...params, stream: true, stream_options: {include_usage: true}});
    let text = "";
    let chunks = 0;
    let usage = null;
    let usageChunks = 0;
    let position = null;
    let finish = null;
    let model = null;
    let firstChunkMs = null;
    for await (const chunk of stream) {
      firstChunkMs ??= Math.round((performance.now() - start) * 10) / 10;
      chunks++;
      model ??= chunk.model;
      for (const c of chunk.choices ?? []) {
        if (c.delta?.content) text += c.delta.content;
        if (c.finish_reason) finish = c.finish_reason;
      }
      if (chunk.usage) {
        usage = chunk.usage;
        usageChunks++;
        position = chunk.choices?.length ? "with_choices" : "own_chunk";
      }
    }
    return {usage: usageOf(usage), text_len: text.length, finish_reason: finish, model, chunks,
      usage_chunks: usageChunks, usage_position: position, first_chunk_ms: firstChunkMs};
  },
  async embeddings() {
    const r = await client.embeddings.create({model: embeddingModel, input: embeddingInput});
    const dims = [...new Set(r.data.map((d) => d.embedding.length))].sort((x, y) => x - y);
    return {usage: usageOf(r.usage), vectors: r.data.length, dimensions: dims.length === 1 ? dims[0] : dims, model: r.model};
  },
};

const results = {};
for (const name of calls) {
  const start = performance.now();
  let res;
  try {
    res = {ok: true, ...(await run[name]()), error: null};
  } catch (e) {
    if (!(e instanceof OpenAI.OpenAIError)) throw e;
    res = {ok: false, usage: null, error: errorInfo(e)};
  }
  res.ms = Math.round((performance.now() - start) * 10) / 10;
  results[name] = res;
}

const common = {base_url: a["base-url"], openai_version: openaiVersion};
const out = expectError != null
  ? {ok: Object.values(results).every((r) => r.error?.status === expectError), expect_error: expectError, ...common, calls: results}
  : {ok: Object.values(results).every((r) => r.ok), ...common, calls: results};
process.stdout.write(JSON.stringify(out) + "\n");
process.exitCode = out.ok ? 0 : 1;
