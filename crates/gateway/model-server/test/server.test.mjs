// The model server against the real model (SmolLM2-135M-Instruct Q4_1): response shapes, usage
// counted with the model's own tokenizer, streaming, max_tokens, stop strings, embeddings,
// concurrency. Nothing here asserts the model's words; where text is compared it is the model's
// own greedy (temperature 0) answer compared with itself.
import {describe, test, before, after} from "node:test";
import assert from "node:assert/strict";
import {startServer, promptTokenCount, tokenizer, post, readSse, modelPath} from "../testing/helpers.mjs";

const MODEL = "SmolLM2-135M-Instruct.Q4_1";
const LONG = [{role: "user", content: "Write a long story about a dragon who learns to cook."}];
const MULTI = [
  {role: "system", content: "You are a terse assistant."},
  {role: "user", content: "Name a colour."},
  {role: "assistant", content: "Blue."},
  {role: "developer", content: "Answer in one word."},
  {role: "user", content: [{type: "text", text: "Name "}, {type: "text", text: "another."}]},
];
// the same conversation with the content parts joined, as the template renders it
const MULTI_FLAT = MULTI.map((m) => ({...m, content: Array.isArray(m.content) ? m.content.map((p) => p.text).join("") : m.content}));

let server;
before(async () => {
  modelPath(); // fetch (or find) the model before timing the server's start
  const t0 = performance.now();
  server = await startServer();
  console.log(`# model server ready in ${(performance.now() - t0).toFixed(0)} ms`);
});
after(async () => {
  assert.equal(await server.stop(), 0, "the server exits 0 on SIGTERM");
});

const chat = (body) => post(`${server.url}/v1/chat/completions`, {model: MODEL, ...body});

function assertUsage(usage, promptTokens) {
  assert.deepEqual(Object.keys(usage).sort(), ["completion_tokens", "prompt_tokens", "total_tokens"]);
  assert.equal(usage.prompt_tokens, promptTokens, "prompt_tokens = the tokenizer's count of the formatted prompt");
  assert.ok(Number.isInteger(usage.completion_tokens) && usage.completion_tokens >= 0);
  assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
}

/** Collects a stream's content, finish reasons and usage, checking the chunk shapes. */
function streamParts(events, {includeUsage}) {
  assert.equal(events.at(-1), "[DONE]", "the stream ends with data: [DONE]");
  assert.equal(events.filter((e) => e === "[DONE]").length, 1);
  const chunks = events.slice(0, -1);
  assert.ok(chunks.length >= 2);
  const id = chunks[0].id;
  assert.match(id, /^chatcmpl-/);
  let content = "";
  const finishes = [];
  let usage;
  chunks.forEach((c, i) => {
    assert.equal(c.object, "chat.completion.chunk");
    assert.equal(c.id, id, "every chunk has the same id");
    assert.equal(c.model, MODEL);
    assert.ok(Number.isInteger(c.created));
    if (!includeUsage) assert.ok(!("usage" in c), "no usage field unless include_usage");
    if (c.choices.length === 0) {
      assert.ok(includeUsage, "a chunk without choices only when usage is asked for");
      assert.equal(i, chunks.length - 1, "the usage chunk is the last before [DONE]");
      usage = c.usage;
      return;
    }
    if (includeUsage) assert.equal(c.usage, null, "content chunks carry usage: null");
    assert.equal(c.choices.length, 1);
    const [choice] = c.choices;
    assert.equal(choice.index, 0);
    if (i === 0) assert.equal(choice.delta.role, "assistant", "the first delta names the role");
    else assert.ok(!("role" in choice.delta));
    if (typeof choice.delta.content === "string") content += choice.delta.content;
    if (choice.finish_reason != null) finishes.push(choice.finish_reason);
    else assert.ok(!("finish_reason" in choice.delta));
  });
  assert.equal(finishes.length, 1, "exactly one chunk carries finish_reason");
  return {content, finishReason: finishes[0], usage, lastChoiceChunk: chunks.findLast((c) => c.choices.length)};
}

