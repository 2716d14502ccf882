//! `channel key`: the holder gets an API key from a usage gateway by signing a message with
//! the channel's wallet (or revokes one with `--revoke ID`). The gateway tells which provider
//! and class it meters for; the channel is the signer's to that provider in that class.
use anchor_lang::prelude::Pubkey;
use clap::Args;
use credit_client::pda;
use gateway::metering::unix_now as now;
use serde_json::json;

use crate::commands::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct KeyArgs {
    /// The gateway's base URL (e.g. http://127.0.0.1:8787).
    #[arg(long)]
    pub gateway: String,
    /// Revoke this key (its id) instead of getting a new one.
    #[arg(long, value_name = "ID")]
    pub revoke: Option<String>,
}

pub fn key(ctx: &Context, a: KeyArgs) -> CliResult {
    let holder = ctx.signer()?;
    let rt = tokio::runtime::Handle::current();
    let info = rt.block_on(gateway::client::info(&a.gateway))?;
    let provider: Pubkey =
        info.provider_authority.parse().map_err(|e| format!("the gateway's provider: {e}"))?;
    let class: Pubkey = info.class.parse().map_err(|e| format!("the gateway's class: {e}"))?;
    if let Some(id) = a.revoke {
        rt.block_on(gateway::client::revoke_key(&a.gateway, holder, &provider, &id, now()))?;
        ctx.print(&format!("Revoked key {id}"), &json!({"id": id, "revoked": true}));
        return Ok(());
    }
    let channel = pda::channel(&class, &holder.pubkey(), &provider);
    let issued = rt.block_on(gateway::client::issue_key(&a.gateway, holder, &provider, &channel, now()))?;
    let display = format!(
        "API key {} for channel {}\n  {}\nKeep it secret: the gateway stores only its hash and will not show it again.\n\
         Use it as an OpenAI API key with base URL {}/v1",
        issued.id,
        issued.channel,
        issued.key,
        a.gateway.trim_end_matches('/')
    );
    ctx.print(&display, &serde_json::to_value(&issued).map_err(|e| e.to_string())?);
    Ok(())
}
