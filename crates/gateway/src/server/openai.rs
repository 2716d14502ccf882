//! `/v1/models`, `/v1/chat/completions` (whole and streamed) and `/v1/embeddings`: each
//! request is authenticated, held against its channel, forwarded, and charged its usage.
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use credit_math::metering::TokenUsage;
use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::errors::ApiError;
use super::forward::{self, Answer};
use super::{Gateway, InFlight};
use crate::config::{ModelConfig, ModelKind};
use crate::metering::{self, Hold, Worst};

/// The most answers one chat request may ask for (`n`).
const MAX_CHOICES: u64 = 8;
use crate::usage::{self, SseSplitter};

fn respond(r: Result<Response, ApiError>) -> Response {
    r.unwrap_or_else(IntoResponse::into_response)
}

pub async fn models(State(gw): State<Arc<Gateway>>, headers: HeaderMap) -> Response {
    respond(
        async {
            gw.authenticate(&headers).await?;
            let data: Vec<Value> = gw
                .config
                .raw
                .models
                .iter()
                .map(|m| json!({"id": m.id, "object": "model", "created": 0, "owned_by": "compute-credits"}))
                .collect();
            Ok(Json(json!({"object": "list", "data": data})).into_response())
        }
        .await,
    )
}

fn parse(body: &Bytes) -> Result<Value, ApiError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
    if !v.is_object() {
        return Err(ApiError::bad_request("the body must be a JSON object"));
    }
    Ok(v)
}

fn model<'a>(gw: &'a Gateway, req: &Value, kind: ModelKind) -> Result<&'a ModelConfig, ApiError> {
    let id = req
        .get("model")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request("`model` is required"))?;
    gw.config.model(id).filter(|m| m.kind == kind).ok_or_else(|| {
        ApiError::not_found("model_not_found", format!("the model `{id}` does not exist here"))
    })
}

fn with_receipt(mut r: Response, hold: &Hold) -> Response {
    if let Ok(v) = HeaderValue::from_str(&hold.receipt_id) {
        r.headers_mut().insert("x-request-id", v);
    }
    r
}

fn json_bytes(status: StatusCode, body: Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

pub async fn chat_completions(State(gw): State<Arc<Gateway>>, headers: HeaderMap, body: Bytes) -> Response {
    respond(chat(gw, headers, body).await)
}

async fn chat(gw: Arc<Gateway>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let key = gw.authenticate(&headers).await?;
    let mut req = parse(&body)?;
    let model = model(&gw, &req, ModelKind::Chat)?;
    let messages = match req.get("messages") {
        Some(Value::Array(m)) if !m.is_empty() => Value::Array(m.clone()),
        _ => return Err(ApiError::bad_request("`messages` must be a non-empty array")),
    };
    let stream = req.get("stream").and_then(Value::as_bool).unwrap_or(false);
    let wants_usage = req.pointer("/stream_options/include_usage").and_then(Value::as_bool).unwrap_or(false);
    let asked =
        ["max_completion_tokens", "max_tokens"].iter().find_map(|k| req.get(*k).filter(|v| !v.is_null()));
    let wanted = match asked {
        None => model.default_max_tokens,
        Some(v) => match v.as_u64() {
            Some(n) if n > 0 => n,
            _ => return Err(ApiError::bad_request("`max_tokens` must be a positive integer")),
        },
    };
    let choices = match req.get("n").filter(|v| !v.is_null()) {
        None => 1,
        Some(v) => match v.as_u64() {
            Some(n @ 1..=MAX_CHOICES) => n,
            _ => {
                return Err(ApiError::bad_request(format!("`n` must be an integer from 1 to {MAX_CHOICES}")))
            }
        },
    };
    let slot = gw.admit(&key).await?;
    // Everything in the body may reach the prompt (messages, tools, schemas): bound it whole.
    let worst = Worst { prompt_bound: usage::prompt_bound(&req), wanted, choices };
    let hold = metering::reserve(&gw, &key, model, worst).await?;
    // The upstream may not write more than the hold pays for.
    req["max_tokens"] = json!(hold.completion_cap);
    if req.get("max_completion_tokens").is_some() {
        req["max_completion_tokens"] = json!(hold.completion_cap);
    }
    if stream {
        req["stream_options"] = json!({"include_usage": true});
    }
    let answer = match forward::send(&gw, model, "/chat/completions", &req, stream).await {
        Ok(a) => a,
        Err(e) => {
            metering::void(&gw.store, &hold).await;
            return Err(e);
        }
    };
    match answer {
        Answer::Refused { status, body } => {
            metering::void(&gw.store, &hold).await;
            Ok(json_bytes(status, body))
        }
        Answer::Whole { body } => {
            let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let (used, estimated) = match usage::find_usage(&v) {
                Some(u) => (u, false),
                None => {
                    let mut text = String::new();
                    usage::answer_text(&v, &mut text);
                    (usage::estimate(&messages, &text), true)
                }
            };
            metering::finish(&gw.store, &hold, used, estimated).await?;
            Ok(with_receipt(json_bytes(StatusCode::OK, body), &hold))
        }
        Answer::Stream { first, rest } => {
            let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(32);
            let pump = Pump { gw: gw.clone(), hold: hold.clone(), messages, wants_usage, _slot: slot };
            tokio::spawn(pump.run(first, rest, tx));
            let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
            let r = Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "text/event-stream")
                .header(header::CACHE_CONTROL, "no-cache")
                .body(body)
                .map_err(|e| ApiError::internal(e.to_string()))?;
            Ok(with_receipt(r, &hold))
        }
    }
}

