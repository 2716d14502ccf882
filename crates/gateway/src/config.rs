//! The gateway's configuration file (TOML): where it listens, the chain it settles on, the
//! provider it meters for, its storage, and the models it serves with their prices and
//! upstreams.
use std::path::{Path, PathBuf};

use credit_math::metering::TokenPrice;
use credit_math::CreditAtoms;
use serde::Deserialize;
use solana_sdk::pubkey::Pubkey;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `host:port`; loopback unless a TLS-terminating proxy stands in front.
    #[serde(default = "default_listen")]
    pub listen: String,
    /// JSON-RPC endpoint of the cluster the channels live on.
    pub rpc_url: String,
    /// The credit class whose channels pay for this gateway's traffic.
    pub class: String,
    /// The provider's authority the channels name.
    pub provider_authority: String,
    /// The settlement key's keypair file (Solana CLI JSON): it signs every redemption.
    pub settlement_keypair: PathBuf,
    /// `sqlite:<path>` (default `sqlite:gateway.db` beside the config) or `postgres://...`.
    #[serde(default)]
    pub database: Option<String>,
    #[serde(default)]
    pub settlement: Settlement,
    #[serde(default)]
    pub limits: Limits,
    pub models: Vec<ModelConfig>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settlement {
    /// How often the worker redeems the receipts that finished.
    #[serde(default = "default_interval")]
    pub interval_secs: u64,
    /// The most receipts in one redemption.
    #[serde(default = "default_max_receipts")]
    pub max_receipts: u64,
    /// A hold older than this belongs to a request that cannot be in flight any more (its
    /// gateway crashed): released, uncharged. Longer than any request may take.
    #[serde(default = "default_stale_hold")]
    pub stale_hold_secs: u64,
}

