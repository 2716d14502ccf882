//! `feed`: a class's price feed (`["price_feed", class]`). The admin creates and configures it,
//! names its publishers and resolves its circuit breaker; publishers `submit` prices; anyone
//! refreshes a Pyth feed from a `PriceUpdateV2` account or reads the feed (`show`).
use clap::{Args, Subcommand, ValueEnum};
use compute_credits::state::PriceFeed;
use compute_credits::{FeedConfig, FeedKind};
use credit_client::{ix, pda, read};
use serde_json::json;
use solana_sdk::pubkey::Pubkey;

use super::args::{Amount, ClassArg};
use super::output::{self, fact, oracle_price};
use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct FeedArgs {
    #[command(subcommand)]
    pub command: FeedCommand,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    /// The median of the feed's own publishers (`feed submit`).
    Native,
    /// A Pyth pull-oracle price (`feed refresh-pyth`).
    Pyth,
}

/// The feed's guards (what `configure` may change; not given: the feed's current value).
#[derive(Args)]
pub struct Guards {
    /// Native feeds: fresh observations an aggregate needs (1..=8).
    #[arg(long)]
    pub min_publishers: Option<u8>,
    /// An observation or aggregate older than this many seconds is stale (1..=86,400).
    #[arg(long)]
    pub max_staleness_secs: Option<u32>,
    /// Confidence may be at most this share of the price, in basis points (1..=2,000).
    #[arg(long)]
    pub max_confidence_bps: Option<u16>,
    /// A move above this (bps) within the deviation window trips the circuit breaker.
    #[arg(long)]
    pub max_deviation_bps: Option<u16>,
    /// The window of the deviation check, in seconds (at least 1).
    #[arg(long)]
    pub deviation_window_secs: Option<u32>,
}

#[derive(Subcommand)]
pub enum FeedCommand {
    /// Create a class's feed (admin). Defaults: 1 publisher, 120 s staleness, 200 bps
    /// confidence, 2,000 bps deviation over 600 s.
    Create {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[arg(long, value_enum, default_value = "native")]
        kind: Kind,
        /// Decimal exponent of every price (fixed at creation).
        #[arg(long, default_value_t = -8, allow_negative_numbers = true)]
        expo: i32,
        /// Pyth feeds: the price feed id (64 hex digits) every update must carry.
        #[arg(long, value_name = "HEX")]
        pyth_feed_id: Option<String>,
        #[command(flatten)]
        guards: Guards,
    },
    /// Change a feed's guards (admin); the kind, exponent and Pyth id stay.
    Configure {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[command(flatten)]
        guards: Guards,
    },
    /// Add a publisher to a native feed (admin).
    AddPublisher {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[arg(help = "The publisher's signing key")]
        publisher: Pubkey,
    },
    /// Remove a publisher (admin).
    RemovePublisher {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[arg(help = "The publisher's signing key")]
        publisher: Pubkey,
    },
    /// Report a price as a publisher (the signer): quote units per credit (2.50) or the raw
    /// mantissa at the feed's exponent (250000000atoms).
    Submit {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[arg(long)]
        price: Amount,
        /// The confidence interval, in the same units.
        #[arg(long)]
        conf: Amount,
    },
    /// Refresh a Pyth feed from a posted `PriceUpdateV2` account (anyone).
    RefreshPyth {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[arg(long)]
        price_update: Pubkey,
    },
    /// Resolve a tripped circuit breaker (admin): --accept the held price, or --reject it.
    Resolve {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        accept: bool,
        #[arg(long)]
        reject: bool,
    },
    /// Print a feed: price, confidence, guards, publishers, the breaker.
    Show {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
    },
}

fn feed_of(ctx: &Context, class: &ClassArg) -> Result<(Pubkey, PriceFeed), String> {
    let key = pda::price_feed(&class.0);
    let f = read::price_feed(&ctx.rpc, &key).map_err(|e| format!("price feed of class {}: {e}", class.0))?;
    Ok((key, f))
}

fn guards_over(g: &Guards, base: FeedConfig) -> FeedConfig {
    FeedConfig {
        min_publishers: g.min_publishers.unwrap_or(base.min_publishers),
        max_staleness_secs: g.max_staleness_secs.unwrap_or(base.max_staleness_secs),
        max_confidence_bps: g.max_confidence_bps.unwrap_or(base.max_confidence_bps),
        max_deviation_bps: g.max_deviation_bps.unwrap_or(base.max_deviation_bps),
        deviation_window_secs: g.deviation_window_secs.unwrap_or(base.deviation_window_secs),
        ..base
    }
}

fn parse_feed_id(hex: &str) -> Result<[u8; 32], String> {
    let hex = hex.trim_start_matches("0x");
    let bad = || format!("`{hex}`: a Pyth feed id is 64 hex digits");
    if hex.len() != 64 {
        return Err(bad());
    }
    let mut id = [0u8; 32];
    for (i, b) in id.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(id)
}

/// A price typed in quote units, as a mantissa at exponent `expo`.
fn mantissa(a: Amount, expo: i32) -> Result<u64, String> {
    match a {
        Amount::Atoms(m) => Ok(m),
        _ if expo > 0 => Err("this feed's exponent is positive: give the mantissa in atoms".into()),
        units => units.atoms(u8::try_from(-expo).map_err(|_| "exponent out of range")?),
    }
}