/// Moves a streamed answer to the client event by event, reading usage wherever it arrives;
/// when the stream ends (or the client leaves) the receipt is charged what was seen.
struct Pump {
    gw: Arc<Gateway>,
    hold: Hold,
    messages: Value,
    wants_usage: bool,
    _slot: InFlight,
}

impl Pump {
    async fn run(
        self,
        first: Bytes,
        mut rest: futures_util::stream::BoxStream<'static, reqwest::Result<Bytes>>,
        tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    ) {
        let mut splitter = SseSplitter::default();
        let mut seen: Option<TokenUsage> = None;
        let mut text = String::new();
        let mut chunk = Some(first);
        'read: while let Some(bytes) = chunk.take() {
            for ev in splitter.push(&bytes) {
                if !self.forward(ev, &mut seen, &mut text, &tx).await {
                    break 'read;
                }
            }
            chunk = match rest.next().await {
                Some(Ok(b)) => Some(b),
                Some(Err(e)) => {
                    eprintln!("gateway: {} upstream stream broke: {e}", self.hold.receipt_id);
                    None
                }
                None => {
                    if let Some(ev) = splitter.finish() {
                        self.forward(ev, &mut seen, &mut text, &tx).await;
                    }
                    None
                }
            };
        }
        drop(rest);
        let (used, estimated) = match seen {
            Some(u) => (u, false),
            None => (usage::estimate(&self.messages, &text), true),
        };
        if let Err(e) = metering::finish(&self.gw.store, &self.hold, used, estimated).await {
            eprintln!("gateway: finishing {}: {}", self.hold.receipt_id, e.message);
        }
    }

    /// Reads one event and passes it on; false once the client is gone.
    async fn forward(
        &self,
        ev: usage::SseEvent,
        seen: &mut Option<TokenUsage>,
        text: &mut String,
        tx: &mpsc::Sender<Result<Bytes, std::io::Error>>,
    ) -> bool {
        if ev.data != "[DONE]" {
            if let Ok(v) = serde_json::from_str::<Value>(&ev.data) {
                if let Some(u) = usage::find_usage(&v) {
                    *seen = Some(u);
                }
                usage::answer_text(&v, text);
                // The usage-only chunk the gateway asked for is not the client's unless it
                // asked too.
                let usage_only = v.get("choices").and_then(Value::as_array).is_some_and(|c| c.is_empty());
                if usage_only && !self.wants_usage {
                    return true;
                }
            }
        }
        tx.send(Ok(Bytes::from(ev.raw))).await.is_ok()
    }
}

pub async fn embeddings(State(gw): State<Arc<Gateway>>, headers: HeaderMap, body: Bytes) -> Response {
    respond(embed(gw, headers, body).await)
}

async fn embed(gw: Arc<Gateway>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let key = gw.authenticate(&headers).await?;
    let req = parse(&body)?;
    let model = model(&gw, &req, ModelKind::Embeddings)?;
    let input = match req.get("input") {
        Some(v @ (Value::String(_) | Value::Array(_))) => v.clone(),
        _ => return Err(ApiError::bad_request("`input` must be a string or an array")),
    };
    let _slot = gw.admit(&key).await?;
    let worst = Worst { prompt_bound: usage::prompt_bound(&input), wanted: 0, choices: 1 };
    let hold = metering::reserve(&gw, &key, model, worst).await?;
    let answer = match forward::send(&gw, model, "/embeddings", &req, false).await {
        Ok(a) => a,
        Err(e) => {
            metering::void(&gw.store, &hold).await;
            return Err(e);
        }
    };
    match answer {
        Answer::Whole { body } => {
            let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let (used, estimated) = match usage::find_usage(&v) {
                Some(u) => (TokenUsage { prompt_tokens: u.prompt_tokens, completion_tokens: 0 }, false),
                None => (
                    TokenUsage {
                        prompt_tokens: usage::count_tokens(&usage::prompt_text(&input)),
                        completion_tokens: 0,
                    },
                    true,
                ),
            };
            metering::finish(&gw.store, &hold, used, estimated).await?;
            Ok(with_receipt(json_bytes(StatusCode::OK, body), &hold))
        }
        Answer::Refused { status, body } => {
            metering::void(&gw.store, &hold).await;
            Ok(json_bytes(status, body))
        }
        Answer::Stream { .. } => {
            metering::void(&gw.store, &hold).await;
            Err(ApiError::internal("an embeddings answer cannot be a stream"))
        }
    }
}
