// Shared by the model server's tests: the model file, a server child process, the model's own
// tokenizer (loaded vocabulary-only, independently of the server), an SSE reader.
import {spawn, execFileSync} from "node:child_process";
import {once} from "node:events";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

const here = path.dirname(fileURLToPath(import.meta.url));
export const serverScript = path.join(here, "..", "server.mjs");

/** The GGUF: $GATEWAY_MODEL, or what crates/gateway/scripts/fetch-model fetches (cached). */
export function modelPath() {
  if (process.env.GATEWAY_MODEL) return process.env.GATEWAY_MODEL;
  const script = path.join(here, "..", "..", "scripts", "fetch-model");
  return execFileSync(script, {encoding: "utf8", stdio: ["ignore", "pipe", "inherit"]}).trim();
}

/** Starts server.mjs on a free port; resolves to {url, child, stderr(), stdoutLines, stop()}. */
export async function startServer(extraArgs = [], {model = modelPath()} = {}) {
  const child = spawn(process.execPath, [serverScript, "--model", model, "--port", "0", ...extraArgs],
    {stdio: ["ignore", "pipe", "pipe"]});
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const stdoutLines = [];
  let buf = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in 120 s:\n${stderr}`)), 120_000);
    child.stdout.on("data", (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        stdoutLines.push(line);
        const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url,
    child,
    stdoutLines,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode != null || child.signalCode != null) return child.exitCode;
      child.kill("SIGTERM");
      const [code] = await once(child, "exit");
      return code;
    },
  };
}

let tokenizerModel;
/** The model's tokenizer, loaded here (vocabulary only), not asked of the server. */
export async function tokenizer(model = modelPath()) {
  if (!tokenizerModel) {
    const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error});
    tokenizerModel = await llama.loadModel({modelPath: model, vocabOnly: true});
  }
  return tokenizerModel;
}

/** SmolLM2's chat template (ChatML), written out here: what the model is fed for `messages`. */
export function chatml(messages) {
  const role = (r) => (r === "developer" ? "system" : r);
  return messages.map((m) => `<|im_start|>${role(m.role)}\n${m.content}<|im_end|>\n`).join("") +
    "<|im_start|>assistant\n";
}

/** How many tokens the model's tokenizer makes of `messages` formatted with the chat template. */
export async function promptTokenCount(messages) {
  const model = await tokenizer();
  return model.tokenize(chatml(messages), true).length;
}

export async function post(url, body, headers = {}) {
  return fetch(url, {
    method: "POST",
    headers: {"content-type": "application/json", ...headers},
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Reads an SSE body: {events: [parsed JSON or the string "[DONE]"], raw}. */
export async function readSse(res) {
  const raw = await res.text();
  const events = [];
  for (const block of raw.split("\n\n")) {
    if (block === "") continue;
    if (!block.startsWith("data: ")) throw new Error(`not an SSE data event: ${JSON.stringify(block)}`);
    const data = block.slice("data: ".length);
    events.push(data === "[DONE]" ? "[DONE]" : JSON.parse(data));
  }
  return {events, raw};
}
