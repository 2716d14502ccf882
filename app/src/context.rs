//! The global flags every command that talks to a cluster takes, as the Solana CLI has them,
//! and the [`Context`] they resolve into: the RPC client, the signer (`-k`), the fee payer and
//! the transaction pipeline's options. A role command builds its instructions and calls
//! [`Context::run`]:
//!
//! ```ignore
//! pub fn run(ctx: &Context, args: FreezeArgs) -> CliResult {
//!     let lender = ctx.signer()?;
//!     let ix = credit_client::ix::freeze_loan(&lender.pubkey(), &args.loan);
//!     ctx.run(&[ix], &[lender])?; // sends (or simulates, or signs only) and prints the outcome
//!     Ok(())
//! }
//! ```
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use credit_client::config::{self, ConfigFile, Overrides, Settings};
use credit_client::tx::{ComputeUnitLimit, Mode, Options, Outcome, Pipeline, PriorityFee};
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::hash::Hash;
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::Signer;

/// How results are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// For people.
    #[default]
    Display,
    /// Pretty JSON, for scripts.
    Json,
    /// One line of JSON per result.
    JsonCompact,
}

/// The global flags (`global = true`: they go before or after the subcommand).
#[derive(Args, Clone, Debug, Default)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// JSON-RPC URL or moniker: l (localhost), d (devnet), t (testnet), m (mainnet-beta).
    /// Default: `json_rpc_url` of the Solana CLI config.
    #[arg(short = 'u', long, global = true, value_name = "URL_OR_MONIKER")]
    pub url: Option<String>,
    /// Websocket URL. Default: the config's `websocket_url`, else derived from the RPC URL.
    #[arg(long = "ws", global = true, value_name = "URL")]
    pub websocket_url: Option<String>,
    /// The signer: a keypair file (Solana's JSON byte array), or with --sign-only / --simulate a
    /// public key that signs elsewhere. Default: `keypair_path` of the Solana CLI config, else
    /// ~/.config/solana/id.json.
    #[arg(short = 'k', long, global = true, value_name = "KEYPAIR")]
    pub keypair: Option<String>,
    /// The Solana CLI config file. Default: ~/.config/solana/cli/config.yml.
    #[arg(short = 'C', long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Commitment to read and confirm at. Default: the config's `commitment`, else confirmed.
    #[arg(long, global = true, value_parser = ["processed", "confirmed", "finalized"])]
    pub commitment: Option<String>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Output::Display)]
    pub output: Output,
    /// Priority fee: `auto` (the 75th percentile of recent prioritization fees over the
    /// transaction's writable accounts), micro-lamports per compute unit, or 0 for none.
    #[arg(long, global = true, default_value = "auto", value_name = "auto|MICRO_LAMPORTS|0")]
    pub priority_fee: PriorityFee,
    /// Compute-unit limit: `auto` (simulated units + 10% + 1,000) or a number.
    #[arg(long, global = true, default_value = "auto", value_name = "auto|UNITS")]
    pub compute_unit_limit: ComputeUnitLimit,
    /// Simulate: print the logs and compute units, send nothing.
    #[arg(long, global = true, conflicts_with = "sign_only")]
    pub simulate: bool,
    /// Sign with the keys at hand and print the base64 transaction and message and the
    /// signers still missing; send nothing (then `submit` it).
    #[arg(long, global = true)]
    pub sign_only: bool,
    /// A blockhash to sign with instead of the cluster's latest (offline signing: with
    /// --sign-only nothing is asked of the RPC).
    #[arg(long, global = true, value_name = "BLOCKHASH")]
    pub blockhash: Option<Hash>,
    /// The fee payer: a keypair file, or with --sign-only a public key. Default: the signer.
    #[arg(long, global = true, value_name = "KEYPAIR")]
    pub fee_payer: Option<String>,
}

/// What a command that talks to a cluster runs with.
pub struct Context {
    pub settings: Settings,
    pub rpc: RpcClient,
    pub options: Options,
    pub output: Output,
    signer: Result<Box<dyn Signer>, String>,
    fee_payer: Option<Box<dyn Signer>>,
}

impl Context {
    /// Resolves the flags against the Solana CLI config. The signer is loaded now but its
    /// absence is an error only for a command that needs it ([`Context::signer`]).
    pub fn new(g: &GlobalArgs) -> Result<Context, String> {
        let file = ConfigFile::load(g.config.as_deref())?;
        let overrides = Overrides {
            url: g.url.clone(),
            websocket_url: g.websocket_url.clone(),
            keypair: g.keypair.clone(),
            commitment: g.commitment.clone(),
        };
        let settings = config::resolve(&file, &overrides)?;
        if g.blockhash.is_some() && !g.sign_only {
            return Err("--blockhash signs offline: it goes with --sign-only".into());
        }
        let mode = match (g.simulate, g.sign_only) {
            (true, _) => Mode::Simulate,
            (_, true) => Mode::SignOnly,
            _ => Mode::Send,
        };
        // a key that signs elsewhere is a public key: only where no signature is needed here
        let elsewhere_ok = mode != Mode::Send;
        let signer = config::signer_from_source(&settings.keypair, elsewhere_ok).map_err(|e| {
            if g.keypair.is_none() {
                format!("{e} (the default signer; pass -k or set keypair_path with `solana config set`)")
            } else {
                e
            }
        });
        let fee_payer =
            g.fee_payer.as_deref().map(|f| config::signer_from_source(f, elsewhere_ok)).transpose()?;
        let options = Options {
            commitment: settings.commitment,
            compute_unit_limit: g.compute_unit_limit,
            priority_fee: g.priority_fee,
            mode,
            blockhash: g.blockhash,
        };
        let rpc = RpcClient::new_with_commitment(settings.json_rpc_url.clone(), settings.commitment);
        Ok(Context { settings, rpc, options, output: g.output, signer, fee_payer })
    }

