//! `app`: run the protocol without a validator, price financing, and measure the program.
//!
//! Every subcommand that touches the chain starts solana-program-test's in-process bank with
//! the real SPL Token / Token-2022 / ATA programs (the same `TestContext` the tests use).
#![allow(deprecated)]

mod commands;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "app", version, about = "Tokenized, blockable compute credits")]
struct Cli {
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
}

// multi-threaded: the RPC client (`localnet`) blocks in place, which a current-thread runtime forbids
#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        #[cfg(feature = "embedded")]
        Command::Demo(args) => commands::demo::run(args).await,
        Command::Calculate(args) => commands::calculate::run(args),
        #[cfg(feature = "embedded")]
        Command::Market(args) => commands::market::run(args).await,
        #[cfg(feature = "embedded")]
        Command::BenchCu(args) => commands::bench::run(args).await,
        Command::Idl(args) => commands::idl::run(args),
        Command::Localnet(args) => commands::localnet::run(args).await,
        // the blocking RPC client may block in place on this multi-threaded runtime
        Command::Deploy(args) => tokio::task::block_in_place(|| commands::deploy::run(args)),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
