//! `app`: run the protocol without a validator, price financing, and measure the program; and
//! reach a cluster over JSON-RPC with the Solana CLI's conventions (global flags in
//! [`context::GlobalArgs`]: `-u`, `-k`, `-C`, `--commitment`, `--output`, `--priority-fee`,
//! `--compute-unit-limit`, `--simulate`, `--sign-only`, `--blockhash`, `--fee-payer`).
//!
//! `demo`, `market` and `bench-cu` start solana-program-test's in-process bank with the real
//! SPL Token / Token-2022 / ATA programs (the same `TestContext` the tests use).
#![allow(deprecated)]

mod commands;
mod context;

use clap::{Parser, Subcommand};
use context::{Context, GlobalArgs};

#[derive(Parser)]
#[command(name = "app", version, about = "Tokenized, blockable compute credits")]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Walk the protocol's lifecycle on an embedded bank and print a report.
    #[cfg(feature = "embedded")]
    Demo(commands::demo::DemoArgs),
    /// Financing arithmetic: credits issued, interest, net value, cost reduction, break-even.
    Calculate(commands::calculate::CalculateArgs),
    /// An order book on the embedded bank: place, take, cancel, settle, show the book.
    #[cfg(feature = "embedded")]
    Market(commands::market::MarketArgs),
    /// Measure every instruction's compute units on the SBF `.so` and write the table.
    #[cfg(feature = "embedded")]
    BenchCu(commands::bench::BenchArgs),
    /// Generate the Anchor IDL, write it to idl/, or check the committed one is current.
    Idl(commands::idl::IdlArgs),
    /// A local JSON-RPC endpoint (127.0.0.1:8899 / 8900) with the program deployed.
    Localnet(commands::localnet::LocalnetArgs),
    /// Deploy or upgrade the program through the upgradeable loader, on any cluster.
    Deploy(commands::deploy::DeployArgs),
    /// Send a transaction signed elsewhere (what --sign-only printed), adding signatures.
    Submit(commands::submit::SubmitArgs),
    /// The SOL balance of an address (default: the signer's).
    Balance(commands::wallet::BalanceArgs),
    /// Request SOL from the cluster's faucet (localnet, devnet, testnet).
    Airdrop(commands::wallet::AirdropArgs),
    /// Send SOL (through the transaction pipeline: every global flag applies).
    Transfer(commands::wallet::TransferArgs),
    /// Crank loans past their deadlines, refresh Pyth feeds, pull frozen traders' orders and
    /// prune expired ones, round after round (or --once).
    Keeper(commands::keeper::KeeperArgs),
}

/// A command over JSON-RPC: its context from the global flags, run where the blocking RPC client
/// may block in place (this multi-threaded runtime allows it).
fn over_rpc(
    global: &GlobalArgs,
    command: impl FnOnce(&Context) -> commands::CliResult,
) -> commands::CliResult {
    tokio::task::block_in_place(|| command(&Context::new(global)?))
}

// multi-threaded: the RPC client (`localnet`) blocks in place, which a current-thread runtime forbids
#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let cli = Cli::parse();
    let global = &cli.global;
    let result = match cli.command {
        #[cfg(feature = "embedded")]
        Command::Demo(args) => commands::demo::run(args, global).await,
        Command::Calculate(args) => commands::calculate::run(args),
        #[cfg(feature = "embedded")]
        Command::Market(args) => commands::market::run(args).await,
        #[cfg(feature = "embedded")]
        Command::BenchCu(args) => commands::bench::run(args).await,
        Command::Idl(args) => commands::idl::run(args),
        Command::Localnet(args) => match Context::new(global) {
            Ok(ctx) => commands::localnet::run(&ctx, args).await,
            Err(e) => Err(e),
        },
        Command::Deploy(args) => over_rpc(global, |ctx| commands::deploy::run(ctx, args)),
        Command::Submit(args) => over_rpc(global, |ctx| commands::submit::run(ctx, args)),
        Command::Balance(args) => over_rpc(global, |ctx| commands::wallet::balance(ctx, args)),
        Command::Airdrop(args) => over_rpc(global, |ctx| commands::wallet::airdrop(ctx, args)),
        Command::Transfer(args) => over_rpc(global, |ctx| commands::wallet::transfer(ctx, args)),
        Command::Keeper(args) => commands::keeper::run(global, args).await,
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
