//! `localnet`: a local JSON-RPC endpoint with the program deployed, for wallets, the CLI, the
//! keeper and the web app (surfpool embedded, offline, loopback only; see `crates/localnet`).
//! What `solana-test-validator --upgradeable-program <ID> <SO> <AUTHORITY>` gives a user with
//! Solana's toolchain.
use std::path::PathBuf;

use clap::Args;
use localnet::{Blocks, Localnet, Options};
use solana_sdk::signature::{read_keypair_file, write_keypair_file, Keypair, Signer};

use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct LocalnetArgs {
    /// JSON-RPC port (0: any free port).
    #[arg(long, default_value_t = 8899)]
    pub rpc_port: u16,
    /// Websocket port (0: any free port).
    #[arg(long, default_value_t = 8900)]
    pub ws_port: u16,
    /// The program to load (the SBF kit's output).
    #[arg(long, default_value = "target/deploy/compute_credits.so")]
    pub program: PathBuf,
    /// Milliseconds per slot (a validator's 400 by default); 0 produces a block per transaction.
    #[arg(long, default_value_t = 400)]
    pub slot_ms: u64,
}

/// The signer (-k, else the Solana CLI config's keypair) is the program's upgrade authority,
/// funded at start (the deployer, as after `solana program deploy`); a keypair file that does not
/// exist yet is created.
fn authority(path: &str) -> Result<Keypair, String> {
    let path = PathBuf::from(path);
    if path.exists() {
        return read_keypair_file(&path).map_err(|e| format!("{}: {e}", path.display()));
    }
    let key = Keypair::new();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    write_keypair_file(&key, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("Wrote a new keypair to {} (as `solana-keygen new` would)", path.display());
    Ok(key)
}

pub async fn run(ctx: &Context, args: LocalnetArgs) -> CliResult {
    let so = std::fs::read(&args.program).map_err(|e| {
        format!(
            "{}: {e} (build it: bash ../shared/sbf/build-so programs/compute-credits target/deploy)",
            args.program.display()
        )
    })?;
    let authority = authority(&ctx.settings.keypair)?;
    let blocks = match args.slot_ms {
        0 => Blocks::Transaction,
        slot_ms => Blocks::Clock { slot_ms },
    };
    let options = Options {
        rpc_port: args.rpc_port,
        ws_port: args.ws_port,
        blocks,
        airdrop: vec![authority.pubkey()],
        ..Options::default()
    };
    let mut net = Localnet::start(options)?;
    net.write_program(&compute_credits::ID, &so, &authority.pubkey())?;
    println!("JSON RPC URL: {}", net.rpc_url());
    println!("Websocket URL: {}", net.ws_url());
    println!("Program: {} ({} bytes, upgradeable loader)", compute_credits::ID, so.len());
    println!("Upgrade authority: {} (100 SOL)", authority.pubkey());
    println!("Offline, loopback only. Ctrl-C (SIGINT) or SIGTERM stops it.");
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| e.to_string())?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r.map_err(|e| e.to_string())?,
        _ = term.recv() => {}
    }
    net.stop()?;
    println!("Stopped.");
    Ok(())
}