pub fn run(ctx: &Context, args: FeedArgs) -> CliResult {
    match args.command {
        FeedCommand::Create { class, kind, expo, pyth_feed_id, guards } => {
            let admin = ctx.signer()?;
            let kind = match kind {
                Kind::Native => FeedKind::Native,
                Kind::Pyth => FeedKind::Pyth,
            };
            let defaults = FeedConfig {
                expo,
                min_publishers: if kind == FeedKind::Native { 1 } else { 0 },
                max_staleness_secs: 120,
                max_confidence_bps: 200,
                max_deviation_bps: 2_000,
                deviation_window_secs: 600,
                pyth_feed_id: pyth_feed_id.as_deref().map(parse_feed_id).transpose()?.unwrap_or([0; 32]),
            };
            let ix = ix::create_price_feed(&admin.pubkey(), &class.0, kind, guards_over(&guards, defaults));
            output::run(ctx, &[ix], &[admin], &[fact("priceFeed", pda::price_feed(&class.0))])?;
        }
        FeedCommand::Configure { class, guards } => {
            let admin = ctx.signer()?;
            let (key, f) = feed_of(ctx, &class)?;
            let current = FeedConfig {
                expo: f.expo,
                min_publishers: f.min_publishers,
                max_staleness_secs: f.max_staleness_secs,
                max_confidence_bps: f.max_confidence_bps,
                max_deviation_bps: f.max_deviation_bps,
                deviation_window_secs: f.deviation_window_secs,
                pyth_feed_id: f.pyth_feed_id,
            };
            let ix =
                ix::configure_price_feed(&admin.pubkey(), &key, f.feed_kind(), guards_over(&guards, current));
            ctx.run(&[ix], &[admin])?;
        }
        FeedCommand::AddPublisher { class, publisher } => {
            let admin = ctx.signer()?;
            ctx.run(&[ix::add_publisher(&admin.pubkey(), &pda::price_feed(&class.0), &publisher)], &[admin])?;
        }
        FeedCommand::RemovePublisher { class, publisher } => {
            let admin = ctx.signer()?;
            ctx.run(
                &[ix::remove_publisher(&admin.pubkey(), &pda::price_feed(&class.0), &publisher)],
                &[admin],
            )?;
        }
        FeedCommand::Submit { class, price, conf } => {
            let publisher = ctx.signer()?;
            let (key, f) = feed_of(ctx, &class)?;
            let price = i64::try_from(mantissa(price, f.expo)?).map_err(|_| "price too large")?;
            let conf = mantissa(conf, f.expo)?;
            ctx.run(&[ix::submit_price(&publisher.pubkey(), &key, price, conf)], &[publisher])?;
        }
        FeedCommand::RefreshPyth { class, price_update } => {
            ctx.run(&[ix::refresh_pyth_price(&pda::price_feed(&class.0), &price_update)], &[])?;
        }
        FeedCommand::Resolve { class, accept, reject: _ } => {
            let admin = ctx.signer()?;
            let feed = pda::price_feed(&class.0);
            ctx.run(&[ix::resolve_circuit_breaker(&admin.pubkey(), &feed, accept)], &[admin])?;
        }
        FeedCommand::Show { class } => show(ctx, &class)?,
    }
    Ok(())
}

fn show(ctx: &Context, class: &ClassArg) -> CliResult {
    let (key, f) = feed_of(ctx, class)?;
    let p = |m: u64| oracle_price(i128::from(m), f.expo);
    let kind = if f.feed_kind() == FeedKind::Pyth { "pyth" } else { "native" };
    let mut text = format!(
        "Price feed: {key}\nClass: {}\nKind: {kind}\nPrice: {} ± {} (published at {})\nExponent: {}\n\
         Guards: min publishers {}, staleness {} s, confidence {} bps, deviation {} bps over {} s",
        f.class,
        p(f.price),
        p(f.conf),
        f.publish_time,
        f.expo,
        f.min_publishers,
        f.max_staleness_secs,
        f.max_confidence_bps,
        f.max_deviation_bps,
        f.deviation_window_secs
    );
    if f.is_tripped() {
        text.push_str(&format!(
            "\nCircuit breaker: TRIPPED, holding {} ± {} (published at {}): `app feed resolve`",
            p(f.pending_price),
            p(f.pending_conf),
            f.pending_publish_time
        ));
    }
    for s in f.publishers() {
        text.push_str(&format!(
            "\nPublisher {}: {} ± {} at {}",
            s.authority,
            p(s.price as u64),
            p(s.conf),
            s.publish_time
        ));
    }
    let publishers: Vec<_> = f
        .publishers()
        .iter()
        .map(|s| json!({ "authority": s.authority.to_string(), "price": s.price, "conf": s.conf, "publishTime": s.publish_time }))
        .collect();
    ctx.print(
        &text,
        &json!({
            "address": key.to_string(),
            "class": f.class.to_string(),
            "kind": kind,
            "price": f.price,
            "conf": f.conf,
            "expo": f.expo,
            "priceUi": p(f.price),
            "publishTime": f.publish_time,
            "tripped": f.is_tripped(),
            "pendingPrice": f.pending_price,
            "pendingConf": f.pending_conf,
            "minPublishers": f.min_publishers,
            "maxStalenessSecs": f.max_staleness_secs,
            "maxConfidenceBps": f.max_confidence_bps,
            "maxDeviationBps": f.max_deviation_bps,
            "deviationWindowSecs": f.deviation_window_secs,
            "publishers": publishers,
        }),
    );
    Ok(())
}