describe("models", () => {
  test("GET /v1/models lists the model", async () => {
    const res = await fetch(`${server.url}/v1/models`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^application\/json/);
    const body = await res.json();
    assert.equal(body.object, "list");
    assert.equal(body.data.length, 1);
    assert.equal(body.data[0].id, MODEL);
    assert.equal(body.data[0].object, "model");
    assert.ok(Number.isInteger(body.data[0].created));
    assert.equal(typeof body.data[0].owned_by, "string");
    const one = await fetch(`${server.url}/v1/models/${MODEL}`);
    assert.deepEqual(await one.json(), body.data[0]);
  });

  test("stdout is exactly the one listening line", () => {
    assert.deepEqual(server.stdoutLines, [`listening on ${server.url}`]);
  });
});

describe("chat completions, not streaming", () => {
  test("the OpenAI shape, with usage from the model's tokenizer", async () => {
    const res = await chat({messages: MULTI, max_tokens: 16, temperature: 0});
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.match(body.id, /^chatcmpl-/);
    assert.equal(body.object, "chat.completion");
    assert.equal(body.model, MODEL);
    assert.ok(Math.abs(body.created - Date.now() / 1000) < 120);
    assert.equal(body.choices.length, 1);
    const [choice] = body.choices;
    assert.equal(choice.index, 0);
    assert.equal(choice.message.role, "assistant");
    assert.equal(typeof choice.message.content, "string");
    assert.ok(["stop", "length"].includes(choice.finish_reason));
    assertUsage(body.usage, await promptTokenCount(MULTI_FLAT));
    assert.ok(body.usage.completion_tokens <= 16);
    assert.equal(choice.finish_reason === "length", body.usage.completion_tokens === 16);
  });

  test("max_tokens bounds the completion, and a full one ends with finish_reason length", async () => {
    for (const n of [1, 7]) {
      const body = await (await chat({messages: LONG, max_tokens: n, temperature: 0})).json();
      assert.ok(body.usage.completion_tokens <= n, `${body.usage.completion_tokens} <= ${n}`);
      assert.equal(body.choices[0].finish_reason === "length", body.usage.completion_tokens === n);
      assertUsage(body.usage, await promptTokenCount(LONG));
    }
  });

  test("max_completion_tokens is honoured and wins over max_tokens", async () => {
    const body = await (await chat({messages: LONG, max_tokens: 30, max_completion_tokens: 3, temperature: 0})).json();
    assert.ok(body.usage.completion_tokens <= 3);
    assert.equal(body.choices[0].finish_reason === "length", body.usage.completion_tokens === 3);
  });

  test("temperature 0 is greedy: the same prompt gives the same answer", async () => {
    const a = await (await chat({messages: LONG, max_tokens: 12, temperature: 0})).json();
    const b = await (await chat({messages: LONG, max_tokens: 12, temperature: 0})).json();
    assert.equal(a.choices[0].message.content, b.choices[0].message.content);
    assert.deepEqual(a.usage, b.usage);
  });

  test("a stop string cuts the answer where it first appears", async () => {
    const full = await (await chat({messages: LONG, max_tokens: 24, temperature: 0})).json();
    const text = full.choices[0].message.content;
    assert.ok(text.length >= 12, "the greedy answer is long enough to cut");
    const stop = text.slice(8, 11); // three characters from the model's own answer
    const cut = await (await chat({messages: LONG, max_tokens: 24, temperature: 0, stop})).json();
    assert.equal(cut.choices[0].message.content, text.slice(0, text.indexOf(stop)));
    assert.equal(cut.choices[0].finish_reason, "stop");
    assert.ok(cut.usage.completion_tokens <= full.usage.completion_tokens);
    assert.equal(cut.usage.prompt_tokens, full.usage.prompt_tokens);
  });
});

