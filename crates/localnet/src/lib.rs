//! A local Solana JSON-RPC endpoint for the protocol: surfpool (the Solana Foundation's local
//! network) embedded as a library, offline and on loopback only, with the program written under
//! the upgradeable loader (ProgramData and a real upgrade authority, as `initialize_platform`
//! requires) and cheatcodes for funding and time travel.
//!
//! `surfpool-sdk`'s own builder binds random ports; [`Localnet::start`] starts `surfpool-core`
//! with the ports asked for (8899 / 8900 by default, as `solana-test-validator`), or random ones
//! with port 0. Its simnet is always offline: surfpool's defaults point at mainnet.
use std::net::TcpListener;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use serde_json::{json, Value};
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::request::RpcRequest;
use solana_sdk::pubkey::Pubkey;
use surfpool_core::surfnet::locker::SurfnetSvmLocker;
use surfpool_core::surfnet::svm::{SurfnetSvm, SurfnetSvmConfig};
use surfpool_types::{
    BlockProductionMode, RpcConfig, SimnetCommand, SimnetConfig, SimnetEvent, SurfpoolConfig,
    SvmFeatureConfig,
};

/// How blocks are produced: `Clock` advances a slot every `slot_ms` like a validator (for the
/// CLI, the keeper and the web app); `Transaction` advances one per transaction (fast tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocks {
    Clock { slot_ms: u64 },
    Transaction,
}

/// What to start.
#[derive(Clone, Debug)]
pub struct Options {
    /// Only loopback: nothing else is reachable, and nothing else should reach a dev node.
    pub bind_host: String,
    /// 0 picks a free port.
    pub rpc_port: u16,
    pub ws_port: u16,
    pub blocks: Blocks,
    /// Funded at start with `airdrop_lamports` each.
    pub airdrop: Vec<Pubkey>,
    pub airdrop_lamports: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bind_host: "127.0.0.1".into(),
            rpc_port: 8899,
            ws_port: 8900,
            blocks: Blocks::Clock { slot_ms: 400 },
            airdrop: vec![],
            airdrop_lamports: 100_000_000_000,
        }
    }
}

