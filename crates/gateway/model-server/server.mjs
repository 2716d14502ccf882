#!/usr/bin/env node
// An OpenAI-compatible adapter over one GGUF model, run on the CPU by node-llama-cpp's prebuilt
// llama.cpp binding: the real upstream the gateway's tests and benchmark talk to.
//
//   node server.mjs --model PATH [--host 127.0.0.1] [--port 0] [--name ID]... [--ctx-size 4096]
//                   [--threads 1] [--api-key KEY] [--max-queue 256] [--omit-usage] [--quiet]
//
// Prints exactly one line to stdout when it is ready: `listening on http://HOST:PORT` (port 0 picks
// a free one). Everything else (a line per request, llama.cpp's warnings) goes to stderr.
//
// Endpoints: GET /v1/models, GET /v1/models/ID, POST /v1/chat/completions (plain and SSE streaming,
// `stream_options.include_usage`), POST /v1/embeddings (float or base64), GET /health.
// Errors are OpenAI-shaped: {"error": {"message", "type", "param", "code"}}.
// --omit-usage plays an upstream that reports no usage at all (no `usage` in answers, no usage
// chunk in streams even when asked): what the gateway must then count itself.
//
// Usage is counted with the model's own tokenizer: prompt_tokens is the number of tokens of the
// prompt as formatted by the model's chat template (ChatML for SmolLM2) and fed to the model;
// completion_tokens is the number of tokens the model generated for the answer (the end-of-turn
// token not counted); embeddings' prompt_tokens is the number of tokens of the inputs.
//
// One context, one sequence: generations run one at a time (a FIFO queue), and so do embeddings
// (their own context). Concurrent HTTP requests wait their turn; a client that disconnects while
// waiting or while its answer streams is dropped and the generation stopped.
import http from "node:http";
import path from "node:path";
import fs from "node:fs";
import {randomBytes} from "node:crypto";
import {parseArgs} from "node:util";
import {getLlama, LlamaLogLevel, resolveChatWrapper} from "node-llama-cpp";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

function usageExit(msg) {
  process.stderr.write(`server.mjs: ${msg}\n` +
    "usage: node server.mjs --model PATH [--host 127.0.0.1] [--port 0] [--name ID]... " +
    "[--ctx-size 4096] [--threads 1] [--api-key KEY] [--max-queue 256] [--omit-usage] [--quiet]\n");
  process.exit(2);
}