describe("chat completions, streaming", () => {
  test("chunks in the chat.completion.chunk shape, [DONE], no usage unless asked", async () => {
    const res = await chat({messages: LONG, max_tokens: 10, temperature: 0, stream: true});
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^text\/event-stream/);
    const {events} = await readSse(res);
    const {content, finishReason, usage} = streamParts(events, {includeUsage: false});
    assert.equal(usage, undefined);
    const plain = await (await chat({messages: LONG, max_tokens: 10, temperature: 0})).json();
    assert.equal(content, plain.choices[0].message.content, "the deltas add up to the plain answer");
    assert.equal(finishReason, plain.choices[0].finish_reason);
  });

  test("include_usage: a last chunk with choices [] and the usage", async () => {
    const res = await chat({
      messages: MULTI, max_tokens: 9, temperature: 0, stream: true, stream_options: {include_usage: true},
    });
    const {events} = await readSse(res);
    const {content, finishReason, usage} = streamParts(events, {includeUsage: true});
    assert.ok(usage, "the usage chunk is there");
    assertUsage(usage, await promptTokenCount(MULTI_FLAT));
    assert.ok(usage.completion_tokens <= 9);
    assert.equal(finishReason === "length", usage.completion_tokens === 9);
    const plain = await (await chat({messages: MULTI, max_tokens: 9, temperature: 0})).json();
    assert.equal(content, plain.choices[0].message.content);
    assert.deepEqual(usage, plain.usage, "streaming and plain count the same");
  });

  test("include_usage false is the same as not asking", async () => {
    const res = await chat({messages: LONG, max_tokens: 3, stream: true, stream_options: {include_usage: false}});
    streamParts((await readSse(res)).events, {includeUsage: false});
  });

  test("max_tokens bounds a streamed completion", async () => {
    const res = await chat({
      messages: LONG, max_tokens: 5, temperature: 0.7, seed: 7, stream: true, stream_options: {include_usage: true},
    });
    const {usage, finishReason} = streamParts((await readSse(res)).events, {includeUsage: true});
    assert.ok(usage.completion_tokens <= 5);
    assert.equal(finishReason === "length", usage.completion_tokens === 5);
  });

  test("a stop string cuts a streamed answer too (held-back text is not sent)", async () => {
    const full = await (await chat({messages: LONG, max_tokens: 24, temperature: 0})).json();
    const text = full.choices[0].message.content;
    const stop = text.slice(5, 9);
    const res = await chat({messages: LONG, max_tokens: 24, temperature: 0, stop: [stop, "\u0000never"], stream: true});
    const {content, finishReason} = streamParts((await readSse(res)).events, {includeUsage: false});
    assert.equal(content, text.slice(0, text.indexOf(stop)));
    assert.equal(finishReason, "stop");
  });
});