impl Default for Settlement {
    fn default() -> Self {
        Settlement {
            interval_secs: default_interval(),
            max_receipts: default_max_receipts(),
            stale_hold_secs: default_stale_hold(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Channels whose notice is shorter are refused: after the holder asks to close, the
    /// gateway must still have time to redeem what it served. Default: two settlement
    /// intervals; never less than one.
    #[serde(default)]
    pub min_notice_secs: Option<u64>,
    /// Channels that expire sooner than this are refused (default: two settlement intervals).
    #[serde(default)]
    pub expiry_margin_secs: Option<u64>,
    /// How long a read of a channel's on-chain state is reused.
    #[serde(default = "default_cache_ms")]
    pub chain_cache_ms: u64,
    /// Requests in flight per API key before 429.
    #[serde(default = "default_concurrency")]
    pub max_concurrent_per_key: usize,
    /// Requests bodies larger than this are refused (bytes).
    #[serde(default = "default_body")]
    pub max_body_bytes: usize,
    /// Seconds an upstream has to answer with its first byte before the next is tried.
    #[serde(default = "default_first_byte")]
    pub first_byte_timeout_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            min_notice_secs: None,
            expiry_margin_secs: None,
            chain_cache_ms: default_cache_ms(),
            max_concurrent_per_key: default_concurrency(),
            max_body_bytes: default_body(),
            first_byte_timeout_secs: default_first_byte(),
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    Chat,
    Embeddings,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// The name clients ask for.
    pub id: String,
    pub kind: ModelKind,
    /// Credit atoms per 1,000 prompt (input) tokens.
    pub prompt_per_1k: u64,
    /// Credit atoms per 1,000 completion tokens (chat).
    #[serde(default)]
    pub completion_per_1k: u64,
    /// `max_tokens` when the request names none (chat).
    #[serde(default = "default_max_tokens")]
    pub default_max_tokens: u64,
    /// Tried in order; the next one only before the first byte reached the client.
    pub upstreams: Vec<Upstream>,
}

impl ModelConfig {
    pub fn price(&self) -> TokenPrice {
        TokenPrice {
            prompt_per_1k: CreditAtoms(self.prompt_per_1k),
            completion_per_1k: CreditAtoms(self.completion_per_1k),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    /// Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:9001/v1`.
    pub url: String,
    /// The model's name there (default: the model's id).
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub api_key: Option<String>,
}

fn default_listen() -> String {
    "127.0.0.1:8787".into()
}
fn default_interval() -> u64 {
    10
}
fn default_max_receipts() -> u64 {
    500
}
fn default_stale_hold() -> u64 {
    900
}
fn default_cache_ms() -> u64 {
    1_000
}
fn default_concurrency() -> usize {
    16
}
fn default_body() -> usize {
    1 << 20
}
fn default_first_byte() -> u64 {
    60
}
fn default_max_tokens() -> u64 {
    256
}

/// A configuration checked once at start: keys parsed, limits settled.
#[derive(Clone, Debug)]
pub struct Settled {
    pub raw: Config,
    pub class: Pubkey,
    pub provider_authority: Pubkey,
    pub database: String,
    pub min_notice_secs: u64,
    pub expiry_margin_secs: u64,
}

impl Config {
    pub fn load(path: &Path) -> Result<Settled, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text, path.parent().unwrap_or(Path::new(".")))
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// A configuration's text, its relative paths taken from `dir`.
    pub fn parse(text: &str, dir: &Path) -> Result<Settled, String> {
        let mut config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        if config.settlement_keypair.is_relative() {
            config.settlement_keypair = dir.join(&config.settlement_keypair);
        }
        let database = match config.database.clone() {
            None => format!("sqlite:{}", dir.join("gateway.db").display()),
            Some(d) => match d.strip_prefix("sqlite:") {
                Some(p) if Path::new(p).is_relative() => format!("sqlite:{}", dir.join(p).display()),
                _ => d,
            },
        };
        config.settle(database)
    }

    pub fn settle(self, database: String) -> Result<Settled, String> {
        let key = |name: &str, v: &str| v.parse::<Pubkey>().map_err(|e| format!("{name}: {v}: {e}"));
        let class = key("class", &self.class)?;
        let provider_authority = key("provider_authority", &self.provider_authority)?;
        if self.models.is_empty() {
            return Err("models: at least one model".into());
        }
        let mut ids = std::collections::HashSet::new();
        for m in &self.models {
            if !ids.insert(m.id.as_str()) {
                return Err(format!("models: `{}` twice", m.id));
            }
            if m.upstreams.is_empty() {
                return Err(format!("model `{}`: at least one upstream", m.id));
            }
            if m.kind == ModelKind::Chat && m.default_max_tokens == 0 {
                return Err(format!("model `{}`: default_max_tokens must be positive", m.id));
            }
        }
        if self.settlement.interval_secs == 0 || self.settlement.max_receipts == 0 {
            return Err("settlement: interval_secs and max_receipts must be positive".into());
        }
        let two_rounds = self.settlement.interval_secs.saturating_mul(2);
        let min_notice_secs = self.limits.min_notice_secs.unwrap_or(two_rounds);
        if min_notice_secs < self.settlement.interval_secs {
            return Err(format!(
                "limits.min_notice_secs ({min_notice_secs}) is shorter than the settlement interval ({}): \
                 a holder could close before the gateway redeems what it served",
                self.settlement.interval_secs
            ));
        }
        let expiry_margin_secs = self.limits.expiry_margin_secs.unwrap_or(two_rounds);
        if expiry_margin_secs < self.settlement.interval_secs {
            return Err(format!(
                "limits.expiry_margin_secs ({expiry_margin_secs}) is shorter than the settlement interval ({})",
                self.settlement.interval_secs
            ));
        }
        Ok(Settled { raw: self, class, provider_authority, database, min_notice_secs, expiry_margin_secs })
    }
}

impl Settled {
    pub fn model(&self, id: &str) -> Option<&ModelConfig> {
        self.raw.models.iter().find(|m| m.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Config {
        toml::from_str(include_str!("../gateway.example.toml")).expect("the example parses")
    }

    #[test]
    fn the_committed_example_is_a_valid_configuration() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("gateway.example.toml");
        let s = Config::load(&path).unwrap();
        assert_eq!(
            s.database,
            format!("sqlite:{}", Path::new(env!("CARGO_MANIFEST_DIR")).join("gateway.db").display())
        );
        assert!(s.raw.settlement_keypair.is_absolute());
        assert_eq!((s.min_notice_secs, s.expiry_margin_secs), (20, 20));
        assert_eq!(s.model("smollm2").unwrap().upstreams.len(), 2);
        assert_eq!(s.model("smollm2").unwrap().price().completion_per_1k, CreditAtoms(6_000));
    }

    #[test]
    fn notices_shorter_than_the_settlement_interval_and_bad_models_are_refused() {
        let mut c = example();
        c.limits.min_notice_secs = Some(5);
        assert!(c.settle("sqlite:x".into()).unwrap_err().contains("shorter than the settlement interval"));
        let mut c = example();
        c.limits.expiry_margin_secs = Some(1);
        assert!(c.settle("sqlite:x".into()).unwrap_err().contains("expiry_margin_secs"));
        let mut c = example();
        c.models[1].id = "smollm2".into();
        assert!(c.settle("sqlite:x".into()).unwrap_err().contains("twice"));
        let mut c = example();
        c.models[0].upstreams.clear();
        assert!(c.settle("sqlite:x".into()).unwrap_err().contains("at least one upstream"));
        let mut c = example();
        c.class = "not-a-key".into();
        assert!(c.settle("sqlite:x".into()).is_err());
        // defaults: two settlement intervals
        let mut c = example();
        c.limits.min_notice_secs = None;
        c.limits.expiry_margin_secs = None;
        let s = c.settle("sqlite:x".into()).unwrap();
        assert_eq!((s.min_notice_secs, s.expiry_margin_secs), (20, 20));
        assert!(toml::from_str::<Config>("rpc_url = 1").is_err());
    }
}
