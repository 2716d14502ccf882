"""The gateway's Python tools checked against real servers: llm-katan 0.22.0's echo backend (what
KATAN.md says it does) and our model server (crates/gateway/model-server), each driven by
client_scenario.py with the official openai client.

    py="$(crates/gateway/scripts/gateway-python)"
    "$py" -m unittest discover -s crates/gateway/python -p 'test_*.py' -v

Needs the model server's packages (`npm ci --omit=optional` in crates/gateway/model-server) and
the model (crates/gateway/scripts/fetch-model, run here when missing).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import unittest
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
GATEWAY = HERE.parent
SCENARIO = HERE / "client_scenario.py"


class Server:
    """A child process that prints its URL somewhere in its output; stopped with SIGTERM."""

    def __init__(self, argv: list[str], pattern: str, timeout: float = 120.0):
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        found = threading.Event()
        self.url = None

        def pump():
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                m = re.search(pattern, line)
                if m and self.url is None:
                    self.url = m.group(1)
                    found.set()
            found.set()

        threading.Thread(target=pump, daemon=True).start()
        if not found.wait(timeout) or self.url is None:
            self.stop()
            raise RuntimeError("server did not start:\n" + "\n".join(self.lines))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout and not self.proc.stdout.closed:
            self.proc.stdout.close()


def katan(*extra: str) -> Server:
    return Server(
        [sys.executable, "-m", "llm_katan.cli", "--model", "echo-model", "--backend", "echo",
         "--host", "127.0.0.1", "--port", "0", "--providers", "openai", "--stats-file", "",
         "--disable-dashboard", *extra],
        r"Uvicorn running on (http://127\.0\.0\.1:\d+)",
        timeout=60,
    )


def scenario(base_url: str, *args: str) -> tuple[int, dict]:
    p = subprocess.run([sys.executable, str(SCENARIO), "--base-url", base_url, *args],
                       capture_output=True, text=True, timeout=300)
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 1, f"one JSON line expected, got {p.stdout!r}\nstderr: {p.stderr}"
    return p.returncode, json.loads(lines[0])


class KatanEcho(unittest.TestCase):
    def test_usage_rides_on_the_finish_chunk_and_embeddings_are_missing(self):
        s = katan()
        self.addCleanup(s.stop)
        rc, out = scenario(s.url + "/v1", "--api-key", "anything", "--chat-model", "echo-model")
        self.assertEqual(rc, 1, "embeddings fail, so the run is not ok")
        chat, stream, emb = out["calls"]["chat"], out["calls"]["stream"], out["calls"]["embeddings"]
        self.assertTrue(chat["ok"], chat)
        self.assertEqual(set(chat["usage"]), {"prompt_tokens", "completion_tokens", "total_tokens"})
        self.assertTrue(stream["ok"], stream)
        self.assertEqual(stream["usage_chunks"], 1)
        self.assertEqual(stream["usage_position"], "with_choices", "not OpenAI's own chunk with choices: []")
        self.assertEqual(stream["finish_reason"], "stop")
        self.assertEqual(stream["usage"]["total_tokens"],
                         stream["usage"]["prompt_tokens"] + stream["usage"]["completion_tokens"])
        self.assertFalse(emb["ok"])
        self.assertEqual(emb["error"]["status"], 404)
        self.assertIsNone(emb["error"]["type"], "FastAPI's 404, not an OpenAI error body")
        self.assertEqual(emb["error"]["body"], {"detail": "Not Found"})

    def test_usage_comes_even_without_include_usage(self):
        s = katan()
        self.addCleanup(s.stop)
        req = urllib.request.Request(
            s.url + "/v1/chat/completions",
            data=json.dumps({"model": "echo-model", "stream": True,
                             "messages": [{"role": "user", "content": "one two three"}]}).encode(),
            headers={"content-type": "application/json", "authorization": "Bearer x"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            events = [e[len("data: "):] for e in r.read().decode().split("\n\n") if e]
        self.assertEqual(events[-1], "[DONE]")
        chunks = [json.loads(e) for e in events[:-1]]
        with_usage = [c for c in chunks if "usage" in c]
        self.assertEqual(len(with_usage), 1)
        self.assertIs(with_usage[0], chunks[-1])
        self.assertEqual(with_usage[0]["choices"][0]["finish_reason"], "stop")
        self.assertEqual(with_usage[0]["usage"]["prompt_tokens"], 3, "whitespace words, not tokens")

    def test_429_after_n_generations(self):
        s = katan("--rate-limit-after", "2")
        self.addCleanup(s.stop)
        rc, out = scenario(s.url + "/v1", "--api-key", "k", "--chat-model", "echo-model", "--calls", "chat,stream")
        self.assertEqual(rc, 0, out)
        rc, out = scenario(s.url + "/v1", "--api-key", "k", "--chat-model", "echo-model",
                           "--calls", "chat,stream", "--expect-error", "429")
        self.assertEqual(rc, 0, out)
        self.assertTrue(out["ok"])
        for call in ("chat", "stream"):
            err = out["calls"][call]["error"]
            self.assertEqual(err["status"], 429)
            self.assertEqual(err["class"], "RateLimitError")
            self.assertEqual(err["type"], "server_error")
            self.assertIn("rate limit exceeded", err["message"])
        # --expect-error fails when the status differs
        rc, out = scenario(s.url + "/v1", "--api-key", "k", "--chat-model", "echo-model",
                           "--calls", "chat", "--expect-error", "402")
        self.assertEqual(rc, 1)
        self.assertFalse(out["ok"])

    def test_auth_header_presence_or_a_validated_key(self):
        s = katan("--validate-keys", "--api-keys", "openai=sk-upstream")
        self.addCleanup(s.stop)
        rc, out = scenario(s.url + "/v1", "--api-key", "wrong", "--chat-model", "echo-model",
                           "--calls", "chat", "--expect-error", "401")
        self.assertEqual(rc, 0, out)
        self.assertEqual(out["calls"]["chat"]["error"]["code"], "invalid_api_key")
        rc, out = scenario(s.url + "/v1", "--api-key", "sk-upstream", "--chat-model", "echo-model", "--calls", "chat")
        self.assertEqual(rc, 0, out)


class ModelServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        node = shutil.which("node")
        if node is None or not (GATEWAY / "model-server" / "node_modules" / "node-llama-cpp").is_dir():
            raise RuntimeError("needs node and `npm ci --omit=optional` in crates/gateway/model-server")
        model = os.environ.get("GATEWAY_MODEL") or subprocess.run(
            [str(GATEWAY / "scripts" / "fetch-model")], capture_output=True, text=True, check=True
        ).stdout.strip()
        cls.server = Server(
            [node, str(GATEWAY / "model-server" / "server.mjs"), "--model", model, "--port", "0",
             "--name", "smollm2", "--api-key", "sk-model", "--quiet"],
            r"^listening on (http://127\.0\.0\.1:\d+)$",
        )

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_the_official_client_sees_usage_everywhere(self):
        rc, out = scenario(self.server.url + "/v1", "--api-key", "sk-model", "--chat-model", "smollm2",
                           "--max-tokens", "8")
        self.assertEqual(rc, 0, out)
        chat, stream, emb = out["calls"]["chat"], out["calls"]["stream"], out["calls"]["embeddings"]
        self.assertLessEqual(chat["usage"]["completion_tokens"], 8)
        self.assertEqual(stream["usage"], chat["usage"], "temperature 0: the same prompt, the same count")
        self.assertEqual(stream["usage_position"], "own_chunk")
        self.assertEqual(stream["usage_chunks"], 1)
        self.assertEqual(stream["text_len"], chat["text_len"])
        self.assertEqual(emb["vectors"], 2)
        self.assertEqual(emb["dimensions"], 576)
        self.assertGreater(emb["usage"]["prompt_tokens"], 0)

    def test_errors_reach_the_client_typed(self):
        rc, out = scenario(self.server.url + "/v1", "--api-key", "nope", "--chat-model", "smollm2",
                           "--expect-error", "401")
        self.assertEqual(rc, 0, out)
        rc, out = scenario(self.server.url + "/v1", "--api-key", "sk-model", "--chat-model", "gpt-x",
                           "--expect-error", "404")
        self.assertEqual(rc, 0, out)
        for call in out["calls"].values():
            self.assertEqual(call["error"]["code"], "model_not_found")
            self.assertEqual(call["error"]["class"], "NotFoundError")


if __name__ == "__main__":
    unittest.main()
