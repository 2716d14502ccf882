//! What the gateway knows of a channel on chain: two `getMultipleAccounts` (the channel and the
//! clock; then its class, vault and the holder's hold record, whose addresses the channel
//! gives), reused for a short while. The
//! admission rule (which channels the gateway serves, and how much they can still pay) lives
//! here, once.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use compute_credits::state::{CreditClass, MeteringChannel, OwnerHolds};
use credit_client::pda;
use credit_client::state::{token_account_amount, zero_copy};
use credit_math::CreditAtoms;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::clock::Clock;
use solana_sdk::pubkey::Pubkey;
use tokio::sync::Mutex;

use crate::config::Settled;

/// A channel as one read of the chain saw it.
#[derive(Clone, Debug)]
pub struct ChannelSnapshot {
    pub address: Pubkey,
    pub channel: MeteringChannel,
    pub vault_balance: CreditAtoms,
    pub class_paused: bool,
    pub holder_held: bool,
    /// The cluster's clock at the read.
    pub now: i64,
}

/// Why a channel cannot pay for a request (each is a 402 to the client).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    NotOurs,
    Closing,
    Released,
    Expiring { expiry_ts: i64 },
    NoticeTooShort { notice_secs: u32, needed: u64 },
    ClassPaused,
    HolderUnderHold,
    Exhausted,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NotOurs => write!(f, "the channel is not one of this gateway's provider and class"),
            Refusal::Closing => write!(f, "the holder asked to close the channel"),
            Refusal::Released => write!(f, "the provider released the channel"),
            Refusal::Expiring { expiry_ts } => {
                write!(f, "the channel expires at {expiry_ts}, too soon to settle what it would be served")
            }
            Refusal::NoticeTooShort { notice_secs, needed } => write!(
                f,
                "the channel's notice ({notice_secs} s) is shorter than this gateway needs to settle ({needed} s)"
            ),
            Refusal::ClassPaused => write!(f, "the credit class is paused"),
            Refusal::HolderUnderHold => write!(f, "the holder's credits are under a freeze hold"),
            Refusal::Exhausted => write!(f, "the channel has no credits left to pay with"),
        }
    }
}

impl ChannelSnapshot {
    /// What the gateway may still take from the channel in this snapshot (the on-chain rule:
    /// cap, period cap, vault, expiry), or why it serves none. Outstanding receipts are the
    /// store's to subtract.
    pub fn limit(&self, config: &Settled) -> Result<CreditAtoms, Refusal> {
        let c = &self.channel;
        if c.class != config.class || c.provider_authority != config.provider_authority {
            return Err(Refusal::NotOurs);
        }
        let (terms, meter) = (c.terms(), c.meter());
        if meter.released {
            return Err(Refusal::Released);
        }
        if meter.close_requested_at != 0 {
            return Err(Refusal::Closing);
        }
        if u64::from(terms.notice_secs) < config.min_notice_secs {
            return Err(Refusal::NoticeTooShort {
                notice_secs: terms.notice_secs,
                needed: config.min_notice_secs,
            });
        }
        let margin = i64::try_from(config.expiry_margin_secs).unwrap_or(i64::MAX);
        if terms.expiry_ts.saturating_sub(self.now) < margin {
            return Err(Refusal::Expiring { expiry_ts: terms.expiry_ts });
        }
        if self.class_paused {
            return Err(Refusal::ClassPaused);
        }
        if self.holder_held {
            return Err(Refusal::HolderUnderHold);
        }
        Ok(meter.headroom(&terms, self.now, self.vault_balance))
    }

    pub fn next_seq(&self) -> u64 {
        self.channel.meter.next_seq
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    #[error("rpc: {0}")]
    Rpc(String),
    #[error("no metering channel at {0}")]
    Missing(Pubkey),
    #[error("{0}")]
    Decode(String),
}

/// Reads one channel's snapshot (blocking RPC).
pub fn read_snapshot(rpc: &RpcClient, address: &Pubkey) -> Result<ChannelSnapshot, ChainError> {
    let rpc_err = |e: solana_rpc_client_api::client_error::Error| ChainError::Rpc(e.to_string());
    let commitment = CommitmentConfig::confirmed();
    let first = rpc
        .get_multiple_accounts_with_commitment(&[*address, solana_sdk::sysvar::clock::ID], commitment)
        .map_err(rpc_err)?
        .value;
    let acc = first[0].clone().ok_or(ChainError::Missing(*address))?;
    if acc.owner != compute_credits::ID {
        return Err(ChainError::Missing(*address));
    }
    let channel: MeteringChannel = zero_copy(&acc.data).map_err(|e| ChainError::Decode(e.to_string()))?;
    let holds_key = pda::owner_holds(&pda::credit_mint(&channel.class), &channel.holder);
    let rest = rpc
        .get_multiple_accounts_with_commitment(&[channel.class, channel.vault, holds_key], commitment)
        .map_err(rpc_err)?
        .value;
    let class: CreditClass = match &rest[0] {
        Some(a) => zero_copy(&a.data).map_err(|e| ChainError::Decode(e.to_string()))?,
        None => return Err(ChainError::Decode("the channel's class is missing".into())),
    };
    let vault =
        rest[1].as_ref().ok_or_else(|| ChainError::Decode("the channel's vault is missing".into()))?;
    let vault_balance = token_account_amount(&vault.data)
        .ok_or_else(|| ChainError::Decode("the channel's vault is not a token account".into()))?;
    let holder_held = match &rest[2] {
        Some(a) if a.owner == compute_credits::ID => {
            zero_copy::<OwnerHolds>(&a.data).map(|h| h.holds > 0).unwrap_or(true)
        }
        _ => false,
    };
    let clock: Clock = first[1]
        .as_ref()
        .and_then(|a| bincode::deserialize(&a.data).ok())
        .ok_or_else(|| ChainError::Decode("clock sysvar".into()))?;
    Ok(ChannelSnapshot {
        address: *address,
        channel,
        vault_balance: CreditAtoms(vault_balance),
        class_paused: class.is_paused(),
        holder_held,
        now: clock.unix_timestamp,
    })
}

/// Snapshots reused for `ttl`; a miss reads the chain on a blocking thread.
pub struct ChainView {
    rpc: Arc<RpcClient>,
    ttl: Duration,
    cache: Mutex<HashMap<Pubkey, (Instant, ChannelSnapshot)>>,
}

impl ChainView {
    pub fn new(rpc_url: &str, ttl: Duration) -> ChainView {
        let rpc = RpcClient::new_with_commitment(rpc_url.to_string(), CommitmentConfig::confirmed());
        ChainView { rpc: Arc::new(rpc), ttl, cache: Mutex::new(HashMap::new()) }
    }

    pub async fn snapshot(&self, channel: &Pubkey) -> Result<ChannelSnapshot, ChainError> {
        if let Some((at, s)) = self.cache.lock().await.get(channel) {
            if at.elapsed() < self.ttl {
                return Ok(s.clone());
            }
        }
        self.refresh(channel).await
    }

    /// Reads the chain now (and caches it).
    pub async fn refresh(&self, channel: &Pubkey) -> Result<ChannelSnapshot, ChainError> {
        let (rpc, key) = (self.rpc.clone(), *channel);
        let s = tokio::task::spawn_blocking(move || read_snapshot(&rpc, &key))
            .await
            .map_err(|e| ChainError::Rpc(e.to_string()))??;
        self.cache.lock().await.insert(*channel, (Instant::now(), s.clone()));
        Ok(s)
    }
}
