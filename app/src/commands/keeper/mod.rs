//! `app keeper`: the protocol's permissionless cranks, round after round.
//!
//! Each round: refreshes the configured Pyth feeds (`refresh_pyth_price`, when the
//! `PriceUpdateV2` is newer than the feed's price); cranks `update_loan` on every open loan that
//! an installment, grace, cure or margin-call deadline (or a price) would move now, and says so
//! when that crank would be refused (a stale price); pulls the resting orders of traders whose
//! credit account is frozen (`cancel_frozen_orders_v2`) and prunes expired orders
//! (`prune_expired`) in every market. Loans and markets are found with `getProgramAccounts`.
//!
//! Idempotent: a crank is simulated first and sent only if it succeeds and changes an account.
//! RPC failures are retried with exponential backoff on fresh connections; a round that still
//! fails is logged and the next one tried later, so the keeper outlives a node that drops or
//! restarts. SIGINT / SIGTERM: the current send finishes, a summary is printed, exit 0.
mod crank;
mod log;
mod pyth;
mod retry;
mod round;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use credit_client::tx::Mode;
use serde_json::json;

use super::CliResult;
use crate::context::{Context, GlobalArgs};
use log::Log;
use retry::{sleep_unless_stopped, Conn};
use round::Keeper;

#[derive(Args)]
#[command(after_help = "Examples:\n  \
    app keeper -u l -k keeper.json --interval 10\n  \
    app keeper -u d --once --output json   (one round, e.g. from cron)\n  \
    app keeper --pyth <FEED>=<PRICE_UPDATE_V2> --pyth-config pyth-feeds.txt\n\n\
    Global flags apply: --priority-fee, --compute-unit-limit, --commitment, --fee-payer;\n\
    --simulate simulates every crank and sends none.")]
pub struct KeeperArgs {
    /// Seconds between the start of one round and the next.
    #[arg(long, default_value_t = 15, value_name = "SECS")]
    pub interval: u64,
    /// Run one round and exit (tests, cron). Exits non-zero when the round could not be
    /// completed or a crank failed on chain.
    #[arg(long)]
    pub once: bool,
    /// A Pyth-priced feed and the PriceUpdateV2 account to refresh it from, as
    /// FEED=PRICE_UPDATE (base58 addresses). Repeatable.
    #[arg(long = "pyth", value_name = "FEED=PRICE_UPDATE")]
    pub pyth: Vec<String>,
    /// A file of FEED=PRICE_UPDATE lines (blank lines and # comments skipped).
    #[arg(long, value_name = "PATH")]
    pub pyth_config: Option<PathBuf>,
}

/// SIGINT and SIGTERM set `stop` (the keeper finishes its current send); a second one exits
/// at once.
fn on_signals(stop: Arc<AtomicBool>) -> Result<(), String> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut int = signal(SignalKind::interrupt()).map_err(|e| format!("SIGINT handler: {e}"))?;
    let mut term = signal(SignalKind::terminate()).map_err(|e| format!("SIGTERM handler: {e}"))?;
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        }
    });
    Ok(())
}

pub async fn run(global: &GlobalArgs, args: KeeperArgs) -> CliResult {
    let ctx = Context::new(global)?;
    if ctx.options.mode == Mode::SignOnly {
        return Err(
            "the keeper sends its cranks itself: --sign-only has nothing to offer it (try --simulate)".into(),
        );
    }
    let pyth = pyth::pairs(&args.pyth, args.pyth_config.as_deref())?;
    let payer = ctx.fee_payer()?;
    let conn = Conn::new(&ctx.settings.json_rpc_url, ctx.settings.commitment);
    let mut keeper = Keeper::new(conn, payer, ctx.options.clone(), pyth, Log::new(ctx.output));
    on_signals(keeper.stop.clone())?;
    // the RPC client blocks: in place, on this multi-threaded runtime (the signal task runs on
    // the other worker)
    tokio::task::block_in_place(|| run_rounds(&mut keeper, &ctx, &args))
}

fn run_rounds(k: &mut Keeper, ctx: &Context, args: &KeeperArgs) -> CliResult {
    let url = &ctx.settings.json_rpc_url;
    let payer = k.payer.pubkey().to_string();
    k.log.line(
        "start",
        &format!(
            "keeper on {url}, fees paid by {payer}, {} Pyth feed(s), {}",
            k.pyth.len(),
            if args.once { "one round".to_string() } else { format!("a round every {} s", args.interval) }
        ),
        json!({ "url": url, "payer": payer, "pythFeeds": k.pyth.len(), "interval": args.interval, "once": args.once }),
    );
    let mut failures_in_a_row = 0u32;
    let mut last_ok;
    loop {
        let before = k.log.totals;
        let started = std::time::Instant::now();
        k.log.totals.rounds += 1;
        let n = k.log.totals.rounds;
        match k.round() {
            Ok(()) => {
                failures_in_a_row = 0;
                last_ok = true;
                let round = k.log.totals.since(&before);
                let mut fields = round.round_json();
                fields["round"] = n.into();
                k.log.line("round", &format!("round {n}: {}", round.cranks_text()), fields);
            }
            Err(e) => {
                failures_in_a_row += 1;
                last_ok = false;
                k.log.totals.failed_rounds += 1;
                let text = format!("round {n} could not complete: {e}");
                k.log.line("round_failed", &text, json!({ "round": n, "error": e.to_string() }));
            }
        }
        if args.once || k.stopping() {
            break;
        }
        // the next round: after the interval, or sooner-then-longer after failures
        let wait = if failures_in_a_row == 0 {
            Duration::from_secs(args.interval).saturating_sub(started.elapsed())
        } else {
            retry::delay(failures_in_a_row).min(Duration::from_secs(args.interval.max(1)))
        };
        if sleep_unless_stopped(wait, &k.stop) {
            break;
        }
    }
    if k.stopping() {
        k.log.line("stopping", "signal received: the current send finished; stopping", json!({}));
    }
    let t = k.log.totals;
    k.log.line("summary", &t.text(), t.json());
    if args.once && !last_ok {
        return Err("the round could not complete (see the log)".into());
    }
    if args.once && t.failed > 0 {
        return Err(format!("{} crank(s) failed on chain (see the log)", t.failed));
    }
    Ok(())
}
