//! Reading usage out of what upstreams answer, bounding a request's prompt before it is sent,
//! and counting tokens ourselves where an upstream reports none.
use std::sync::OnceLock;

use credit_math::metering::TokenUsage;
use serde_json::Value;

/// Finds a usage object anywhere in an upstream's JSON (top level, inside a choice, under a
/// vendor key): the first object with an integer `prompt_tokens`. Upstreams differ in where
/// they put it, and some put it in several chunks: callers keep the last one seen.
pub fn find_usage(v: &Value) -> Option<TokenUsage> {
    match v {
        Value::Object(map) => {
            if let Some(u) = map.get("usage").and_then(usage_object) {
                return Some(u);
            }
            map.iter().filter(|(k, _)| k.as_str() != "usage").find_map(|(_, v)| find_usage(v))
        }
        Value::Array(items) => items.iter().find_map(find_usage),
        _ => None,
    }
}

fn usage_object(v: &Value) -> Option<TokenUsage> {
    let prompt = v.get("prompt_tokens")?.as_u64()?;
    let completion = v.get("completion_tokens").and_then(Value::as_u64).unwrap_or(0);
    Some(TokenUsage { prompt_tokens: prompt, completion_tokens: completion })
}

/// The text a chat answer (or one streamed chunk) carries.
pub fn answer_text(v: &Value, out: &mut String) {
    if let Some(choices) = v.get("choices").and_then(Value::as_array) {
        for c in choices {
            for part in [c.get("delta"), c.get("message")].into_iter().flatten() {
                if let Some(t) = part.get("content").and_then(Value::as_str) {
                    out.push_str(t);
                }
            }
            if let Some(t) = c.get("text").and_then(Value::as_str) {
                out.push_str(t);
            }
        }
    }
}

/// An upper bound of a prompt's tokens: the length in bytes of the JSON it comes from (a chat
/// request's whole body, an embeddings input) plus a margin for the chat template. Byte-level
/// tokenizers never make more tokens than bytes, and the JSON holds every byte of text plus
/// quotes and keys that more than cover the role markers.
pub fn prompt_bound(prompt: &Value) -> u64 {
    serde_json::to_vec(prompt).map_or(u64::MAX, |b| b.len() as u64 + 16)
}

fn tokenizer() -> &'static tiktoken_rs::CoreBPE {
    static BPE: OnceLock<tiktoken_rs::CoreBPE> = OnceLock::new();
    BPE.get_or_init(|| tiktoken_rs::cl100k_base().expect("the embedded cl100k tokenizer"))
}

/// Tokens in `text` by the gateway's own tokenizer (cl100k), for upstreams that report none.
pub fn count_tokens(text: &str) -> u64 {
    tokenizer().encode_with_special_tokens(text).len() as u64
}

/// The text of a chat request's messages (or an embeddings input), for estimating.
pub fn prompt_text(prompt: &Value) -> String {
    let mut out = String::new();
    collect_text(prompt, &mut out);
    out
}

fn collect_text(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|i| collect_text(i, out)),
        Value::Object(map) => {
            for (k, v) in map {
                if matches!(k.as_str(), "content" | "text" | "role" | "name") {
                    collect_text(v, out);
                }
            }
        }
        _ => {}
    }
}

/// An estimate of a chat request's usage: the prompt's text and the answer's, counted, plus
/// four tokens per message for the template.
pub fn estimate(prompt: &Value, answer: &str) -> TokenUsage {
    let messages = prompt.as_array().map_or(1, |m| m.len() as u64);
    TokenUsage {
        prompt_tokens: count_tokens(&prompt_text(prompt)) + 4 * messages,
        completion_tokens: count_tokens(answer),
    }
}

/// Splits a byte stream of server-sent events into events, keeping each event's raw bytes (so
/// it can be forwarded unchanged) and its `data:` payload.
#[derive(Default)]
pub struct SseSplitter {
    buf: Vec<u8>,
}

pub struct SseEvent {
    pub raw: Vec<u8>,
    pub data: String,
}

impl SseSplitter {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        self.buf.extend_from_slice(bytes);
        let mut events = vec![];
        while let Some((end, sep)) = find_boundary(&self.buf) {
            let raw: Vec<u8> = self.buf.drain(..end + sep).collect();
            let text = String::from_utf8_lossy(&raw[..end]);
            let data: Vec<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("data:").map(|d| d.strip_prefix(' ').unwrap_or(d)))
                .collect();
            events.push(SseEvent { data: data.join("\n"), raw });
        }
        events
    }

    /// Whatever is left when the stream ends (an event without its blank line).
    pub fn finish(&mut self) -> Option<SseEvent> {
        if self.buf.iter().all(|b| b.is_ascii_whitespace()) {
            return None;
        }
        let mut raw = std::mem::take(&mut self.buf);
        raw.extend_from_slice(b"\n\n");
        self.push(&raw).pop()
    }
}

/// The end of the first event: (index of the blank line's start, its length).
fn find_boundary(buf: &[u8]) -> Option<(usize, usize)> {
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2));
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| (i, 4));
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn usage_is_found_wherever_it_arrives() {
        let top =
            json!({"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13}});
        assert_eq!(find_usage(&top), Some(TokenUsage { prompt_tokens: 9, completion_tokens: 4 }));
        let in_choice =
            json!({"choices": [{"delta": {}, "usage": {"prompt_tokens": 3, "completion_tokens": 2}}]});
        assert_eq!(find_usage(&in_choice), Some(TokenUsage { prompt_tokens: 3, completion_tokens: 2 }));
        let embeddings = json!({"data": [], "usage": {"prompt_tokens": 5, "total_tokens": 5}});
        assert_eq!(find_usage(&embeddings), Some(TokenUsage { prompt_tokens: 5, completion_tokens: 0 }));
        assert_eq!(find_usage(&json!({"choices": [{"delta": {"content": "hi"}}], "usage": null})), None);
    }

    #[test]
    fn sse_events_split_across_reads() {
        let mut s = SseSplitter::default();
        assert!(s.push(b"data: {\"a\":").is_empty());
        let ev = s.push(b"1}\n\ndata: [DONE]\r\n\r\n");
        assert_eq!(ev.len(), 2);
        assert_eq!(ev[0].data, "{\"a\":1}");
        assert_eq!(ev[0].raw, b"data: {\"a\":1}\n\n");
        assert_eq!(ev[1].data, "[DONE]");
        assert!(s.finish().is_none());
        assert!(s.push(b": comment\ndata: x").is_empty());
        assert_eq!(s.finish().unwrap().data, "x");
    }

    #[test]
    fn the_prompt_bound_covers_the_tokens() {
        let messages = json!([{"role": "user", "content": "héllo wörld, ünïcode and 🚀 rockets"}]);
        assert!(prompt_bound(&messages) >= count_tokens(&prompt_text(&messages)) + 4);
    }

    #[test]
    fn answers_and_estimates() {
        let mut text = String::new();
        answer_text(&json!({"choices": [{"delta": {"content": "Hello"}}]}), &mut text);
        answer_text(&json!({"choices": [{"message": {"content": " world"}}]}), &mut text);
        assert_eq!(text, "Hello world");
        let u = estimate(&json!([{"role": "user", "content": "Hello world"}]), &text);
        assert_eq!(u.completion_tokens, 2);
        assert!(u.prompt_tokens >= 6);
    }
}
