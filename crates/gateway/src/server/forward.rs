//! Calling a model's upstreams in order, moving to the next on a refusal that is not the
//! client's fault (429, 5xx, no connection, no first byte in time) as long as nothing has
//! reached the client; once the first byte is through, the request stays with that upstream.
use std::time::Duration;

use axum::http::StatusCode;
use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use serde_json::Value;

use super::errors::ApiError;
use super::Gateway;
use crate::config::ModelConfig;

pub enum Answer {
    /// A whole (non-streamed) answer.
    Whole { body: Bytes },
    /// A stream under way: its first chunk and the rest.
    Stream { first: Bytes, rest: BoxStream<'static, reqwest::Result<Bytes>> },
    /// The upstream refused the request itself (a 4xx other than 429): the client's to see.
    Refused { status: StatusCode, body: Bytes },
}

pub async fn send(
    gw: &Gateway,
    model: &ModelConfig,
    path: &str,
    body: &Value,
    stream: bool,
) -> Result<Answer, ApiError> {
    let wait = Duration::from_secs(gw.config.raw.limits.first_byte_timeout_secs);
    let mut rate_limited = false;
    let mut last = String::new();
    for up in &model.upstreams {
        let mut body = body.clone();
        body["model"] = Value::String(up.model.clone().unwrap_or_else(|| model.id.clone()));
        let url = format!("{}{path}", up.url.trim_end_matches('/'));
        let mut req = gw.http.post(&url).json(&body);
        if let Some(k) = &up.api_key {
            req = req.bearer_auth(k);
        }
        let resp = match tokio::time::timeout(wait, req.send()).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                last = format!("{url}: {e}");
                continue;
            }
            Err(_) => {
                last = format!("{url}: no answer in {}s", wait.as_secs());
                continue;
            }
        };
        let status = StatusCode::from_u16(resp.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            rate_limited |= status == StatusCode::TOO_MANY_REQUESTS;
            last = format!("{url}: {status}");
            continue;
        }
        if !status.is_success() {
            let body = resp.bytes().await.unwrap_or_default();
            return Ok(Answer::Refused { status, body });
        }
        if stream {
            let mut rest = resp.bytes_stream().boxed();
            match tokio::time::timeout(wait, rest.next()).await {
                Ok(Some(Ok(first))) => return Ok(Answer::Stream { first, rest }),
                Ok(Some(Err(e))) => last = format!("{url}: {e}"),
                Ok(None) => last = format!("{url}: empty stream"),
                Err(_) => last = format!("{url}: no first byte in {}s", wait.as_secs()),
            }
            continue;
        }
        match resp.bytes().await {
            Ok(body) => return Ok(Answer::Whole { body }),
            Err(e) => last = format!("{url}: {e}"),
        }
    }
    if rate_limited {
        Err(ApiError::rate_limited(format!("every upstream of `{}` is busy ({last})", model.id)))
    } else {
        Err(ApiError::upstream(format!("no upstream of `{}` answered ({last})", model.id)))
    }
}
