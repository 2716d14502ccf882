//! `web`: the web app (`web/`, a static build) served on loopback with its runtime config, the
//! endpoints of the global `-u` / `--ws` flags; and what `localnet --web --seed` adds: the
//! sample world a newcomer opens it on (`seed`).
pub mod dist;
pub mod seed;
mod seed_channel;
mod seed_market;
pub mod server;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use serde_json::json;

use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct WebArgs {
    /// The built app (`npm run build` in web/ writes it; built here if missing).
    #[arg(long, default_value = "web/dist")]
    pub dist: PathBuf,
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
}

/// The wallet chain's cluster name of an RPC URL: loopback is `localnet`.
pub fn cluster(rpc_url: &str) -> &'static str {
    let host = url::Url::parse(rpc_url).ok().and_then(|u| u.host_str().map(str::to_string));
    match host.as_deref() {
        Some("127.0.0.1" | "localhost" | "[::1]" | "::1") => "localnet",
        Some(h) if h.contains("devnet") => "devnet",
        Some(h) if h.contains("testnet") => "testnet",
        _ => "mainnet",
    }
}

/// The app's `/config.json`.
pub fn config_json(rpc_url: &str, ws_url: &str) -> Vec<u8> {
    let config = json!({
        "rpcUrl": rpc_url,
        "wsUrl": ws_url,
        "cluster": cluster(rpc_url),
        "programId": compute_credits::ID.to_string(),
    });
    serde_json::to_vec_pretty(&config).expect("JSON value")
}

/// A running server: its address and task (aborted when dropped).
pub struct Served {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Served {
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `dist` (built first if missing) with the config of these endpoints on 127.0.0.1.
pub async fn start(dist: &Path, port: u16, rpc_url: &str, ws_url: &str) -> Result<Served, String> {
    tokio::task::block_in_place(|| dist::ensure_built(dist))?;
    let canonical = dist.canonicalize().map_err(|e| format!("{}: {e}", dist.display()))?;
    let site = server::Site { dist: canonical, config_json: config_json(rpc_url, ws_url) };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| format!("127.0.0.1:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let task = tokio::spawn(server::serve(listener, Arc::new(site)));
    Ok(Served { addr, task })
}

/// Waits for Ctrl-C (SIGINT) or SIGTERM.
pub async fn until_stopped() -> CliResult {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r.map_err(|e| e.to_string()),
        _ = term.recv() => Ok(()),
    }
}

pub async fn run(ctx: &Context, args: WebArgs) -> CliResult {
    let (rpc, ws) = (&ctx.settings.json_rpc_url, &ctx.settings.websocket_url);
    let served = start(&args.dist, args.port, rpc, ws).await?;
    println!("JSON RPC URL: {rpc}");
    println!("Websocket URL: {ws}");
    println!("App: {}", served.url());
    println!("Loopback only. Ctrl-C (SIGINT) or SIGTERM stops it.");
    until_stopped().await?;
    drop(served);
    println!("Stopped.");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_names_the_cluster_by_its_url() {
        let c: serde_json::Value =
            serde_json::from_slice(&config_json("http://127.0.0.1:18899", "ws://127.0.0.1:18900")).unwrap();
        assert_eq!(c["cluster"], "localnet");
        assert_eq!(c["rpcUrl"], "http://127.0.0.1:18899");
        assert_eq!(c["wsUrl"], "ws://127.0.0.1:18900");
        assert_eq!(c["programId"], compute_credits::ID.to_string());
        assert_eq!(cluster("https://api.devnet.solana.com"), "devnet");
        assert_eq!(cluster("https://api.mainnet-beta.solana.com"), "mainnet");
    }
}
