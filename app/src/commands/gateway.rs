//! `app gateway serve --config FILE`: the usage gateway (OpenAI-compatible endpoints paid from
//! metering channels, with its settlement worker) until Ctrl-C or SIGTERM.
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::CliResult;

#[derive(Args)]
pub struct GatewayArgs {
    #[command(subcommand)]
    pub command: GatewayCommand,
}

#[derive(Subcommand)]
pub enum GatewayCommand {
    /// Serve the gateway described by a configuration file (see README, "The usage gateway").
    Serve(ServeArgs),
}

#[derive(Args)]
pub struct ServeArgs {
    /// The gateway's TOML configuration.
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: PathBuf,
    /// Listen here instead of the file's `listen` (e.g. 127.0.0.1:0 for any free port).
    #[arg(long)]
    pub listen: Option<String>,
}

pub async fn run(args: GatewayArgs) -> CliResult {
    match args.command {
        GatewayCommand::Serve(a) => {
            let mut config = gateway::config::Config::load(&a.config)?;
            if let Some(l) = a.listen {
                config.raw.listen = l;
            }
            gateway::run(config).await
        }
    }
}
