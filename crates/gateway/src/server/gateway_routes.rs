//! The gateway's own endpoints: keys for holders who prove they own the channel's wallet, and
//! what a key's holder may see (its channel as the gateway meters it, its receipts).
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::errors::ApiError;
use super::Gateway;
use crate::keys::{self, Action};
use crate::metering::unix_now;
use crate::store::{ApiKeyRecord, BatchStatus, ReceiptStatus, StoreError};

#[derive(Deserialize)]
pub struct SignedRequest {
    pub message: String,
    /// Base58 ed25519 signature of the holder over `message`'s UTF-8 bytes.
    pub signature: String,
}

fn respond(r: Result<Response, ApiError>) -> Response {
    r.unwrap_or_else(IntoResponse::into_response)
}

async fn proof(gw: &Gateway, body: &SignedRequest) -> Result<keys::Proof, ApiError> {
    let p = keys::verify(&gw.config.provider_authority, &body.message, &body.signature, unix_now())
        .map_err(|e| ApiError::forbidden(e.to_string()))?;
    Ok(p)
}

async fn spend_proof(gw: &Gateway, p: &keys::Proof) -> Result<(), ApiError> {
    match gw.store.use_proof(p.hash, unix_now()).await {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(_)) => {
            Err(ApiError::conflict("this signed message was used already: sign a new one"))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /v1/gateway/keys {message, signature}`: a new key for the channel the message names,
/// if the signer is its holder and the channel pays this gateway's provider in its class.
pub async fn issue_key(State(gw): State<Arc<Gateway>>, Json(body): Json<SignedRequest>) -> Response {
    respond(
        async {
            let p = proof(&gw, &body).await?;
            let Action::Issue { channel } = p.action else {
                return Err(ApiError::bad_request("not a key-issuing message"));
            };
            let snap = gw.chain.refresh(&channel).await.map_err(|e| ApiError::forbidden(e.to_string()))?;
            if snap.channel.holder != p.holder {
                return Err(ApiError::forbidden("the signer is not the channel's holder"));
            }
            if snap.channel.class != gw.config.class
                || snap.channel.provider_authority != gw.config.provider_authority
            {
                return Err(ApiError::forbidden(
                    "the channel does not pay this gateway's provider in its class",
                ));
            }
            spend_proof(&gw, &p).await?;
            let (id, key, secret_hash) = keys::new_key();
            let record = ApiKeyRecord {
                id: id.clone(),
                secret_hash,
                channel,
                holder: p.holder,
                created_at: unix_now(),
                revoked_at: None,
            };
            gw.store.insert_key(&record).await?;
            let out =
                json!({"id": id, "key": key, "channel": channel.to_string(), "holder": p.holder.to_string()});
            Ok((StatusCode::CREATED, Json(out)).into_response())
        }
        .await,
    )
}

/// `POST /v1/gateway/keys/revoke {message, signature}`: the holder revokes one of its keys.
pub async fn revoke_key(State(gw): State<Arc<Gateway>>, Json(body): Json<SignedRequest>) -> Response {
    respond(
        async {
            let p = proof(&gw, &body).await?;
            let Action::Revoke { key_id } = &p.action else {
                return Err(ApiError::bad_request("not a key-revoking message"));
            };
            spend_proof(&gw, &p).await?;
            if !gw.store.revoke_key(key_id, &p.holder, unix_now()).await? {
                return Err(ApiError::not_found(
                    "key_not_found",
                    "no unrevoked key with that id belongs to the signer",
                ));
            }
            Ok(Json(json!({"id": key_id, "revoked": true})).into_response())
        }
        .await,
    )
}

/// `GET /v1/gateway/info` (no key): whom the gateway meters for and on what terms, so a
/// holder can open a channel it will serve.
pub async fn info(State(gw): State<Arc<Gateway>>) -> Json<crate::client::GatewayInfo> {
    let c = &gw.config;
    Json(crate::client::GatewayInfo {
        provider_authority: c.provider_authority.to_string(),
        class: c.class.to_string(),
        settlement_interval_secs: c.raw.settlement.interval_secs,
        min_notice_secs: c.min_notice_secs,
        expiry_margin_secs: c.expiry_margin_secs,
        models: c
            .raw
            .models
            .iter()
            .map(|m| crate::client::ModelInfo {
                id: m.id.clone(),
                kind: format!("{:?}", m.kind).to_lowercase(),
                prompt_per_1k: m.prompt_per_1k,
                completion_per_1k: m.completion_per_1k,
            })
            .collect(),
    })
}

fn receipt_json(r: &crate::store::Receipt) -> Value {
    let status = match r.status {
        ReceiptStatus::Reserved => "reserved",
        ReceiptStatus::Final => "final",
        ReceiptStatus::Batched => "batched",
        ReceiptStatus::Void => "void",
    };
    json!({
        "id": r.id, "model": r.model, "status": status, "reserved": r.reserved.0,
        "prompt_tokens": r.prompt_tokens, "completion_tokens": r.completion_tokens,
        "estimated": r.estimated, "cost": r.cost.0, "batch_seq": r.batch_seq,
        "created_at": r.created_at, "finished_at": r.finished_at,
    })
}

/// `GET /v1/gateway/channel`: the key's channel as the gateway meters it.
pub async fn channel(State(gw): State<Arc<Gateway>>, headers: HeaderMap) -> Response {
    respond(
        async {
            let key = gw.authenticate(&headers).await?;
            let snap =
                gw.chain.refresh(&key.channel).await.map_err(|e| ApiError::unavailable(e.to_string()))?;
            let outstanding = gw.store.outstanding(&key.channel, snap.next_seq()).await?;
            let (limit, refusal) = match snap.limit(&gw.config) {
                Ok(l) => (l.0, None),
                Err(r) => (0, Some(r.to_string())),
            };
            let batches = gw.store.batches_of_channel(&key.channel).await?;
            let settled: u64 =
                batches.iter().filter(|b| b.status == BatchStatus::Settled).map(|b| b.amount.0).sum();
            Ok(Json(json!({
                "channel": key.channel.to_string(),
                "holder": key.holder.to_string(),
                "vault_balance": snap.vault_balance.0,
                "redeemed_on_chain": snap.channel.meter.redeemed.0,
                "next_seq": snap.next_seq(),
                "limit": limit,
                "outstanding": outstanding.0,
                "available": limit.saturating_sub(outstanding.0),
                "settled_by_gateway": settled,
                "refusal": refusal,
            }))
            .into_response())
        }
        .await,
    )
}

/// `GET /v1/gateway/receipts`: every receipt of the key's channel, oldest first.
pub async fn receipts(State(gw): State<Arc<Gateway>>, headers: HeaderMap) -> Response {
    respond(async {
        let key = gw.authenticate(&headers).await?;
        let receipts = gw.store.receipts_of_channel(&key.channel).await?;
        let batches = gw.store.batches_of_channel(&key.channel).await?;
        let batches: Vec<Value> = batches
            .iter()
            .map(|b| {
                json!({"seq": b.seq, "amount": b.amount.0, "receipts": b.receipts,
                       "status": format!("{:?}", b.status).to_lowercase(), "signature": b.signature,
                       "usage_reference": hex::encode(b.usage_reference)})
            })
            .collect();
        Ok(Json(json!({"receipts": receipts.iter().map(receipt_json).collect::<Vec<_>>(), "batches": batches}))
            .into_response())
    }
    .await)
}