describe("embeddings", () => {
  const embed = (body) => post(`${server.url}/v1/embeddings`, {model: MODEL, ...body});

  test("a string: one vector, its dimension, usage from the tokenizer", async () => {
    const input = "The quick brown fox jumps over the lazy dog.";
    const res = await embed({input});
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.object, "list");
    assert.equal(body.model, MODEL);
    assert.equal(body.data.length, 1);
    assert.equal(body.data[0].object, "embedding");
    assert.equal(body.data[0].index, 0);
    const model = await tokenizer();
    assert.equal(body.data[0].embedding.length, model.fileInsights.embeddingVectorSize);
    assert.ok(body.data[0].embedding.every(Number.isFinite));
    const n = model.tokenize(input).length;
    assert.deepEqual(body.usage, {prompt_tokens: n, total_tokens: n});
  });

  test("an array: one vector each, in order, the dimension stable, deterministic", async () => {
    const inputs = ["alpha", "a somewhat longer sentence about compute credits", "alpha"];
    const body = await (await embed({input: inputs})).json();
    assert.deepEqual(body.data.map((d) => d.index), [0, 1, 2]);
    const dims = new Set(body.data.map((d) => d.embedding.length));
    assert.equal(dims.size, 1);
    const model = await tokenizer();
    assert.equal([...dims][0], model.fileInsights.embeddingVectorSize);
    assert.deepEqual(body.data[0].embedding, body.data[2].embedding, "the same text, the same vector");
    assert.notDeepEqual(body.data[0].embedding, body.data[1].embedding);
    const n = inputs.reduce((s, t) => s + model.tokenize(t).length, 0);
    assert.equal(body.usage.prompt_tokens, n);
    const single = await (await embed({input: "alpha"})).json();
    assert.deepEqual(single.data[0].embedding, body.data[0].embedding, "batched or alone, the same vector");
  });

  test("token-id input counts its ids", async () => {
    const model = await tokenizer();
    const ids = Array.from(model.tokenize("tokens in, tokens counted"));
    const body = await (await embed({input: ids})).json();
    assert.equal(body.usage.prompt_tokens, ids.length);
    const text = await (await embed({input: "tokens in, tokens counted"})).json();
    assert.deepEqual(body.data[0].embedding, text.data[0].embedding);
  });

  test("encoding_format base64 is the same vector as little-endian float32", async () => {
    const f = await (await embed({input: "base64 please"})).json();
    const b = await (await embed({input: "base64 please", encoding_format: "base64"})).json();
    assert.equal(typeof b.data[0].embedding, "string");
    const buf = Buffer.from(b.data[0].embedding, "base64");
    const floats = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    assert.deepEqual(Array.from(floats), f.data[0].embedding.map(Math.fround));
    assert.deepEqual(b.usage, f.usage);
  });
});

describe("concurrency", () => {
  test("concurrent requests are queued, all answered, none crash the server", async () => {
    const started = performance.now();
    const results = await Promise.all([
      chat({messages: LONG, max_tokens: 6, temperature: 0}).then((r) => r.json()),
      chat({messages: LONG, max_tokens: 6, temperature: 0, stream: true, stream_options: {include_usage: true}})
        .then(readSse),
      chat({messages: MULTI, max_tokens: 4, stream: true}).then(readSse),
      post(`${server.url}/v1/embeddings`, {model: MODEL, input: ["x", "y"]}).then((r) => r.json()),
      chat({messages: LONG, max_tokens: 6, temperature: 0}).then((r) => r.json()),
      fetch(`${server.url}/v1/models`).then((r) => r.json()),
    ]);
    const [a, s1, s2, e, b] = results;
    assert.equal(a.choices[0].message.content, b.choices[0].message.content, "queued greedy answers are the same");
    const p1 = streamParts(s1.events, {includeUsage: true});
    assert.equal(p1.content, a.choices[0].message.content);
    assert.deepEqual(p1.usage, a.usage);
    streamParts(s2.events, {includeUsage: false});
    assert.equal(e.data.length, 2);
    console.log(`# 6 concurrent requests in ${(performance.now() - started).toFixed(0)} ms`);
  });

  test("a client that disconnects mid-stream does not stop the next one", async () => {
    const ctl = new AbortController();
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: {"content-type": "application/json"},
      body: JSON.stringify({model: MODEL, messages: LONG, max_tokens: 200, stream: true}),
      signal: ctl.signal,
    });
    const reader = res.body.getReader();
    await reader.read(); // the first chunk
    ctl.abort();
    await reader.read().catch(() => {});
    const body = await (await chat({messages: LONG, max_tokens: 2, temperature: 0})).json();
    assert.ok(body.usage.completion_tokens <= 2);
    const health = await (await fetch(`${server.url}/health`)).json();
    assert.equal(health.status, "ok");
    // the abandoned generation was stopped within a few tokens, not after its 200
    await new Promise((r) => setTimeout(r, 100));
    const m = /POST \/v1\/chat\/completions 200 \(client gone\) prompt=\d+ completion=(\d+)/.exec(server.stderr());
    assert.ok(m, server.stderr());
    assert.ok(Number(m[1]) < 50, `stopped after ${m[1]} tokens`);
  });
});
