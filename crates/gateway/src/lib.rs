//! The usage gateway (issue 14): OpenAI-compatible endpoints in front of model upstreams, paid
//! from metering channels. Every request reserves its worst-case cost first, writes a durable
//! receipt, and the settlement worker redeems receipts in batches with the channel's sequence
//! number, so nothing is lost or burned twice across restarts and RPC failures.
pub mod chain;
pub mod client;
pub mod config;
pub mod keys;
pub mod metering;
pub mod server;
pub mod settlement;
pub mod store;
pub mod testing;
pub mod usage;

use std::sync::Arc;

use compute_credits::state::Provider;
use solana_sdk::signature::{read_keypair_file, Keypair, Signer};

use crate::config::Settled;
use crate::store::Store;

/// Opens (and migrates) the store a `database` setting names: `sqlite:<path>` or
/// `postgres://...`.
pub async fn open_store(database: &str) -> Result<Arc<dyn Store>, String> {
    let store: Arc<dyn Store> =
        if database.starts_with("postgres://") || database.starts_with("postgresql://") {
            Arc::new(store::postgres::PostgresStore::connect(database).await.map_err(|e| e.to_string())?)
        } else if let Some(path) = database.strip_prefix("sqlite:") {
            Arc::new(store::sqlite::SqliteStore::open(path).map_err(|e| e.to_string())?)
        } else {
            return Err(format!("database `{database}`: expected sqlite:<path> or postgres://..."));
        };
    store.migrate().await.map_err(|e| e.to_string())?;
    Ok(store)
}

/// Refuses to start with a settlement key the provider's registration does not accept: every
/// batch would be refused (`NotProvider`) after it was served.
fn check_settlement_key(config: &Settled, key: &Keypair) -> Result<(), String> {
    let rpc = solana_rpc_client::rpc_client::RpcClient::new(config.raw.rpc_url.clone());
    let address = credit_client::pda::provider(&config.class, &config.provider_authority);
    let provider: Provider = credit_client::read::program_account(&rpc, &address)
        .map_err(|e| format!("the provider's registration {address}: {e}"))?;
    if !provider.may_settle(&key.pubkey()) {
        return Err(format!(
            "{} is neither the provider's authority nor its settlement key: set it with \
             `app provider settlement-key`",
            key.pubkey()
        ));
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {}
        _ = term.recv() => {}
    }
}

/// A gateway serving in this process (what `run` and the tests start).
pub struct Running {
    pub addr: std::net::SocketAddr,
    stop_serving: tokio::sync::watch::Sender<bool>,
    stop_settling: tokio::sync::watch::Sender<bool>,
    server: tokio::task::JoinHandle<Result<(), String>>,
    worker: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops taking requests, lets those in flight finish, then stops the settlement worker
    /// after one last round (what finished is settled before the process ends).
    pub async fn stop(self) -> Result<(), String> {
        let _ = self.stop_serving.send(true);
        let served = self.server.await.map_err(|e| e.to_string());
        let _ = self.stop_settling.send(true);
        let _ = self.worker.await;
        served?
    }

    /// Waits until the server ends (after `signal` fired), then stops the worker.
    pub async fn until(self, signal: impl std::future::Future<Output = ()>) -> Result<(), String> {
        signal.await;
        self.stop().await
    }
}

/// Checks the settlement key, opens the store, binds `config.raw.listen`, and starts serving
/// and settling.
pub async fn start(config: Settled) -> Result<Running, String> {
    let key = read_keypair_file(&config.raw.settlement_keypair)
        .map_err(|e| format!("settlement keypair {}: {e}", config.raw.settlement_keypair.display()))?;
    let checked = config.clone();
    let key = tokio::task::spawn_blocking(move || check_settlement_key(&checked, &key).map(|()| key))
        .await
        .map_err(|e| e.to_string())??;
    let store = open_store(&config.database).await?;
    let (stop_settling, settling_stopped) = tokio::sync::watch::channel(false);
    let (stop_serving, mut serving_stopped) = tokio::sync::watch::channel(false);
    let mut settler = settlement::Settler::new(store.clone(), config.raw.rpc_url.clone(), Arc::new(key));
    settler.max_receipts = config.raw.settlement.max_receipts;
    settler.interval = std::time::Duration::from_secs(config.raw.settlement.interval_secs);
    settler.stale_hold = std::time::Duration::from_secs(config.raw.settlement.stale_hold_secs);
    if config.database.starts_with("sqlite:") {
        // A SQLite store belongs to one gateway: a hold left by its crash is released now.
        let now = metering::unix_now();
        let released = store.void_stale(now.saturating_add(1), now).await.map_err(|e| e.to_string())?;
        if released > 0 {
            eprintln!("gateway: released {released} hold(s) of requests cut short by the last stop");
        }
    }
    let listener = tokio::net::TcpListener::bind(&config.raw.listen)
        .await
        .map_err(|e| format!("listen on {}: {e}", config.raw.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let worker = tokio::spawn(settler.run(settling_stopped));
    let app = server::router(server::Gateway::new(config, store));
    // Streams go out event by event: without TCP_NODELAY, Nagle and delayed ACKs hold each
    // small write up to 40 ms (measured by the benchmark).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp: &mut tokio::net::TcpStream| {
        let _ = tcp.set_nodelay(true);
    });
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = serving_stopped.wait_for(|s| *s).await;
            })
            .await
            .map_err(|e| e.to_string())
    });
    Ok(Running { addr, stop_serving, stop_settling, server, worker })
}

/// Serves the gateway and runs its settlement worker until Ctrl-C or SIGTERM; prints
/// `gateway listening on http://ADDR` once it accepts requests.
pub async fn run(config: Settled) -> Result<(), String> {
    let summary = format!(
        "  provider {} | class {} | database {} | settlement every {}s",
        config.provider_authority, config.class, config.database, config.raw.settlement.interval_secs
    );
    let running = start(config).await?;
    println!("gateway listening on http://{}", running.addr);
    println!("{summary}");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    running.until(shutdown_signal()).await
}