function parseIntArg(name, value, min) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) usageExit(`--${name} must be an integer >= ${min}, got ${value}`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      model: {type: "string"},
      host: {type: "string", default: "127.0.0.1"},
      port: {type: "string", default: "0"},
      name: {type: "string", multiple: true},
      "ctx-size": {type: "string", default: "4096"},
      threads: {type: "string", default: "1"},
      "api-key": {type: "string"},
      "max-queue": {type: "string", default: "256"},
      "omit-usage": {type: "boolean", default: false},
      quiet: {type: "boolean", default: false},
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (e) {
  usageExit(e.message);
}
if (!args.model) usageExit("--model PATH is required");
if (!fs.existsSync(args.model)) usageExit(`no model file at ${args.model}`);
const PORT = parseIntArg("port", args.port, 0);
if (PORT > 65535) usageExit("--port must be <= 65535");
const CTX_SIZE = parseIntArg("ctx-size", args["ctx-size"], 64);
const THREADS = parseIntArg("threads", args.threads, 1);
const MAX_QUEUE = parseIntArg("max-queue", args["max-queue"], 1);
const OMIT_USAGE = args["omit-usage"];
const API_KEY = args["api-key"];
const MODEL_IDS = args.name?.length ? args.name : [path.basename(args.model).replace(/\.gguf$/i, "")];
const CREATED = Math.floor(fs.statSync(args.model).mtimeMs / 1000);
const log = args.quiet ? () => {} : (line) => process.stderr.write(line + "\n");

// ---------------------------------------------------------------------------------------------
// The model

const llama = await getLlama({
  gpu: false,
  build: "never", // the prebuilt @node-llama-cpp/linux-x64 binary or nothing: never compile
  logLevel: LlamaLogLevel.warn,
  logger: (level, message) => process.stderr.write(`llama.cpp ${level}: ${message.trimEnd()}\n`),
});
const model = await llama.loadModel({modelPath: args.model});
const chatWrapper = resolveChatWrapper(model);
const context = await model.createContext({contextSize: CTX_SIZE, sequences: 1, threads: THREADS});
const sequence = context.getSequence();
const embeddingContext = await model.createEmbeddingContext({
  contextSize: CTX_SIZE,
  batchSize: CTX_SIZE,
  threads: THREADS,
});
const EMBEDDING_DIM = model.embeddingVectorSize;

// The tokens that end the assistant's turn: every end-of-generation token plus the chat template's
// stop triggers that are one token (`<|im_end|>` for ChatML).
const stopTokens = new Set();
for (const trigger of chatWrapper.generateContextState({chatHistory: [{type: "model", response: []}]})
  .stopGenerationTriggers) {
  const toks = trigger.tokenize(model.tokenizer);
  if (toks.length === 1) stopTokens.add(toks[0]);
}
for (const t of [model.tokens.eos, model.tokens.eot]) if (t != null) stopTokens.add(t);
const isStopToken = (t) => stopTokens.has(t) || model.isEogToken(t);

// ---------------------------------------------------------------------------------------------
// Errors

class ApiError extends Error {
  constructor(status, message, {type, param = null, code = null} = {}) {
    super(message);
    this.status = status;
    this.type = type ?? (status >= 500 ? "server_error" : "invalid_request_error");
    this.param = param;
    this.code = code;
  }
  body() {
    return {error: {message: this.message, type: this.type, param: this.param, code: this.code}};
  }
}
const invalid = (message, param = null, code = null) => new ApiError(400, message, {param, code});

// ---------------------------------------------------------------------------------------------
// A FIFO queue: one job at a time per context

class Queue {
  #tail = Promise.resolve();
  #waiting = 0;
  get length() {
    return this.#waiting;
  }
  run(job) {
    if (this.#waiting >= MAX_QUEUE) {
      return Promise.reject(new ApiError(503, `The server is overloaded: ${this.#waiting} requests are waiting.`,
        {type: "server_error", code: "overloaded"}));
    }
    this.#waiting++;
    const result = this.#tail.then(() => {
      this.#waiting--;
      return job();
    });
    this.#tail = result.catch(() => {});
    return result;
  }
}
const chatQueue = new Queue();
const embeddingQueue = new Queue();

// ---------------------------------------------------------------------------------------------
// Chat: request validation, prompt, generation

function messageText(msg, i) {
  const c = msg.content;
  if (typeof c === "string") return c;
  if (c == null && msg.role === "assistant") return "";
  if (Array.isArray(c)) {
    return c.map((part, j) => {
      if (part && part.type === "text" && typeof part.text === "string") return part.text;
      throw invalid(`Only text content parts are supported; messages[${i}].content[${j}] is ${JSON.stringify(part?.type)}.`,
        `messages[${i}].content[${j}]`);
    }).join("");
  }
  throw invalid(`messages[${i}].content must be a string or an array of text parts.`, `messages[${i}].content`);
}

function chatHistory(messages) {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid("'messages' must be a non-empty array.", "messages");
  }
  const history = [];
  messages.forEach((msg, i) => {
    if (!msg || typeof msg !== "object") throw invalid(`messages[${i}] must be an object.`, `messages[${i}]`);
    const text = messageText(msg, i);
    switch (msg.role) {
      case "system":
      case "developer":
        history.push({type: "system", text});
        break;
      case "user":
        history.push({type: "user", text});
        break;
      case "assistant":
        history.push({type: "model", response: [text]});
        break;
      default:
        throw invalid(`messages[${i}].role ${JSON.stringify(msg.role)} is not supported (system, developer, user, assistant).`,
          `messages[${i}].role`);
    }
  });
  history.push({type: "model", response: []});
  return history;
}