/// A running local network. Stops when dropped.
pub struct Localnet {
    rpc_url: String,
    ws_url: String,
    commands: Sender<SimnetCommand>,
    /// One message per server that acknowledged a shutdown.
    shutdowns: Receiver<()>,
    stopped: bool,
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

impl Localnet {
    /// Starts the network and waits until it serves (and the airdrops landed). Blocking; from
    /// async code, call it on a multi-threaded runtime (the RPC client blocks in place).
    pub fn start(o: Options) -> Result<Localnet, String> {
        let rpc_port = if o.rpc_port == 0 { free_port()? } else { o.rpc_port };
        let ws_port = if o.ws_port == 0 { free_port()? } else { o.ws_port };
        let (block_production_mode, slot_time) = match o.blocks {
            Blocks::Clock { slot_ms } => (BlockProductionMode::Clock, slot_ms),
            Blocks::Transaction => (BlockProductionMode::Transaction, 1),
        };
        let simnet = SimnetConfig {
            offline_mode: true,
            remote_rpc_url: None,
            slot_time,
            block_production_mode,
            airdrop_addresses: o.airdrop.clone(),
            airdrop_token_amount: o.airdrop_lamports,
            // surfpool re-runs every transaction per instruction to profile it: off, a node
            // serving a deploy's thousands of buffer writes cannot afford it
            instruction_profiling_enabled: false,
            ..SimnetConfig::default()
        };
        let config = SurfpoolConfig {
            simnets: vec![simnet],
            rpc: RpcConfig {
                bind_host: o.bind_host.clone(),
                bind_port: rpc_port,
                ws_port,
                ..RpcConfig::default()
            },
            ..SurfpoolConfig::default()
        };
        let s = &config.simnets[0];
        let svm_config = SurfnetSvmConfig {
            surfnet_id: s.surfnet_id.clone(),
            slot_time: s.slot_time,
            instruction_profiling_enabled: s.instruction_profiling_enabled,
            max_profiles: s.max_profiles,
            log_bytes_limit: s.log_bytes_limit,
            feature_config: SvmFeatureConfig::default(),
            skip_blockhash_check: false,
        };
        let (svm, events, geyser) = SurfnetSvm::new(svm_config).map_err(|e| format!("surfnet: {e}"))?;
        let (commands, commands_rx) = crossbeam_channel::unbounded();
        let locker = SurfnetSvmLocker::new(svm);
        let tx = commands.clone();
        std::thread::Builder::new()
            .name("localnet".into())
            .spawn(move || {
                let run = surfpool_core::runloops::start_local_surfnet_runloop(
                    locker,
                    config,
                    tx,
                    commands_rx,
                    geyser,
                );
                if let Err(e) = hiro_system_kit::nestable_block_on(run) {
                    eprintln!("localnet stopped: {e}");
                }
            })
            .map_err(|e| e.to_string())?;
        loop {
            match events.recv() {
                Ok(SimnetEvent::Ready(_)) => break,
                Ok(SimnetEvent::Aborted(e)) => return Err(format!("localnet aborted: {e}")),
                Ok(SimnetEvent::Shutdown) => return Err("localnet shut down while starting".into()),
                Ok(_) => continue,
                Err(e) => return Err(format!("localnet events closed: {e}")),
            }
        }
        // surfpool's event channel is bounded (1,024) and a full one stalls its runloop: a few
        // hundred transactions would hang the node. Drain it for as long as the node runs.
        let (shutdown_tx, shutdowns) = crossbeam_channel::unbounded();
        std::thread::Builder::new()
            .name("localnet-events".into())
            .spawn(move || {
                while let Ok(event) = events.recv() {
                    if let SimnetEvent::Shutdown = event {
                        let _ = shutdown_tx.send(());
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        let net = Localnet {
            rpc_url: format!("http://{}:{rpc_port}", o.bind_host),
            ws_url: format!("ws://{}:{ws_port}", o.bind_host),
            commands,
            shutdowns,
            stopped: false,
        };
        net.wait_for_balances(&o.airdrop, o.airdrop_lamports)?;
        Ok(net)
    }

    pub fn rpc_url(&self) -> &str {
        &self.rpc_url
    }

    pub fn ws_url(&self) -> &str {
        &self.ws_url
    }

    pub fn rpc(&self) -> RpcClient {
        RpcClient::new(self.rpc_url.clone())
    }

    fn wait_for_balances(&self, keys: &[Pubkey], lamports: u64) -> Result<(), String> {
        let rpc = self.rpc();
        let deadline = Instant::now() + Duration::from_secs(10);
        while !keys.iter().all(|k| rpc.get_balance(k).is_ok_and(|b| b >= lamports)) {
            if Instant::now() > deadline {
                return Err("the start-up airdrops did not land".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    /// One of surfpool's `surfnet_*` RPC methods.
    pub fn cheat(&self, method: &'static str, params: Value) -> Result<Value, String> {
        self.rpc().send::<Value>(RpcRequest::Custom { method }, params).map_err(|e| format!("{method}: {e}"))
    }

    /// Writes `so` as `program_id` under the upgradeable loader (program and ProgramData
    /// accounts) with `authority` as its upgrade authority, as `solana program deploy` leaves it.
    pub fn write_program(&self, program_id: &Pubkey, so: &[u8], authority: &Pubkey) -> Result<(), String> {
        // surfpool takes the bytes hex-encoded, in chunks of at most 15 MiB
        const CHUNK: usize = 15 * 1024 * 1024;
        for (i, chunk) in so.chunks(CHUNK).enumerate() {
            self.cheat("surfnet_writeProgram", json!([program_id.to_string(), hex(chunk), i * CHUNK]))?;
        }
        self.cheat("surfnet_setProgramAuthority", json!([program_id.to_string(), authority.to_string()]))?;
        Ok(())
    }

    pub fn fund_sol(&self, key: &Pubkey, lamports: u64) -> Result<(), String> {
        self.cheat("surfnet_setAccount", json!([key.to_string(), { "lamports": lamports }])).map(drop)
    }

    /// Moves the clock to `unix_ts` (seconds).
    pub fn time_travel_to(&self, unix_ts: i64) -> Result<(), String> {
        let ms = u64::try_from(unix_ts).map_err(|_| "time before 1970")? * 1000;
        self.cheat("surfnet_timeTravel", json!([{ "absoluteTimestamp": ms }])).map(drop)
    }

    /// Stops the servers and waits until both acknowledged (their ports are free again).
    pub fn stop(&mut self) -> Result<(), String> {
        if self.stopped {
            return Ok(());
        }
        self.commands.send(SimnetCommand::Terminate(None)).map_err(|e| e.to_string())?;
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut acknowledged = 0;
        while acknowledged < 2 {
            let left =
                deadline.checked_duration_since(Instant::now()).ok_or("localnet did not stop in 5 s")?;
            if self.shutdowns.recv_timeout(left).is_ok() {
                acknowledged += 1;
            }
        }
        self.stopped = true;
        Ok(())
    }
}

impl Drop for Localnet {
    fn drop(&mut self) {
        if !self.stopped {
            let _ = self.commands.send(SimnetCommand::Terminate(None));
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
