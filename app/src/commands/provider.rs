//! `provider`: the admin registers (or removes) a compute provider of a class: a provider's
//! signature is what a redemption (`app redeem`) needs besides the holder's.
use clap::{Args, Subcommand};
use compute_credits::state::Provider;
use credit_client::{ix, pda, read};
use serde_json::json;
use solana_sdk::pubkey::Pubkey;

use super::accounts::load_class;
use super::args::ClassArg;
use super::output::{self, fact, units};
use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct ProviderArgs {
    #[command(subcommand)]
    pub command: ProviderCommand,
}

#[derive(Subcommand)]
pub enum ProviderCommand {
    /// Register the provider `authority` for a class (admin; pays the record's rent).
    Register {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[arg(help = "The provider's signing key")]
        authority: Pubkey,
    },
    /// Remove a provider's registration (admin; the rent returns to it).
    Remove {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[arg(help = "The provider's signing key")]
        authority: Pubkey,
    },
    /// The provider (its authority signs, -k): name the key that may redeem from its metering
    /// channels in its place (a gateway's hot key), or `none` to clear it.
    SettlementKey {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[arg(help = "The settlement key, or `none`", value_parser = settlement_key)]
        key: Pubkey,
    },
    /// Print a provider's registration and what it has redeemed.
    Show {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[arg(help = "The provider's signing key")]
        authority: Pubkey,
    },
}

/// A settlement key as typed: a public key, or `none` (the default key: no settlement key).
fn settlement_key(s: &str) -> Result<Pubkey, String> {
    if s.eq_ignore_ascii_case("none") {
        return Ok(Pubkey::default());
    }
    s.parse().map_err(|_| format!("`{s}`: a public key, or none"))
}

pub fn run(ctx: &Context, args: ProviderArgs) -> CliResult {
    match args.command {
        ProviderCommand::Register { class, authority } => {
            let admin = ctx.signer()?;
            let record = pda::provider(&class.0, &authority);
            let ix = ix::register_provider(&admin.pubkey(), &class.0, &authority);
            output::run(ctx, &[ix], &[admin], &[fact("provider", record)])?;
        }
        ProviderCommand::Remove { class, authority } => {
            let admin = ctx.signer()?;
            ctx.run(&[ix::remove_provider(&admin.pubkey(), &class.0, &authority)], &[admin])?;
        }
        ProviderCommand::SettlementKey { class, key } => {
            let authority = ctx.signer()?;
            let ix = ix::channel::set_settlement_key(&authority.pubkey(), &class.0, &key);
            let record = pda::provider(&class.0, &authority.pubkey());
            output::run(
                ctx,
                &[ix],
                &[authority],
                &[fact("provider", record), fact("settlementKey", output::key_or_none(&key))],
            )?;
        }
        ProviderCommand::Show { class, authority } => {
            let record = pda::provider(&class.0, &authority);
            let p: Provider = read::program_account(&ctx.rpc, &record)
                .map_err(|e| format!("provider {authority} of class {}: {e}", class.0))?;
            let (_, c) = load_class(ctx, &class)?;
            let settlement_key =
                (p.settlement_key != Pubkey::default()).then(|| p.settlement_key.to_string());
            ctx.print(
                &format!(
                    "Provider: {record}\nAuthority: {}\nClass: {}\nRedeemed: {} {}\nSettlement key: {}",
                    p.authority,
                    p.class,
                    units(p.redeemed, c.decimals),
                    c.unit(),
                    settlement_key.as_deref().unwrap_or("none"),
                ),
                &json!({
                    "address": record.to_string(),
                    "authority": p.authority.to_string(),
                    "class": p.class.to_string(),
                    "redeemed": p.redeemed,
                    "settlement_key": settlement_key,
                }),
            );
        }
    }
    Ok(())
}