/** The prompt's tokens: the chat template's rendering of the history, as the model is fed it. */
function promptTokens(history) {
  const {contextText} = chatWrapper.generateContextState({chatHistory: history});
  const tokens = contextText.tokenize(model.tokenizer);
  // node-llama-cpp's ChatML wrapper starts with the BOS special token; SmolLM2's BOS is
  // `<|im_start|>` and its tokenizer says not to prepend it, so the rendering would start with it twice.
  if (!model.tokens.shouldPrependBosToken && tokens.length > 0 && tokens[0] === model.tokens.bos) tokens.shift();
  return tokens;
}

function optNumber(body, name, min, max) {
  const v = body[name];
  if (v == null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
    throw invalid(`'${name}' must be a number between ${min} and ${max}.`, name);
  }
  return v;
}

function optInt(body, name, min) {
  const v = body[name];
  if (v == null) return undefined;
  if (!Number.isInteger(v) || v < min) throw invalid(`'${name}' must be an integer >= ${min}.`, name);
  return v;
}

function checkModel(body) {
  if (typeof body.model !== "string" || body.model === "") throw invalid("'model' is required.", "model");
  if (!MODEL_IDS.includes(body.model)) {
    throw new ApiError(404, `The model '${body.model}' does not exist.`, {param: "model", code: "model_not_found"});
  }
}

function parseChatRequest(body) {
  checkModel(body);
  const history = chatHistory(body.messages);
  if (body.n != null && body.n !== 1) throw invalid("Only n = 1 is supported.", "n");
  if (Array.isArray(body.tools) && body.tools.length > 0) throw invalid("Tools are not supported.", "tools");
  if (body.logprobs === true) throw invalid("logprobs are not supported.", "logprobs");
  if (body.stream != null && typeof body.stream !== "boolean") throw invalid("'stream' must be a boolean.", "stream");
  const stream = body.stream === true;
  let includeUsage = false;
  if (body.stream_options != null) {
    if (!stream) throw invalid("'stream_options' is only allowed when 'stream' is true.", "stream_options");
    if (typeof body.stream_options !== "object") throw invalid("'stream_options' must be an object.", "stream_options");
    const iu = body.stream_options.include_usage;
    if (iu != null && typeof iu !== "boolean") {
      throw invalid("'stream_options.include_usage' must be a boolean.", "stream_options.include_usage");
    }
    includeUsage = iu === true;
  }
  const maxCompletion = optInt(body, "max_completion_tokens", 1);
  const maxTokens = maxCompletion ?? optInt(body, "max_tokens", 1);
  const temperature = optNumber(body, "temperature", 0, 2) ?? 1;
  const topP = optNumber(body, "top_p", 0, 1);
  const seed = body.seed == null ? undefined : optInt(body, "seed", 0);
  let stop = body.stop ?? [];
  if (typeof stop === "string") stop = [stop];
  if (!Array.isArray(stop) || stop.length > 4 || stop.some((s) => typeof s !== "string" || s === "")) {
    throw invalid("'stop' must be a non-empty string or an array of up to 4 of them.", "stop");
  }
  const prompt = promptTokens(history);
  if (prompt.length >= CTX_SIZE) {
    throw invalid(`This model's context is ${CTX_SIZE} tokens; the messages take ${prompt.length}.`,
      "messages", "context_length_exceeded");
  }
  // The context bounds the answer too: at most what is left of it after the prompt.
  const limit = Math.min(maxTokens ?? Infinity, CTX_SIZE - prompt.length);
  return {model: body.model, prompt, limit, temperature, topP, seed, stop, stream, includeUsage};
}

/**
 * Generates an answer, yielding text deltas; returns {completionTokens, finishReason}.
 * Stop strings are honoured by holding back as many characters as the longest could still need.
 */
