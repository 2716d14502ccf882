//! The holder's side of the gateway's own endpoints (what `app channel key` calls): read the
//! gateway's terms, get a key by signing, revoke one.
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signer::Signer;

use crate::keys;

/// `GET /v1/gateway/info`: whom the gateway meters for and on what terms.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct GatewayInfo {
    pub provider_authority: String,
    pub class: String,
    pub settlement_interval_secs: u64,
    pub min_notice_secs: u64,
    pub expiry_margin_secs: u64,
    pub models: Vec<ModelInfo>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ModelInfo {
    pub id: String,
    pub kind: String,
    pub prompt_per_1k: u64,
    pub completion_per_1k: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct IssuedKey {
    pub id: String,
    pub key: String,
    pub channel: String,
    pub holder: String,
}

fn url(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

async fn answer<T: serde::de::DeserializeOwned>(r: reqwest::Response) -> Result<T, String> {
    let status = r.status();
    let body: Value = r.json().await.map_err(|e| format!("the gateway's answer: {e}"))?;
    if !status.is_success() {
        let msg = body.pointer("/error/message").and_then(Value::as_str).unwrap_or("no message");
        return Err(format!("the gateway refused ({status}): {msg}"));
    }
    serde_json::from_value(body).map_err(|e| format!("the gateway's answer: {e}"))
}

pub async fn info(base: &str) -> Result<GatewayInfo, String> {
    let r = reqwest::get(url(base, "/v1/gateway/info")).await.map_err(|e| format!("{base}: {e}"))?;
    answer(r).await
}

/// Signs the key-issuing message for `channel` with the holder's key and asks for a key.
pub async fn issue_key(
    base: &str,
    holder: &dyn Signer,
    gateway: &Pubkey,
    channel: &Pubkey,
    now: i64,
) -> Result<IssuedKey, String> {
    let message = keys::issue_message(gateway, channel, &holder.pubkey(), now);
    let signature = holder.try_sign_message(message.as_bytes()).map_err(|e| e.to_string())?;
    let r = reqwest::Client::new()
        .post(url(base, "/v1/gateway/keys"))
        .json(&json!({"message": message, "signature": signature.to_string()}))
        .send()
        .await
        .map_err(|e| format!("{base}: {e}"))?;
    answer(r).await
}

/// Signs the revoking message for key `id` and sends it.
pub async fn revoke_key(
    base: &str,
    holder: &dyn Signer,
    gateway: &Pubkey,
    id: &str,
    now: i64,
) -> Result<(), String> {
    let message = keys::revoke_message(gateway, id, &holder.pubkey(), now);
    let signature = holder.try_sign_message(message.as_bytes()).map_err(|e| e.to_string())?;
    let r = reqwest::Client::new()
        .post(url(base, "/v1/gateway/keys/revoke"))
        .json(&json!({"message": message, "signature": signature.to_string()}))
        .send()
        .await
        .map_err(|e| format!("{base}: {e}"))?;
    answer::<Value>(r).await.map(|_| ())
}

async fn get_with_key(base: &str, path: &str, key: &str) -> Result<Value, String> {
    let r = reqwest::Client::new()
        .get(url(base, path))
        .bearer_auth(key)
        .send()
        .await
        .map_err(|e| format!("{base}: {e}"))?;
    answer(r).await
}

/// `GET /v1/gateway/channel`: the key's channel as the gateway meters it.
pub async fn channel_view(base: &str, key: &str) -> Result<Value, String> {
    get_with_key(base, "/v1/gateway/channel", key).await
}

/// `GET /v1/gateway/receipts`: the key's channel's receipts and batches.
pub async fn receipts(base: &str, key: &str) -> Result<Value, String> {
    get_with_key(base, "/v1/gateway/receipts", key).await
}
