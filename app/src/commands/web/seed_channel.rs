//! The sample world's metering channel (issue 14): the holder escrows 30 credits once for the
//! seeded provider (cap 30, at most 10 an hour, 30 days, an hour's notice); the provider names
//! a settlement key (the `settlement` role, as a gateway would hold it), which redeems two
//! batches at once and a third after the loans moved the clock, so the channel shows a vault
//! balance, a redeemed total, batches at different times and a burn rate.
use compute_credits::OpenChannelArgs;
use credit_client::ix::channel as ix;
use credit_client::sample::CREDIT;
use credit_client::ChannelKeys;
use solana_sdk::signature::Signer;

use super::seed::{usage_reference, Seeder};

const HOUR: u32 = 3_600;
const DAY: i64 = 86_400;

/// The gateway's batches: (credit atoms, usage reference).
pub const BATCHES: [(u64, &str); 3] =
    [(2_500_000, "gw-batch-0001"), (4_000_000, "gw-batch-0002"), (1_750_000, "gw-batch-0003")];

fn keys(s: &Seeder) -> ChannelKeys {
    let c = &s.class;
    ChannelKeys::new(
        &c.class,
        &c.credit_mint,
        &c.credit_program,
        &s.role("holder").pubkey(),
        &s.role("provider").pubkey(),
    )
}

/// The provider names its settlement key; the holder opens the channel; the first two batches.
pub fn open(s: &Seeder) -> Result<ChannelKeys, String> {
    let (holder, provider, settlement) = (s.role("holder"), s.role("provider"), s.role("settlement"));
    let set = ix::set_settlement_key(&provider.pubkey(), &s.class.class, &settlement.pubkey());
    s.send("settlement key", &[set], &[provider])?;
    let k = keys(s);
    let args = OpenChannelArgs {
        amount: 30 * CREDIT,
        cap: 30 * CREDIT,
        period_cap: 10 * CREDIT,
        period_secs: HOUR,
        expiry_ts: s.now()? + 30 * DAY,
        notice_secs: HOUR,
    };
    let from = credit_client::pda::associated_token(&holder.pubkey(), &k.credit_mint, &k.credit_program);
    s.send("channel", &[ix::open_channel(&k, &from, args)], &[holder])?;
    for seq in 0..2 {
        redeem(s, &k, seq)?;
    }
    Ok(k)
}

/// Batch `seq` of [`BATCHES`], redeemed by the settlement key alone.
pub fn redeem(s: &Seeder, k: &ChannelKeys, seq: u64) -> Result<(), String> {
    let settlement = s.role("settlement");
    let (amount, usage) = BATCHES[seq as usize];
    let redeem = ix::redeem_from_channel(k, &settlement.pubkey(), seq, amount, usage_reference(usage));
    s.send("channel batch", &[redeem], &[settlement])
}

/// A usage gateway's configuration for the seeded provider (its settlement key at
/// `settlement_keypair`), metering the seeded channel's class with SmolLM2 served by
/// `crates/gateway/scripts/model-server --port 9001 --name smollm2`: `DIR/gateway.toml`.
pub fn gateway_config(rpc_url: &str, class: &str, provider: &str, settlement_keypair: &str) -> String {
    format!(
        r#"# The usage gateway for the seeded provider: app gateway serve --config <this file>
# Upstream: crates/gateway/scripts/model-server --port 9001 --name smollm2
listen = "127.0.0.1:8787"
rpc_url = "{rpc_url}"
class = "{class}"
provider_authority = "{provider}"
settlement_keypair = "{settlement_keypair}"
database = "sqlite:gateway.db"

[settlement]
interval_secs = 10

[[models]]
id = "smollm2"
kind = "chat"
prompt_per_1k = 2000
completion_per_1k = 6000
default_max_tokens = 256
upstreams = [{{ url = "http://127.0.0.1:9001/v1", model = "smollm2" }}]

[[models]]
id = "smollm2-embed"
kind = "embeddings"
prompt_per_1k = 1000
upstreams = [{{ url = "http://127.0.0.1:9001/v1", model = "smollm2" }}]
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_sdk::pubkey::Pubkey;

    #[test]
    fn the_seeded_gateway_configuration_is_valid() {
        let (class, provider) = (Pubkey::new_unique().to_string(), Pubkey::new_unique().to_string());
        let text = gateway_config("http://127.0.0.1:8899", &class, &provider, "/w/settlement.json");
        let dir = std::path::Path::new("/w");
        let c = gateway::config::Config::parse(&text, dir).unwrap();
        assert_eq!((c.class.to_string(), c.provider_authority.to_string()), (class, provider));
        assert_eq!(c.database, "sqlite:/w/gateway.db");
        assert_eq!(c.raw.settlement_keypair, std::path::PathBuf::from("/w/settlement.json"));
        // the seeded channel's hour of notice covers what this gateway needs
        assert!(c.min_notice_secs <= u64::from(HOUR));
    }
}