async function* generate(req, signal) {
  await sequence.clearHistory();
  const out = [];
  let emitted = "";
  let finishReason = "length";
  const holdback = req.stop.reduce((m, s) => Math.max(m, s.length - 1), 0);
  const evaluation = sequence.evaluate(req.prompt, {
    temperature: req.temperature,
    ...(req.topP != null ? {topP: req.topP} : {}),
    ...(req.seed != null ? {seed: req.seed} : {}),
  });
  let ended = true; // the evaluation finished by itself: the model produced an end-of-generation token
  for await (const token of evaluation) {
    if (isStopToken(token)) {
      finishReason = "stop";
      ended = false;
      break;
    }
    out.push(token);
    let text = model.detokenize(out);
    let done = false;
    if (req.stop.length > 0) {
      const at = req.stop.map((s) => text.indexOf(s, Math.max(0, emitted.length - holdback)))
        .filter((i) => i >= 0);
      if (at.length > 0) {
        text = text.slice(0, Math.min(...at));
        finishReason = "stop";
        done = true;
      }
    }
    let ready = done ? text : text.slice(0, text.length - holdback);
    // a token can end inside a multi-byte character: wait for the rest of it
    if (!done && ready.endsWith("\uFFFD")) ready = ready.slice(0, -1);
    if (ready.length > emitted.length && ready.startsWith(emitted)) {
      yield ready.slice(emitted.length);
      emitted = ready;
    }
    if (done || out.length >= req.limit || signal.aborted) {
      ended = false;
      if (!done && out.length < req.limit) finishReason = "aborted";
      else if (!done) finishReason = "length";
      break;
    }
  }
  if (ended) finishReason = "stop";
  // flush what was held back (a partial character at the very end stays as llama.cpp decodes it)
  let text = model.detokenize(out);
  const at = req.stop.map((s) => text.indexOf(s)).filter((i) => i >= 0);
  if (at.length > 0) {
    text = text.slice(0, Math.min(...at));
    finishReason = "stop";
  }
  if (text.length > emitted.length && text.startsWith(emitted)) yield text.slice(emitted.length);
  return {completionTokens: out.length, finishReason};
}

// ---------------------------------------------------------------------------------------------
// HTTP

const newId = (prefix) => `${prefix}-${randomBytes(12).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);

function sendJson(res, status, body) {
  const data = JSON.stringify(body);
  res.writeHead(status, {"content-type": "application/json", "content-length": Buffer.byteLength(data)});
  res.end(data);
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, `The request body is over ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw invalid("The request body is not valid JSON.");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("The request body must be a JSON object.");
  return body;
}

/** An AbortSignal that fires when the client goes away before the answer is complete. */
function clientGone(req, res) {
  const ctl = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) ctl.abort();
  });
  return ctl.signal;
}

