//! `app`: run the protocol without a validator, price financing, and measure the program; and
//! reach a cluster over JSON-RPC with the Solana CLI's conventions (global flags in
//! [`context::GlobalArgs`]: `-u`, `-k`, `-C`, `--commitment`, `--output`, `--priority-fee`,
//! `--compute-unit-limit`, `--simulate`, `--sign-only`, `--blockhash`, `--fee-payer`).
//!
//! `demo`, `market-sim` and `bench-cu` start solana-program-test's in-process bank with the real
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
    /// An order book on the embedded bank, scripted: place, take, cancel, settle, show the book.
    #[cfg(feature = "embedded")]
    MarketSim(commands::market_sim::MarketSimArgs),
    /// Measure every instruction's compute units on the SBF `.so` and write the table.
    #[cfg(feature = "embedded")]
    BenchCu(commands::bench::BenchArgs),
    /// Generate the Anchor IDL, write it to idl/, or check the committed one is current.
    Idl(commands::idl::IdlArgs),
    /// A local JSON-RPC endpoint (127.0.0.1:8899 / 8900) with the program deployed.
    Localnet(commands::localnet::LocalnetArgs),
    /// The usage gateway: OpenAI-compatible endpoints metered against metering channels.
    Gateway(commands::gateway::GatewayArgs),
    /// Serve the web app (web/dist) on 127.0.0.1:8080 with its config pointing at -u / --ws.
    Web(commands::web::WebArgs),
    /// Deploy or upgrade the program through the upgradeable loader, on any cluster.
    Deploy(commands::deploy::DeployArgs),
    /// The platform (admin): init, show, update, propose-admin, accept-admin, set-underwriter.
    Platform(commands::platform::PlatformArgs),
    /// Borrower approvals for compute financing (the underwriter): approve, revoke, show.
    Underwriter(commands::underwriter::UnderwriterArgs),
    /// Credit classes: create, show (metadata, supply), list, pause, resume, use-feed.
    Class(commands::class::ClassArgs),
    /// Compute providers of a class: register, remove, show (admin); settlement-key (the provider).
    Provider(commands::provider::ProviderArgs),
    /// Price feeds: create, configure, publishers, submit, refresh-pyth, resolve, show.
    Feed(commands::feed::FeedArgs),
    /// Lending terms and the underwriting table (admin): configure, show.
    Lending(commands::lending::LendingArgs),
    /// Buy credits at the class's price (creates your credit account if missing).
    Buy(commands::holder::BuyArgs),
    /// Redeem credits for delivered compute: the holder and a registered provider co-sign.
    Redeem(commands::holder::RedeemArgs),
    /// Credit balances of a wallet, by class.
    Balances(commands::holder::BalancesArgs),
    /// The guardian's freeze and thaw of credit accounts.
    Guardian(commands::guardian::GuardianArgs),
    /// A wallet's positions: credits by class (frozen, by whom), loans, market seats.
    Wallet(commands::wallet::PositionsArgs),
    /// Loans over JSON-RPC: lenders, borrowers, the crank, and readers (show, list).
    Loan(commands::loan::LoanArgs),
    /// Metering channels: the holder escrows credits once, the provider redeems metered batches
    /// alone: open, top-up, close, finalize, release, redeem, show, list.
    Channel(commands::channel::ChannelArgs),
    /// A class's order book over JSON-RPC: admin, traders, housekeeping, readers (show, trades).
    Market(commands::market::MarketArgs),
    /// Crank loans past their deadlines, refresh Pyth feeds, pull frozen traders' orders and
    /// prune expired ones, round after round (or --once).
    Keeper(commands::keeper::KeeperArgs),
    /// Send a transaction signed elsewhere (what --sign-only printed), adding signatures.
    Submit(commands::submit::SubmitArgs),
    /// Token utilities (a quote currency on a local network): create-mint, create-account,
    /// mint-to, balance.
    Token(commands::token::TokenArgs),
    /// The SOL balance of an address (default: the signer's).
    Balance(commands::wallet::BalanceArgs),
    /// Request SOL from the cluster's faucet (localnet, devnet, testnet).
    Airdrop(commands::wallet::AirdropArgs),
    /// Send SOL (through the transaction pipeline: every global flag applies).
    Transfer(commands::wallet::TransferArgs),
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
        Command::Calculate(args) => commands::calculate::run(args, global.output),
        #[cfg(feature = "embedded")]
        Command::MarketSim(args) => commands::market_sim::run(args).await,
        Command::Loan(args) => over_rpc(global, |ctx| commands::loan::run(ctx, args)),
        Command::Market(args) => over_rpc(global, |ctx| commands::market::run(ctx, args)),
        Command::Channel(args) => over_rpc(global, |ctx| commands::channel::run(ctx, args)),
        #[cfg(feature = "embedded")]
        Command::BenchCu(args) => commands::bench::run(args).await,
        Command::Idl(args) => commands::idl::run(args),
        Command::Localnet(args) => match Context::new(global) {
            Ok(ctx) => commands::localnet::run(&ctx, args).await,
            Err(e) => Err(e),
        },
        Command::Web(args) => match Context::new(global) {
            Ok(ctx) => commands::web::run(&ctx, args).await,
            Err(e) => Err(e),
        },
        Command::Gateway(args) => commands::gateway::run(args).await,
        Command::Deploy(args) => over_rpc(global, |ctx| commands::deploy::run(ctx, args)),
        Command::Submit(args) => over_rpc(global, |ctx| commands::submit::run(ctx, args)),
        Command::Balance(args) => over_rpc(global, |ctx| commands::wallet::balance(ctx, args)),
        Command::Airdrop(args) => over_rpc(global, |ctx| commands::wallet::airdrop(ctx, args)),
        Command::Transfer(args) => over_rpc(global, |ctx| commands::wallet::transfer(ctx, args)),
        Command::Platform(args) => over_rpc(global, |ctx| commands::platform::run(ctx, args)),
        Command::Underwriter(args) => over_rpc(global, |ctx| commands::underwriter::run(ctx, args)),
        Command::Class(args) => over_rpc(global, |ctx| commands::class::run(ctx, args)),
        Command::Provider(args) => over_rpc(global, |ctx| commands::provider::run(ctx, args)),
        Command::Feed(args) => over_rpc(global, |ctx| commands::feed::run(ctx, args)),
        Command::Lending(args) => over_rpc(global, |ctx| commands::lending::run(ctx, args)),
        Command::Buy(args) => over_rpc(global, |ctx| commands::holder::buy(ctx, args)),
        Command::Redeem(args) => over_rpc(global, |ctx| commands::holder::redeem(ctx, args)),
        Command::Balances(args) => over_rpc(global, |ctx| commands::holder::balances(ctx, args)),
        Command::Guardian(args) => over_rpc(global, |ctx| commands::guardian::run(ctx, args)),
        Command::Wallet(args) => over_rpc(global, |ctx| commands::wallet::positions(ctx, args)),
        Command::Token(args) => over_rpc(global, |ctx| commands::token::run(ctx, args)),
        Command::Keeper(args) => commands::keeper::run(global, args).await,
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
