//! `deploy`: writes the `.so` through the upgradeable loader's buffer, as `solana program
//! deploy` does, to any cluster: a new program (its keypair signs) or an upgrade of an existing
//! one by its upgrade authority.
use std::path::PathBuf;

use clap::Args;
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::signature::{read_keypair_file, Keypair, Signer};

use super::localnet::default_keypair_path;
use super::CliResult;

#[derive(Args)]
pub struct DeployArgs {
    /// The program's `.so`.
    #[arg(default_value = "target/deploy/compute_credits.so")]
    pub program: PathBuf,
    /// The program's keypair: its address is the program id (it must match `declare_id!`).
    #[arg(long)]
    pub program_keypair: PathBuf,
    /// JSON-RPC URL or moniker (l = localhost, d = devnet, t = testnet, m = mainnet-beta).
    #[arg(short = 'u', long, default_value = "l")]
    pub url: String,
    /// Fee payer and, unless --upgrade-authority says otherwise, the upgrade authority.
    /// Default: the Solana CLI config's keypair.
    #[arg(short = 'k', long)]
    pub keypair: Option<PathBuf>,
    /// The upgrade authority's keypair (default: the fee payer).
    #[arg(long)]
    pub upgrade_authority: Option<PathBuf>,
    /// Bytes to reserve in ProgramData for later upgrades (default: the `.so`'s size).
    #[arg(long)]
    pub max_len: Option<usize>,
}

/// A moniker or URL as the Solana CLI reads `-u`.
pub fn rpc_url(url: &str) -> String {
    match url {
        "l" | "localhost" => "http://127.0.0.1:8899",
        "d" | "devnet" => "https://api.devnet.solana.com",
        "t" | "testnet" => "https://api.testnet.solana.com",
        "m" | "mainnet-beta" => "https://api.mainnet-beta.solana.com",
        url => url,
    }
    .to_string()
}

fn keypair(path: &std::path::Path) -> Result<Keypair, String> {
    read_keypair_file(path).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(args: DeployArgs) -> CliResult {
    let so = std::fs::read(&args.program).map_err(|e| format!("{}: {e}", args.program.display()))?;
    let program = keypair(&args.program_keypair)?;
    let payer = keypair(&args.keypair.unwrap_or_else(default_keypair_path))?;
    let authority = match &args.upgrade_authority {
        Some(p) => keypair(p)?,
        None => payer.insecure_clone(),
    };
    let rpc = RpcClient::new(rpc_url(&args.url));
    println!("Deploying {} bytes to {} at {}", so.len(), rpc.url(), program.pubkey());
    let mut shown = 0;
    let d = credit_client::deploy::deploy(
        &rpc,
        &so,
        &program,
        &payer,
        &authority,
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