async function chatCompletions(req, res, body, stat) {
  const r = parseChatRequest(body);
  const signal = clientGone(req, res);
  const id = newId("chatcmpl");
  const created = now();
  stat.prompt = r.prompt.length;
  await chatQueue.run(async () => {
    if (signal.aborted) {
      stat.aborted = true;
      return;
    }
    const gen = generate(r, signal);
    if (!r.stream) {
      let text = "";
      let step;
      while (!(step = await gen.next()).done) text += step.value;
      const {completionTokens, finishReason} = step.value;
      stat.completion = completionTokens;
      if (signal.aborted) {
        stat.aborted = true;
        return;
      }
      sendJson(res, 200, {
        id,
        object: "chat.completion",
        created,
        model: r.model,
        system_fingerprint: null,
        choices: [{
          index: 0,
          message: {role: "assistant", content: text, refusal: null},
          logprobs: null,
          finish_reason: finishReason,
        }],
        ...(OMIT_USAGE ? {} : {
          usage: {
            prompt_tokens: r.prompt.length,
            completion_tokens: completionTokens,
            total_tokens: r.prompt.length + completionTokens,
          },
        }),
      });
      return;
    }
    const chunk = (choices, extra = {}) => {
      const c = {id, object: "chat.completion.chunk", created, model: r.model, system_fingerprint: null, choices};
      if (r.includeUsage && !OMIT_USAGE) c.usage = null;
      res.write(`data: ${JSON.stringify({...c, ...extra})}\n\n`);
    };
    // The status, the headers and the role chunk go out with the first generated text, not before:
    // the first byte a client (or the gateway) sees means the model is answering, and a failure
    // while the prompt is evaluated is still an HTTP error status.
    const begin = () => {
      if (res.headersSent) return;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
      });
      chunk([{index: 0, delta: {role: "assistant", content: "", refusal: null}, logprobs: null, finish_reason: null}]);
    };
    let step;
    try {
      while (!(step = await gen.next()).done) {
        if (signal.aborted) continue;
        begin();
        chunk([{index: 0, delta: {content: step.value}, logprobs: null, finish_reason: null}]);
      }
    } catch (e) {
      if (!res.headersSent) throw e;
      // the status is sent: report the failure the way OpenAI's streams do, as an error event
      const err = e instanceof ApiError ? e : new ApiError(500, `Generation failed: ${e.message}`);
      res.end(`data: ${JSON.stringify(err.body())}\n\n`);
      throw e;
    }
    const {completionTokens, finishReason} = step.value;
    stat.completion = completionTokens;
    if (signal.aborted) {
      stat.aborted = true;
      res.end();
      return;
    }
    begin();
    chunk([{index: 0, delta: {}, logprobs: null, finish_reason: finishReason}]);
    if (r.includeUsage && !OMIT_USAGE) {
      chunk([], {
        usage: {
          prompt_tokens: r.prompt.length,
          completion_tokens: completionTokens,
          total_tokens: r.prompt.length + completionTokens,
        },
      });
    }
    res.end("data: [DONE]\n\n");
  });
}

function embeddingInputs(input) {
  const bad = () => invalid("'input' must be a non-empty string, an array of them, an array of token ids, " +
    "or an array of such arrays.", "input");
  const isTokens = (a) => Array.isArray(a) && a.length > 0 && a.every((t) => Number.isInteger(t) && t >= 0);
  const one = (x) => {
    if (typeof x === "string") {
      if (x === "") throw bad();
      return model.tokenize(x);
    }
    if (isTokens(x)) {
      if (x.some((t) => t >= model.tokenizer.vocabularySize)) throw invalid("A token id in 'input' is out of range.", "input");
      return x;
    }
    throw bad();
  };
  if (typeof input === "string") return [one(input)];
  if (isTokens(input)) return [one(input)];
  if (Array.isArray(input) && input.length > 0 && input.length <= 2048) return input.map(one);
  throw bad();
}

async function embeddings(req, res, body, stat) {
  checkModel(body);
  const inputs = embeddingInputs(body.input);
  const format = body.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") {
    throw invalid("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
  }
  if (body.dimensions != null && body.dimensions !== EMBEDDING_DIM) {
    throw invalid(`This model's embeddings have ${EMBEDDING_DIM} dimensions.`, "dimensions");
  }
  inputs.forEach((tokens, i) => {
    if (tokens.length > CTX_SIZE) {
      throw invalid(`input[${i}] is ${tokens.length} tokens; this model takes at most ${CTX_SIZE}.`,
        "input", "context_length_exceeded");
    }
  });
  const promptTokensUsed = inputs.reduce((n, t) => n + t.length, 0);
  stat.prompt = promptTokensUsed;
  const signal = clientGone(req, res);
  await embeddingQueue.run(async () => {
    const data = [];
    for (const [index, tokens] of inputs.entries()) {
      if (signal.aborted) {
        stat.aborted = true;
        return;
      }
      const {vector} = await embeddingContext.getEmbeddingFor(tokens);
      const embedding = format === "base64"
        ? Buffer.from(new Float32Array(vector).buffer).toString("base64")
        : Array.from(vector);
      data.push({object: "embedding", index, embedding});
    }
    sendJson(res, 200, {
      object: "list",
      data,
      model: body.model,
      ...(OMIT_USAGE ? {} : {usage: {prompt_tokens: promptTokensUsed, total_tokens: promptTokensUsed}}),
    });
  });
}

