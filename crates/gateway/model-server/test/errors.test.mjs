// The model server's OpenAI-style errors, an API key, model aliases and a small context.
import {test, before, after} from "node:test";
import assert from "node:assert/strict";
import {startServer, post} from "../testing/helpers.mjs";

const KEY = "sk-test-model-server";
let server;
before(async () => {
  server = await startServer(["--api-key", KEY, "--ctx-size", "128", "--name", "alias-a", "--name", "alias-b"]);
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const auth = {authorization: `Bearer ${KEY}`};
const chat = (body, headers = auth) => post(`${server.url}/v1/chat/completions`, body, headers);
const hi = [{role: "user", content: "hi"}];

async function assertError(res, status, {type = "invalid_request_error", param, code} = {}) {
  assert.equal(res.status, status);
  assert.match(res.headers.get("content-type"), /^application\/json/);
  const body = await res.json();
  assert.deepEqual(Object.keys(body), ["error"]);
  assert.deepEqual(Object.keys(body.error).sort(), ["code", "message", "param", "type"]);
  assert.equal(typeof body.error.message, "string");
  assert.ok(body.error.message.length > 0);
  assert.equal(body.error.type, type);
  if (param !== undefined) assert.equal(body.error.param, param);
  if (code !== undefined) assert.equal(body.error.code, code);
  return body.error;
}

test("the API key: 401 without it or with another, 200 with it; /health needs none", async () => {
  await assertError(await fetch(`${server.url}/v1/models`), 401, {code: "invalid_api_key"});
  await assertError(await fetch(`${server.url}/v1/models`, {headers: {authorization: "Bearer nope"}}), 401,
    {code: "invalid_api_key"});
  await assertError(await chat({model: "alias-a", messages: hi}, {}), 401, {code: "invalid_api_key"});
  const models = await (await fetch(`${server.url}/v1/models`, {headers: auth})).json();
  assert.deepEqual(models.data.map((m) => m.id), ["alias-a", "alias-b"]);
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
});

test("every alias serves, and the response names the alias asked for", async () => {
  for (const model of ["alias-a", "alias-b"]) {
    const body = await (await chat({model, messages: hi, max_tokens: 2})).json();
    assert.equal(body.model, model);
    const e = await (await post(`${server.url}/v1/embeddings`, {model, input: "x"}, auth)).json();
    assert.equal(e.model, model);
  }
});

test("an unknown model is 404 model_not_found", async () => {
  await assertError(await chat({model: "gpt-4o", messages: hi}), 404, {param: "model", code: "model_not_found"});
  await assertError(await post(`${server.url}/v1/embeddings`, {model: "nope", input: "x"}, auth), 404,
    {code: "model_not_found"});
  await assertError(await fetch(`${server.url}/v1/models/nope`, {headers: auth}), 404, {code: "model_not_found"});
});

test("malformed requests are 400 invalid_request_error naming the parameter", async () => {
  await assertError(await chat("{not json"), 400);
  await assertError(await chat("[1, 2]"), 400);
  await assertError(await chat({messages: hi}), 400, {param: "model"});
  await assertError(await chat({model: "alias-a"}), 400, {param: "messages"});
  await assertError(await chat({model: "alias-a", messages: []}), 400, {param: "messages"});
  await assertError(await chat({model: "alias-a", messages: [{role: "tool", content: "x"}]}), 400,
    {param: "messages[0].role"});
  await assertError(await chat({model: "alias-a", messages: [{role: "user", content: [{type: "image_url"}]}]}), 400,
    {param: "messages[0].content[0]"});
  await assertError(await chat({model: "alias-a", messages: hi, max_tokens: 0}), 400, {param: "max_tokens"});
  await assertError(await chat({model: "alias-a", messages: hi, max_tokens: 2.5}), 400, {param: "max_tokens"});
  await assertError(await chat({model: "alias-a", messages: hi, max_completion_tokens: -1}), 400,
    {param: "max_completion_tokens"});
  await assertError(await chat({model: "alias-a", messages: hi, temperature: 3}), 400, {param: "temperature"});
  await assertError(await chat({model: "alias-a", messages: hi, temperature: "hot"}), 400, {param: "temperature"});
  await assertError(await chat({model: "alias-a", messages: hi, n: 2}), 400, {param: "n"});
  await assertError(await chat({model: "alias-a", messages: hi, stream_options: {include_usage: true}}), 400,
    {param: "stream_options"});
  await assertError(await chat({model: "alias-a", messages: hi, stop: ["a", "b", "c", "d", "e"]}), 400, {param: "stop"});
  const emb = (body) => post(`${server.url}/v1/embeddings`, {model: "alias-a", ...body}, auth);
  await assertError(await emb({}), 400, {param: "input"});
  await assertError(await emb({input: ""}), 400, {param: "input"});
  await assertError(await emb({input: []}), 400, {param: "input"});
  await assertError(await emb({input: [1, "x"]}), 400, {param: "input"});
  await assertError(await emb({input: "x", encoding_format: "hex"}), 400, {param: "encoding_format"});
  await assertError(await emb({input: "x", dimensions: 3}), 400, {param: "dimensions"});
});

test("a prompt over the context is 400 context_length_exceeded; the answer is bounded by what is left", async () => {
  const long = [{role: "user", content: "word ".repeat(200)}];
  await assertError(await chat({model: "alias-a", messages: long}), 400, {code: "context_length_exceeded"});
  await assertError(await post(`${server.url}/v1/embeddings`, {model: "alias-a", input: "word ".repeat(200)}, auth), 400,
    {code: "context_length_exceeded"});
  // 128 tokens of context: the prompt plus the answer never exceed it, whatever max_tokens says
  const body = await (await chat({model: "alias-a", messages: [{role: "user", content: "Tell a long story."}],
    max_tokens: 1000, temperature: 0})).json();
  assert.ok(body.usage.total_tokens <= 128, `${body.usage.total_tokens} <= 128`);
});

test("unknown URLs are 404, wrong methods 405, and the server stays up", async () => {
  await assertError(await fetch(`${server.url}/v1/completions`, {method: "POST", headers: auth}), 404,
    {code: "unknown_url"});
  const r = await fetch(`${server.url}/v1/chat/completions`, {headers: auth});
  await assertError(r, 405, {code: "method_not_allowed"});
  assert.equal(r.headers.get("allow"), "POST");
  await assertError(await fetch(`${server.url}/v1/models`, {method: "POST", headers: auth}), 405);
  const big = "x".repeat(5 * 1024 * 1024);
  await assertError(await chat(big), 413);
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
});
