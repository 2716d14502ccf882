//! The reservation rule, once: before a request is forwarded the gateway holds its worst-case
//! cost against what the channel can still pay (the on-chain headroom minus every receipt and
//! batch not yet reflected on chain), capping the completion at what is left; when it ends,
//! the receipt is charged its usage, never more than it held.
use std::sync::Arc;

use credit_math::metering::{charge, TokenPrice, TokenUsage};
use credit_math::CreditAtoms;

use crate::chain::Refusal;
use crate::config::ModelConfig;
use crate::server::errors::ApiError;
use crate::server::Gateway;
use crate::store::{ApiKeyRecord, FinalUsage, NewReservation, Store};

/// What a request holds while it runs.
#[derive(Clone, Debug)]
pub struct Hold {
    pub receipt_id: String,
    pub reserved: CreditAtoms,
    /// The completion tokens each answer may have (what `max_tokens` is capped at).
    pub completion_cap: u64,
    pub price: TokenPrice,
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

pub fn new_receipt_id() -> String {
    let mut b = [0u8; 12];
    getrandom::getrandom(&mut b).expect("os randomness");
    format!("rcpt-{}", hex::encode(b))
}

/// What a request may use at worst: `prompt_bound` tokens in, `choices` answers of up to
/// `wanted` tokens each out.
#[derive(Clone, Copy, Debug)]
pub struct Worst {
    pub prompt_bound: u64,
    pub wanted: u64,
    pub choices: u64,
}

/// Holds the worst case of a request, each answer capped at what the channel can pay.
pub async fn reserve(
    gw: &Gateway,
    key: &ApiKeyRecord,
    model: &ModelConfig,
    worst: Worst,
) -> Result<Hold, ApiError> {
    let Worst { prompt_bound, wanted, choices } = worst;
    let (store, price) = (&gw.store, model.price());
    let snapshot = gw
        .chain
        .snapshot(&key.channel)
        .await
        .map_err(|e| ApiError::unavailable(format!("cannot read the channel on chain: {e}")))?;
    let limit = snapshot.limit(&gw.config).map_err(|r| ApiError::cannot_pay(r.to_string()))?;
    let next_seq = snapshot.next_seq();
    // Two tries: a concurrent request may take the room between the read and the hold.
    for _ in 0..2 {
        let outstanding = store.outstanding(&key.channel, next_seq).await?;
        let available = limit.saturating_sub(outstanding);
        let completion_cap = match price.affordable_per_choice(prompt_bound, available, wanted, choices) {
            Some(c) if c > 0 || wanted == 0 => c,
            _ => {
                return Err(ApiError::cannot_pay(format!(
                    "{} ({} atoms available, the request may cost more)",
                    Refusal::Exhausted,
                    available
                )))
            }
        };
        let usage =
            TokenUsage { prompt_tokens: prompt_bound, completion_tokens: completion_cap * choices.max(1) };
        let amount =
            price.cost_ceil(usage).map_err(|_| ApiError::bad_request("the request is too large to price"))?;
        let receipt_id = new_receipt_id();
        let r = NewReservation {
            receipt_id: receipt_id.clone(),
            channel: key.channel,
            key_id: key.id.clone(),
            model: model.id.clone(),
            amount,
            now: unix_now(),
        };
        if store.reserve(&r, limit, next_seq).await? {
            return Ok(Hold { receipt_id, reserved: amount, completion_cap, price });
        }
    }
    Err(ApiError::cannot_pay(format!("{} (held by requests in flight)", Refusal::Exhausted)))
}

/// Charges the finished request its usage (capped at the hold).
pub async fn finish(
    store: &Arc<dyn Store>,
    hold: &Hold,
    usage: TokenUsage,
    estimated: bool,
) -> Result<FinalUsage, ApiError> {
    let (cost, _capped) =
        charge(&hold.price, usage, hold.reserved).map_err(|_| ApiError::internal("usage overflow"))?;
    let fin = FinalUsage {
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
        estimated,
        cost,
        now: unix_now(),
    };
    store.finish(&hold.receipt_id, &fin).await?;
    Ok(fin)
}

/// Releases a hold that served nothing.
pub async fn void(store: &Arc<dyn Store>, hold: &Hold) {
    if let Err(e) = store.void(&hold.receipt_id, unix_now()).await {
        eprintln!("gateway: voiding {}: {e}", hold.receipt_id);
    }
}
