#!/usr/bin/env python3
"""The official OpenAI Python client (PyPI `openai`, pinned in requirements.txt) against an
OpenAI-compatible base URL: the gateway, or an upstream directly.

    client_scenario.py --base-url http://127.0.0.1:PORT/v1 --api-key KEY \
        --chat-model M [--embedding-model E] [--calls chat,stream,embeddings] [--max-tokens 16]

runs, in order: one plain chat completion, one streaming chat completion with
stream_options={"include_usage": True}, one embeddings call; and prints ONE JSON line:

    {"ok": true, "base_url": ..., "calls": {
      "chat":       {"ok", "usage": {"prompt_tokens", "completion_tokens", "total_tokens"},
                     "text_len", "finish_reason", "model", "error"},
      "stream":     {... the same, plus "chunks", "usage_chunks" (how many chunks carried usage),
                     "usage_position": "own_chunk" (choices: [], as OpenAI does) or
                     "with_choices" (on a chunk that also has choices)},
      "embeddings": {"ok", "usage": {"prompt_tokens", "total_tokens"}, "vectors", "dimensions",
                     "model", "error"}}}

`usage` is what the client saw (null when the answer had none). `error` is null, or
{"status": HTTP status or null, "type", "code", "param", "message", "class"} from the exception
the client raised. Exit status 0 when every call succeeded.

    client_scenario.py ... --expect-error 402 [--calls chat]

expects every call to raise an error with that HTTP status; prints the same line with
"expect_error": 402 and "ok" true when each did; exit status 0 then, 1 otherwise.

The client retries nothing (--max-retries 0 by default): a retried request would be a second
metered request, and a fault upstream would be hidden.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

import openai

CALLS = ("chat", "stream", "embeddings")


def error_info(e: BaseException) -> dict:
    status = getattr(e, "status_code", None)
    body = getattr(e, "body", None)
    info = {
        "status": status,
        "type": getattr(e, "type", None),
        "code": getattr(e, "code", None),
        "param": getattr(e, "param", None),
        "message": getattr(e, "message", None) or str(e),
        "class": type(e).__name__,
    }
    if status is not None and info["type"] is None:
        # not an OpenAI-shaped error body (FastAPI's {"detail": ...}, plain text): keep what the server said
        info["body"] = body if isinstance(body, (str, int, float, list, dict)) or body is None else str(body)
    return info


def usage_dict(usage) -> dict | None:
    if usage is None:
        return None
    out = {}
    for k in ("prompt_tokens", "completion_tokens", "total_tokens"):
        v = getattr(usage, k, None)
        if v is not None:
            out[k] = v
    return out


def messages(prompt: str) -> list[dict]:
    return [
        {"role": "system", "content": "You are a helpful assistant. Answer briefly."},
        {"role": "user", "content": prompt},
    ]


def call_chat(client: openai.OpenAI, a) -> dict:
    r = client.chat.completions.create(
        model=a.chat_model, messages=messages(a.prompt), max_tokens=a.max_tokens, temperature=a.temperature
    )
    choice = r.choices[0] if r.choices else None
    text = (choice.message.content or "") if choice else ""
    return {
        "usage": usage_dict(r.usage),
        "text_len": len(text),
        "finish_reason": choice.finish_reason if choice else None,
        "model": r.model,
    }


def call_stream(client: openai.OpenAI, a) -> dict:
    text = ""
    chunks = 0
    usage = None
    usage_chunks = 0
    position = None
    finish = None
    model = None
    first_byte_ms = None
    start = time.monotonic()
    stream = client.chat.completions.create(
        model=a.chat_model,
        messages=messages(a.prompt),
        max_tokens=a.max_tokens,
        temperature=a.temperature,
        stream=True,
        stream_options={"include_usage": True},
    )
    with stream:
        for chunk in stream:
            if first_byte_ms is None:
                first_byte_ms = round((time.monotonic() - start) * 1000, 1)
            chunks += 1
            model = model or chunk.model
            for c in chunk.choices:
                if c.delta and c.delta.content:
                    text += c.delta.content
                if c.finish_reason:
                    finish = c.finish_reason
            # read usage wherever it arrives: OpenAI sends it on a last chunk with choices: [],
            # some servers (llm-katan) on the chunk that carries finish_reason
            if chunk.usage is not None:
                usage = chunk.usage
                usage_chunks += 1
                position = "own_chunk" if not chunk.choices else "with_choices"
    return {
        "usage": usage_dict(usage),
        "text_len": len(text),
        "finish_reason": finish,
        "model": model,
        "chunks": chunks,
        "usage_chunks": usage_chunks,
        "usage_position": position,
        "first_chunk_ms": first_byte_ms,
    }


def call_embeddings(client: openai.OpenAI, a) -> dict:
    r = client.embeddings.create(model=a.embedding_model, input=a.embedding_input)
    dims = sorted({len(d.embedding) for d in r.data})
    return {
        "usage": usage_dict(r.usage),
        "vectors": len(r.data),
        "dimensions": dims[0] if len(dims) == 1 else dims,
        "model": r.model,
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", required=True, help="the OpenAI base URL, e.g. http://127.0.0.1:8080/v1")
    p.add_argument("--api-key", required=True)
    p.add_argument("--chat-model", required=True)
    p.add_argument("--embedding-model", help="defaults to --chat-model")
    p.add_argument("--calls", default=",".join(CALLS), help="comma-separated subset of chat,stream,embeddings, in that order")
    p.add_argument("--prompt", default="Name three colours.")
    p.add_argument("--max-tokens", type=int, default=16)
    p.add_argument("--temperature", type=float, default=0.0)
    p.add_argument("--embedding-input", action="append", help="repeat for several inputs (default: two sentences)")
    p.add_argument("--expect-error", type=int, metavar="STATUS", help="every call must fail with this HTTP status")
    p.add_argument("--max-retries", type=int, default=0)
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    a = p.parse_args()
    a.embedding_model = a.embedding_model or a.chat_model
    a.embedding_input = a.embedding_input or ["The first sentence to embed.", "And a second one, a little longer."]
    calls = [c.strip() for c in a.calls.split(",") if c.strip()]
    unknown = [c for c in calls if c not in CALLS]
    if unknown or not calls:
        p.error(f"--calls takes a subset of {','.join(CALLS)}; got {a.calls!r}")

    client = openai.OpenAI(base_url=a.base_url, api_key=a.api_key, max_retries=a.max_retries, timeout=a.timeout)
    run = {"chat": call_chat, "stream": call_stream, "embeddings": call_embeddings}
    results = {}
    for name in calls:
        start = time.monotonic()
        try:
            res = run[name](client, a)
            res = {"ok": True, **res, "error": None}
        except openai.OpenAIError as e:
            res = {"ok": False, "usage": None, "error": error_info(e)}
        res["ms"] = round((time.monotonic() - start) * 1000, 1)
        results[name] = res

    out = {"base_url": a.base_url, "openai_version": openai.__version__}
    if a.expect_error is not None:
        matched = all(r["error"] is not None and r["error"]["status"] == a.expect_error for r in results.values())
        out = {"ok": matched, "expect_error": a.expect_error, **out, "calls": results}
    else:
        out = {"ok": all(r["ok"] for r in results.values()), **out, "calls": results}
    print(json.dumps(out, separators=(",", ":")), flush=True)
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
