//! `deploy`: writes the `.so` through the upgradeable loader's buffer, as `solana program
//! deploy` does, to any cluster: a new program (its keypair signs) or an upgrade of an existing
//! one by its upgrade authority.
use std::path::PathBuf;

use clap::Args;
use credit_client::config::read_keypair;
use solana_sdk::signature::Signer;

use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct DeployArgs {
    /// The program's `.so`.
    #[arg(default_value = "target/deploy/compute_credits.so")]
    pub program: PathBuf,
    /// The program's keypair: its address is the program id (it must match `declare_id!`).
    #[arg(long)]
    pub program_keypair: PathBuf,
    /// The upgrade authority's keypair (default: the signer, -k).
    #[arg(long)]
    pub upgrade_authority: Option<PathBuf>,
    /// Bytes to reserve in ProgramData for later upgrades (default: the `.so`'s size).
    #[arg(long)]
    pub max_len: Option<usize>,
}

/// Pays with --fee-payer (default: the signer, -k), which is also the upgrade authority unless
/// --upgrade-authority says otherwise. Cluster, keys and commitment from the global flags.
pub fn run(ctx: &Context, args: DeployArgs) -> CliResult {
    let so = std::fs::read(&args.program).map_err(|e| format!("{}: {e}", args.program.display()))?;
    let program = read_keypair(&args.program_keypair)?;
    let payer = ctx.fee_payer()?;
    let authority: Box<dyn Signer> = match &args.upgrade_authority {
        Some(p) => Box::new(read_keypair(p)?),
        None => Box::new(read_keypair(&ctx.settings.keypair)?),
    };
    let rpc = &ctx.rpc;
    println!("Deploying {} bytes to {} at {}", so.len(), rpc.url(), program.pubkey());
    let mut shown = 0;
    let d = credit_client::deploy::deploy(
        rpc,
        &so,
        &program,
        payer,
        authority.as_ref(),
        args.max_len,
        &mut |done, total| {
            if done * 10 / total.max(1) > shown {
                shown = done * 10 / total.max(1);
                println!("  buffer {}%", shown * 10);
            }
        },
    )?;
    println!(
        "Program Id: {} ({}, {} transactions; upgrade authority {})",
        d.program_id,
        if d.upgraded { "upgraded" } else { "deployed" },
        d.transactions,
        authority.pubkey()
    );
    Ok(())
}