const modelObject = (id) => ({id, object: "model", created: CREATED, owned_by: "compute-credits"});

async function route(req, res, stat) {
  const url = new URL(req.url, "http://localhost");
  const p = url.pathname.replace(/\/+$/, "") || "/";
  if (p === "/health" && req.method === "GET") {
    return sendJson(res, 200, {status: "ok", queued: chatQueue.length, embeddings_queued: embeddingQueue.length});
  }
  if (API_KEY != null) {
    const auth = req.headers.authorization ?? "";
    if (auth !== `Bearer ${API_KEY}`) {
      throw new ApiError(401, auth ? "Incorrect API key provided." : "You didn't provide an API key.",
        {code: "invalid_api_key"});
    }
  }
  const allow = (method) => {
    if (req.method !== method) {
      res.setHeader("allow", method);
      throw new ApiError(405, `${req.method} is not allowed on ${p}; use ${method}.`, {code: "method_not_allowed"});
    }
  };
  if (p === "/v1/models") {
    allow("GET");
    return sendJson(res, 200, {object: "list", data: MODEL_IDS.map(modelObject)});
  }
  if (p.startsWith("/v1/models/")) {
    allow("GET");
    const id = decodeURIComponent(p.slice("/v1/models/".length));
    if (!MODEL_IDS.includes(id)) {
      throw new ApiError(404, `The model '${id}' does not exist.`, {param: "model", code: "model_not_found"});
    }
    return sendJson(res, 200, modelObject(id));
  }
  if (p === "/v1/chat/completions") {
    allow("POST");
    return chatCompletions(req, res, await readJson(req), stat);
  }
  if (p === "/v1/embeddings") {
    allow("POST");
    return embeddings(req, res, await readJson(req), stat);
  }
  throw new ApiError(404, `Unknown request URL: ${req.method} ${p}.`, {code: "unknown_url"});
}

const server = http.createServer((req, res) => {
  const start = performance.now();
  const stat = {};
  route(req, res, stat)
    .catch((e) => {
      const err = e instanceof ApiError ? e : new ApiError(500, `Internal error: ${e.message}`);
      if (!(e instanceof ApiError)) process.stderr.write(`${e.stack ?? e}\n`);
      if (!res.headersSent) sendJson(res, err.status, err.body());
      else if (!res.writableEnded) res.end();
    })
    .finally(() => {
      const tokens = stat.prompt != null ? ` prompt=${stat.prompt} completion=${stat.completion ?? 0}` : "";
      log(`${req.method} ${req.url} ${res.statusCode}${stat.aborted ? " (client gone)" : ""}${tokens} ` +
        `${(performance.now() - start).toFixed(0)} ms`);
    });
});
server.keepAliveTimeout = 30_000;

let closing = false;
async function shutdown(signal) {
  if (closing) return;
  closing = true;
  log(`${signal}: shutting down`);
  server.close();
  server.closeAllConnections();
  await llama.dispose().catch(() => {});
  process.exit(0);
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));

server.on("error", (e) => {
  process.stderr.write(`server.mjs: ${e.message}\n`);
  process.exit(1);
});
server.listen(PORT, args.host, () => {
  const {port} = server.address();
  const host = args.host.includes(":") ? `[${args.host}]` : args.host;
  log(`model ${path.basename(args.model)}: ids ${MODEL_IDS.join(", ")}, context ${CTX_SIZE} tokens, ` +
    `${THREADS} thread(s), llama.cpp ${llama.buildType} binary (${llama.llamaCppRelease.release}), embeddings ${EMBEDDING_DIM} dimensions, chat template ${chatWrapper.wrapperName}`);
  process.stdout.write(`listening on http://${host}:${port}\n`);
});
