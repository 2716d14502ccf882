//! The HTTP side: OpenAI's endpoints (`/v1/models`, `/v1/chat/completions`,
//! `/v1/embeddings`) and the gateway's own (`/v1/gateway/...`: keys by signed message, the
//! channel as the gateway sees it, receipts).
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::Mutex;

use crate::chain::ChainView;
use crate::config::Settled;
use crate::keys;
use crate::store::{ApiKeyRecord, Store};

pub mod errors;
mod forward;
mod gateway_routes;
mod openai;

use errors::ApiError;

/// Everything a request needs.
pub struct Gateway {
    pub config: Settled,
    pub store: Arc<dyn Store>,
    pub chain: ChainView,
    pub http: reqwest::Client,
    inflight: Mutex<HashMap<String, usize>>,
}

impl Gateway {
    pub fn new(config: Settled, store: Arc<dyn Store>) -> Arc<Gateway> {
        let chain =
            ChainView::new(&config.raw.rpc_url, Duration::from_millis(config.raw.limits.chain_cache_ms));
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .expect("http client");
        Arc::new(Gateway { config, store, chain, http, inflight: Mutex::new(HashMap::new()) })
    }

    /// The key a request presents (`Authorization: Bearer sk-cc-...`), checked and not revoked.
    pub async fn authenticate(&self, headers: &HeaderMap) -> Result<ApiKeyRecord, ApiError> {
        let presented = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| ApiError::unauthorized("no API key: send `Authorization: Bearer <key>`"))?;
        let hash = keys::presented(presented.trim())
            .ok_or_else(|| ApiError::unauthorized("not a gateway API key"))?;
        match self.store.key_by_hash(hash).await? {
            Some(k) if k.revoked_at.is_none() => Ok(k),
            Some(_) => Err(ApiError::unauthorized("this API key was revoked")),
            None => Err(ApiError::unauthorized("unknown API key")),
        }
    }

    /// One more request in flight for `key`, or 429 past the limit; the guard gives it back.
    pub async fn admit(self: &Arc<Self>, key: &ApiKeyRecord) -> Result<InFlight, ApiError> {
        let mut map = self.inflight.lock().await;
        let n = map.entry(key.id.clone()).or_insert(0);
        if *n >= self.config.raw.limits.max_concurrent_per_key {
            return Err(ApiError::rate_limited(format!(
                "more than {} requests in flight for this key",
                self.config.raw.limits.max_concurrent_per_key
            )));
        }
        *n += 1;
        Ok(InFlight { gateway: self.clone(), key: key.id.clone() })
    }
}

/// Gives a request's slot back when the response (stream included) is done.
pub struct InFlight {
    gateway: Arc<Gateway>,
    key: String,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let (gateway, key) = (self.gateway.clone(), std::mem::take(&mut self.key));
        let release = async move {
            let mut map = gateway.inflight.lock().await;
            if let Some(n) = map.get_mut(&key) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    map.remove(&key);
                }
            }
        };
        if let Ok(h) = tokio::runtime::Handle::try_current() {
            h.spawn(release);
        }
    }
}

pub fn router(gateway: Arc<Gateway>) -> Router {
    let limit = gateway.config.raw.limits.max_body_bytes;
    Router::new()
        .route("/v1/models", get(openai::models))
        .route("/v1/chat/completions", post(openai::chat_completions))
        .route("/v1/embeddings", post(openai::embeddings))
        .route("/v1/gateway/info", get(gateway_routes::info))
        .route("/v1/gateway/keys", post(gateway_routes::issue_key))
        .route("/v1/gateway/keys/revoke", post(gateway_routes::revoke_key))
        .route("/v1/gateway/channel", get(gateway_routes::channel))
        .route("/v1/gateway/receipts", get(gateway_routes::receipts))
        .route("/healthz", get(health))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(gateway)
}

async fn health(State(_): State<Arc<Gateway>>) -> Json<Value> {
    Json(json!({"ok": true}))
}
