// --omit-usage: an upstream that reports no usage (the gateway must count it itself).
import {test, before, after} from "node:test";
import assert from "node:assert/strict";
import {startServer, post, readSse} from "../testing/helpers.mjs";

let server;
before(async () => {
  server = await startServer(["--omit-usage", "--name", "m"]);
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const msgs = [{role: "user", content: "Say something."}];

test("no usage in a plain answer or in embeddings", async () => {
  const chat = await (await post(`${server.url}/v1/chat/completions`, {model: "m", messages: msgs, max_tokens: 3})).json();
  assert.equal(chat.object, "chat.completion");
  assert.ok(!("usage" in chat));
  const emb = await (await post(`${server.url}/v1/embeddings`, {model: "m", input: "x"})).json();
  assert.equal(emb.data.length, 1);
  assert.ok(!("usage" in emb));
});

test("no usage chunk and no usage field in a stream, even when asked", async () => {
  const res = await post(`${server.url}/v1/chat/completions`,
    {model: "m", messages: msgs, max_tokens: 3, stream: true, stream_options: {include_usage: true}});
  const {events} = await readSse(res);
  assert.equal(events.at(-1), "[DONE]");
  const chunks = events.slice(0, -1);
  assert.ok(chunks.length >= 2);
  for (const c of chunks) {
    assert.equal(c.object, "chat.completion.chunk");
    assert.ok(!("usage" in c));
    assert.equal(c.choices.length, 1, "no choices: [] usage chunk");
  }
  assert.equal(chunks.filter((c) => c.choices[0].finish_reason != null).length, 1);
});
