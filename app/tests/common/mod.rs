//! What every CLI test over JSON-RPC shares: a local network (surfpool, in this process) with
//! the kit-built `.so` under the upgradeable loader, keypair files for the roles, and the `app`
//! binary run as a user runs it (`-u <url> -k <keypair file> ...`), its output read back.
//! Needs `$SBF_OUT_DIR/compute_credits.so` (`scripts/test` runs these in its `.so` step).
#![allow(dead_code)]

pub mod node;
pub mod wallet_view;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use localnet::{Blocks, Localnet, Options};
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{write_keypair_file, Keypair, Signer};

/// SOL each role's keypair holds.
pub const SOL: u64 = 1_000_000_000;

pub fn program_so() -> Vec<u8> {
    let dir =
        std::env::var("SBF_OUT_DIR").expect("SBF_OUT_DIR: the directory of the kit-built compute_credits.so");
    let path = Path::new(&dir).join("compute_credits.so");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `class create` of an H100 GPU-hour credit at a $2.50 list price in `quote_mint`, with its
/// Token-2022 metadata (what the admin's tests and the end-to-end test create).
pub fn create_h100_class(quote_mint: &str) -> [&str; 14] {
    [
        "class",
        "create",
        "--name",
        "H100 GPU-hour credit",
        "--symbol",
        "H100H",
        "--uri",
        "https://example.com/h100.json",
        "--unit",
        "H100 GPU-hour",
        "--list-price",
        "2.50",
        "--quote-mint",
        quote_mint,
    ]
}

/// A wallet: its keypair and the file the CLI reads it from.
pub struct Wallet {
    pub key: Keypair,
    pub path: PathBuf,
}

impl Wallet {
    pub fn pubkey(&self) -> Pubkey {
        self.key.pubkey()
    }

    /// The path as the CLI's `-k` takes it.
    pub fn k(&self) -> &str {
        self.path.to_str().expect("utf-8 path")
    }
}

/// A local network with the program, and the directory of the test's keypair files.
pub struct TestNet {
    pub net: Localnet,
    pub dir: PathBuf,
    /// The program's upgrade authority (the deployer).
    pub authority: Wallet,
}

impl TestNet {
    /// Starts surfpool on free loopback ports with the `.so`, its upgrade authority funded.
    pub fn start(name: &str) -> TestNet {
        let dir = std::env::temp_dir().join(format!("credits-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("test directory");
        let authority = Keypair::new();
        let options = Options {
            rpc_port: 0,
            ws_port: 0,
            blocks: Blocks::Clock { slot_ms: 50 },
            airdrop: vec![authority.pubkey()],
            airdrop_lamports: 1_000 * SOL,
            ..Options::default()
        };
        let net = Localnet::start(options).expect("localnet starts");
        net.write_program(&compute_credits::ID, &program_so(), &authority.pubkey()).expect("program written");
        let path = dir.join("authority.json");
        write_keypair_file(&authority, &path).expect("write keypair");
        TestNet { net, dir, authority: Wallet { key: authority, path } }
    }

    pub fn url(&self) -> &str {
        self.net.rpc_url()
    }

    pub fn rpc(&self) -> RpcClient {
        RpcClient::new_with_commitment(
            self.url().to_string(),
            solana_commitment_config::CommitmentConfig::confirmed(),
        )
    }

    /// A new wallet named `name` (its keypair file in the test directory), holding 100 SOL.
    pub fn wallet(&self, name: &str) -> Wallet {
        let key = Keypair::new();
        let path = self.dir.join(format!("{name}.json"));
        write_keypair_file(&key, &path).expect("write keypair");
        self.net.fund_sol(&key.pubkey(), 100 * SOL).expect("fund");
        Wallet { key, path }
    }

    /// The CLI pointed at this network.
    pub fn cli(&self) -> Cli {
        Cli { url: self.url().to_string(), home: self.dir.clone() }
    }

    pub fn run(&self, wallet: &Wallet, args: &[&str]) -> Output {
        self.cli().run(wallet, args)
    }

    pub fn ok(&self, wallet: &Wallet, args: &[&str]) -> String {
        self.cli().ok(wallet, args)
    }

    pub fn json(&self, wallet: &Wallet, args: &[&str]) -> serde_json::Value {
        self.cli().json(wallet, args)
    }

    pub fn fails(&self, wallet: &Wallet, args: &[&str]) -> String {
        self.cli().fails(wallet, args)
    }

    /// Moves the cluster's clock to `unix_ts`.
    pub fn time_travel_to(&self, unix_ts: i64) {
        self.net.time_travel_to(unix_ts).expect("time travel");
    }

    /// The cluster's clock.
    pub fn now(&self) -> i64 {
        credit_client::read::now(&self.rpc()).expect("clock")
    }
}

impl Drop for TestNet {
    fn drop(&mut self) {
        let _ = self.net.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The `app` binary as a user runs it against one endpoint: `app -u <url> -k <wallet> ...`,
/// with `HOME` in the test's directory so no Solana CLI config of the machine leaks in.
pub struct Cli {
    pub url: String,
    pub home: PathBuf,
}

impl Cli {
    /// Runs `app -u <url> -k <wallet> args...` and returns what it printed and its status.
    pub fn run(&self, wallet: &Wallet, args: &[&str]) -> Output {
        self.run_k(wallet.k(), args)
    }

    /// Runs `app -u <url> -k <signer> args...` where the signer may be a public key (it signs
    /// elsewhere: `--sign-only`).
    pub fn run_k(&self, signer: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_app"))
            .args(["-u", &self.url, "-k", signer])
            .args(args)
            // no Solana CLI config of the machine's user leaks in
            .env("HOME", &self.home)
            .output()
            .expect("run the app binary")
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, wallet: &Wallet, args: &[&str]) -> String {
        let out = self.run(wallet, args);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(
            out.status.success(),
            "`app {}` failed ({}):\nstdout:\n{stdout}\nstderr:\n{stderr}",
            args.join(" "),
            out.status
        );
        stdout.into_owned()
    }

    /// Runs a command with `--output json` that must succeed; returns the parsed JSON.
    pub fn json(&self, wallet: &Wallet, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend(["--output", "json"]);
        let stdout = self.ok(wallet, &all);
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("`app {}` printed no JSON ({e}):\n{stdout}", all.join(" ")))
    }

    /// Runs a command that must fail; returns its stderr (where the named error is).
    pub fn fails(&self, wallet: &Wallet, args: &[&str]) -> String {
        let out = self.run(wallet, args);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(
            !out.status.success(),
            "`app {}` should have failed:\nstdout:\n{stdout}\nstderr:\n{stderr}",
            args.join(" ")
        );
        stderr.into_owned()
    }
}