    /// The `-k` signer.
    pub fn signer(&self) -> Result<&dyn Signer, String> {
        self.signer.as_ref().map(|s| s.as_ref()).map_err(|e| e.clone())
    }

    /// `--fee-payer`, else the signer.
    pub fn fee_payer(&self) -> Result<&dyn Signer, String> {
        match &self.fee_payer {
            Some(f) => Ok(f.as_ref()),
            None => self.signer(),
        }
    }

    pub fn pipeline(&self) -> Result<Pipeline<'_>, String> {
        Ok(Pipeline::new(&self.rpc, self.fee_payer()?, self.options.clone()))
    }

    /// Sends `instructions` signed by the fee payer and `signers` (or simulates them, or signs
    /// only, by the flags), prints the outcome and returns it.
    pub fn run(&self, instructions: &[Instruction], signers: &[&dyn Signer]) -> Result<Outcome, String> {
        let outcome = self.pipeline()?.run(instructions, signers)?;
        self.print(&outcome.to_string(), &outcome.to_json());
        Ok(outcome)
    }

    /// Prints a result as the output format asks.
    pub fn print(&self, display: &str, json: &serde_json::Value) {
        match self.output {
            Output::Display => println!("{display}"),
            Output::Json => println!("{}", serde_json::to_string_pretty(json).expect("JSON value")),
            Output::JsonCompact => println!("{json}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use solana_sdk::signature::{write_keypair_file, Keypair};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        global: GlobalArgs,
        #[command(subcommand)]
        command: Sub,
    }

    #[derive(clap::Subcommand)]
    enum Sub {
        Role { name: String },
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("app").chain(args.iter().copied()))
    }

    #[test]
    fn global_flags_go_before_or_after_the_subcommand() {
        let dir = std::env::temp_dir().join(format!("app-context-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (key, payer) = (Keypair::new(), Keypair::new());
        let key_path = dir.join("k.json");
        write_keypair_file(&key, &key_path).unwrap();
        let config = dir.join("config.yml");
        std::fs::write(
            &config,
            format!("json_rpc_url: d\nkeypair_path: {}\ncommitment: finalized\n", key_path.display()),
        )
        .unwrap();
        let cli = parse(&["-C", config.to_str().unwrap(), "role", "x", "--output", "json-compact"]).unwrap();
        let ctx = Context::new(&cli.global).unwrap();
        assert_eq!(ctx.settings.json_rpc_url, "https://api.devnet.solana.com");
        assert_eq!(ctx.rpc.url(), "https://api.devnet.solana.com");
        assert_eq!(ctx.signer().unwrap().pubkey(), key.pubkey());
        assert_eq!(ctx.fee_payer().unwrap().pubkey(), key.pubkey());
        assert_eq!(ctx.options.commitment, solana_commitment_config::CommitmentConfig::finalized());
        assert_eq!(ctx.options.mode, Mode::Send);
        assert_eq!(ctx.options.priority_fee, PriorityFee::Auto);
        assert_eq!(ctx.options.compute_unit_limit, ComputeUnitLimit::Simulate);
        assert_eq!(ctx.output, Output::JsonCompact);

        // sign-only: a public key signs elsewhere, an offline blockhash, a fixed budget
        let payer_path = dir.join("payer.json");
        write_keypair_file(&payer, &payer_path).unwrap();
        let vault = solana_sdk::pubkey::Pubkey::new_unique();
        let hash = Hash::new_unique().to_string();
        let cli = parse(&[
            "role",
            "x",
            "-C",
            config.to_str().unwrap(),
            "-u",
            "l",
            "-k",
            &vault.to_string(),
            "--sign-only",
            "--blockhash",
            &hash,
            "--fee-payer",
            payer_path.to_str().unwrap(),
            "--priority-fee",
            "5000",
            "--compute-unit-limit",
            "80000",
            "--commitment",
            "processed",
        ])
        .unwrap();
        let ctx = Context::new(&cli.global).unwrap();
        assert_eq!(ctx.settings.json_rpc_url, "http://127.0.0.1:8899");
        assert_eq!(ctx.signer().unwrap().pubkey(), vault);
        assert_eq!(ctx.fee_payer().unwrap().pubkey(), payer.pubkey());
        assert_eq!(ctx.options.mode, Mode::SignOnly);
        assert_eq!(ctx.options.blockhash, Some(hash.parse().unwrap()));
        assert_eq!(ctx.options.priority_fee, PriorityFee::MicroLamports(5000));
        assert_eq!(ctx.options.compute_unit_limit, ComputeUnitLimit::Fixed(80_000));
        assert_eq!(ctx.options.commitment, solana_commitment_config::CommitmentConfig::processed());

        // a public key cannot sign a transaction that is sent
        let cli = parse(&["-C", config.to_str().unwrap(), "-k", &vault.to_string(), "role", "x"]).unwrap();
        let ctx = Context::new(&cli.global).unwrap();
        assert!(ctx.signer().err().unwrap().contains("--sign-only"));
        // --blockhash only with --sign-only; --simulate and --sign-only exclude each other
        let cli = parse(&["-C", config.to_str().unwrap(), "--blockhash", &hash, "role", "x"]).unwrap();
        assert!(Context::new(&cli.global).err().unwrap().contains("--sign-only"));
        assert!(parse(&["--simulate", "--sign-only", "role", "x"]).is_err());
        assert!(parse(&["--commitment", "max", "role", "x"]).is_err());
        assert!(parse(&["--priority-fee", "lots", "role", "x"]).is_err());
        assert!(parse(&["--output", "yaml", "role", "x"]).is_err());
    }
}
