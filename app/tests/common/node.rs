//! The local network as a separate process, as a user starts it (`app localnet`), stopped by its
//! pid: what the end-to-end test drives the CLI against.
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::json;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::request::RpcRequest;
use solana_sdk::signature::{write_keypair_file, Keypair, Signer};

use super::{Cli, Wallet, SOL};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub struct LocalnetProcess {
    child: Child,
    pub url: String,
    pub rpc_port: u16,
    pub dir: PathBuf,
    /// The program's upgrade authority (the `-k` of `app localnet`).
    pub authority: Wallet,
    /// What the process printed, line by line.
    lines: mpsc::Receiver<String>,
}

impl LocalnetProcess {
    /// `app -k <authority> localnet --rpc-port P --ws-port Q --program $SBF_OUT_DIR/... --slot-ms 50`,
    /// waiting until it prints its URL.
    pub fn start(name: &str) -> LocalnetProcess {
        let dir = std::env::temp_dir().join(format!("credits-e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("test directory");
        let key = Keypair::new();
        let path = dir.join("authority.json");
        write_keypair_file(&key, &path).expect("write keypair");
        let so = PathBuf::from(std::env::var("SBF_OUT_DIR").expect("SBF_OUT_DIR")).join("compute_credits.so");
        let (rpc_port, ws_port) = (free_port(), free_port());
        let mut child = Command::new(env!("CARGO_BIN_EXE_app"))
            .args(["-k", path.to_str().unwrap(), "localnet"])
            .args(["--rpc-port", &rpc_port.to_string(), "--ws-port", &ws_port.to_string()])
            .args(["--program", so.to_str().unwrap(), "--slot-ms", "50"])
            .env("HOME", &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start app localnet");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(120);
        let url = loop {
            let left =
                deadline.checked_duration_since(Instant::now()).expect("localnet printed no URL in 120 s");
            let line = lines.recv_timeout(left).expect("localnet exited before printing its URL");
            if let Some(url) = line.strip_prefix("JSON RPC URL: ") {
                break url.to_string();
            }
        };
        assert_eq!(url, format!("http://127.0.0.1:{rpc_port}"));
        let authority = Wallet { key, path };
        LocalnetProcess { child, url, rpc_port, dir, authority, lines }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn cli(&self) -> Cli {
        Cli { url: self.url.clone(), home: self.dir.clone() }
    }

    pub fn rpc(&self) -> RpcClient {
        RpcClient::new_with_commitment(
            self.url.clone(),
            solana_commitment_config::CommitmentConfig::confirmed(),
        )
    }

    fn cheat(&self, method: &'static str, params: serde_json::Value) {
        self.rpc()
            .send::<serde_json::Value>(RpcRequest::Custom { method }, params)
            .unwrap_or_else(|e| panic!("{method}: {e}"));
    }

    /// A new wallet (its keypair file in the test directory) holding 100 SOL.
    pub fn wallet(&self, name: &str) -> Wallet {
        let key = Keypair::new();
        let path = self.dir.join(format!("{name}.json"));
        write_keypair_file(&key, &path).expect("write keypair");
        self.cheat("surfnet_setAccount", json!([key.pubkey().to_string(), { "lamports": 100 * SOL }]));
        Wallet { key, path }
    }

    /// Moves the cluster's clock to `unix_ts` (surfpool's `surfnet_timeTravel`).
    pub fn time_travel_to(&self, unix_ts: i64) {
        self.cheat("surfnet_timeTravel", json!([{ "absoluteTimestamp": unix_ts * 1000 }]));
    }

    pub fn now(&self) -> i64 {
        credit_client::read::now(&self.rpc()).expect("clock")
    }

    /// Stops the process by its pid (SIGINT, as Ctrl-C), waits for a clean exit, and checks
    /// that it said so and freed its port.
    pub fn stop(mut self) {
        interrupt_and_wait(&mut self.child, &self.lines);
        assert!(TcpListener::bind(("127.0.0.1", self.rpc_port)).is_ok(), "the RPC port is free again");
    }
}

impl Drop for LocalnetProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Stops a `app localnet` process by its pid (SIGINT, as Ctrl-C), waits at most 20 s for a
/// clean exit, and checks it said "Stopped." (`lines`: what it printed).
pub fn interrupt_and_wait(child: &mut Child, lines: &mpsc::Receiver<String>) {
    let pid = child.id() as libc::pid_t;
    // SAFETY: signalling our own child process
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0, "kill -INT {pid}");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "localnet {pid} did not stop within 20 s of SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "localnet exited with {status}");
    let said: Vec<String> = lines.try_iter().collect();
    assert!(said.iter().any(|l| l == "Stopped."), "{said:?}");
}
