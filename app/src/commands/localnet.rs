//! `localnet`: a local JSON-RPC endpoint with the program deployed, for wallets, the CLI, the
//! keeper and the web app (surfpool embedded, offline, loopback only; see `crates/localnet`).
//! What `solana-test-validator --upgradeable-program <ID> <SO> <AUTHORITY>` gives a user with
//! Solana's toolchain. With `--web` it also serves the web app, and with `--seed` it builds the
//! sample world (`web::seed`) and writes `DIR/world.json`: the newcomer's one command.
use std::path::{Path, PathBuf};

use clap::Args;
use localnet::{Blocks, Localnet, Options};
use solana_sdk::signature::{read_keypair_file, write_keypair_file, Keypair, Signer};

use super::web::{self, seed};
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
    /// Also serve the web app (its config pointing at this network).
    #[arg(long)]
    pub web: bool,
    /// The web app's port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub web_port: u16,
    /// The built web app (built from web/ if missing).
    #[arg(long, default_value = "web/dist")]
    pub web_dist: PathBuf,
    /// Build the sample world (platform, class, feed, loans, market, role wallets) and write
    /// DIR/world.json; the keypairs in DIR are reused, DIR/admin.json is the upgrade authority.
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = "target/localnet-world")]
    pub seed: Option<PathBuf>,
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

/// The upgrade authority and its keypair file: DIR/admin.json with `--seed`, else the signer.
fn deployer(ctx: &Context, seed: Option<&Path>) -> Result<(Keypair, PathBuf), String> {
    match seed {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            seed::keypair(dir, "admin")
        }
        None => Ok((authority(&ctx.settings.keypair)?, PathBuf::from(&ctx.settings.keypair))),
    }
}

pub async fn run(ctx: &Context, args: LocalnetArgs) -> CliResult {
    let so = std::fs::read(&args.program).map_err(|e| {
        format!(
            "{}: {e} (build it: bash ../shared/sbf/build-so programs/compute-credits target/deploy)",
            args.program.display()
        )
    })?;
    let (authority, authority_path) = deployer(ctx, args.seed.as_deref())?;
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
    let served = match args.web {
        true => Some(web::start(&args.web_dist, args.web_port, net.rpc_url(), net.ws_url()).await?),
        false => None,
    };
    let app_url = served.as_ref().map(web::Served::url);
    if let Some(dir) = &args.seed {
        println!("Seeding the sample world...");
        let started = std::time::Instant::now();
        let world = tokio::task::block_in_place(|| {
            seed::seed(&net, dir, &authority, &authority_path, app_url.as_deref().unwrap_or(""))
        })?;
        println!("Seeded in {:.1} s", started.elapsed().as_secs_f64());
        println!("Defaulted loan: {}", world["loans"]["defaulted"].as_str().unwrap_or(""));
        println!("Current loan: {}", world["loans"]["current"].as_str().unwrap_or(""));
        println!("Market: {}", world["market"].as_str().unwrap_or(""));
        println!("Wallets (keypair files): {}/<role>.json, roles {}", dir.display(), seed::ROLES.join(", "));
        println!("World: {}", dir.join("world.json").display());
        println!(
            "Usage gateway: app gateway serve --config {} (its model: crates/gateway/scripts/model-server --port 9001 --name smollm2)",
            dir.join("gateway.toml").display()
        );
    }
    if let Some(url) = &app_url {
        println!("App: {url}");
    }
    println!("Offline, loopback only. Ctrl-C (SIGINT) or SIGTERM stops it.");
    web::until_stopped().await?;
    drop(served);
    net.stop()?;
    println!("Stopped.");
    Ok(())
}
