//! `market`: an order book on the embedded bank, driven by commands from stdin or a script.
//! Three traders (alice, bob, carol) start with $100,000 and 10,000 GPU-hours each.
use std::io::BufRead;

use clap::Args;
use compute_credits::{OrderArgs, OrderSide, OrderType};
use harness::fixtures::{PlatformFixture, TokenKind, User};
use harness::market::*;
use harness::{Mode, TestContext};
use solana_sdk::signature::Signer;

use super::calculate::usd;
use super::demo::market::render_book;
use super::CliResult;

#[derive(Args)]
pub struct MarketArgs {
    /// Read commands from this file instead of stdin.
    #[arg(long)]
    pub script: Option<std::path::PathBuf>,
    /// Run on the SBF `.so` (target/deploy) instead of the native build.
    #[arg(long)]
    pub sbf: bool,
}

const HELP: &str = "commands:
  place <trader> <bid|ask> <limit|post-only|ioc|fok> <price $> <lots> [expiry-secs]
  take <trader> <bid|ask> <price $> <lots>        (an immediate-or-cancel order)
  cancel <trader> <bid|ask> <price $> <seq>
  settle <trader>                                (withdraw free balances)
  book | balances | wait <secs> | help | quit
traders: alice, bob, carol; prices in dollars per GPU-hour (tick $0.01), lots of 1 GPU-hour";

struct Session {
    ctx: TestContext,
    k: MarketKeys,
    traders: Vec<(&'static str, User)>,
}

fn parse_side(s: &str) -> Result<OrderSide, String> {
    match s {
        "bid" | "buy" => Ok(OrderSide::Bid),
        "ask" | "sell" => Ok(OrderSide::Ask),
        _ => Err(format!("side must be bid or ask, not {s:?}")),
    }
}

fn parse_type(s: &str) -> Result<OrderType, String> {
    match s {
        "limit" => Ok(OrderType::Limit),
        "post-only" => Ok(OrderType::PostOnly),
        "ioc" => Ok(OrderType::ImmediateOrCancel),
        "fok" => Ok(OrderType::FillOrKill),
        _ => Err(format!("order type must be limit, post-only, ioc or fok, not {s:?}")),
    }
}

/// Dollars to ticks of $0.01, without floats.
fn parse_ticks(s: &str) -> Result<u64, String> {
    super::calculate::parse_decimal(s, 2)
}

impl Session {
    fn trader(&self, name: &str) -> Result<&User, String> {
        self.traders.iter().find(|(n, _)| *n == name).map(|(_, u)| u).ok_or(format!("no trader {name:?}"))
    }

    fn name_of(&self, key: &anchor_lang::prelude::Pubkey) -> String {
        self.traders.iter().find(|(_, u)| u.pubkey() == *key).map(|(n, _)| n.to_string()).unwrap_or_default()
    }

    async fn order(&mut self, who: &str, args: OrderArgs) -> Result<String, String> {
        let t = self.trader(who)?;
        let (key, ix) = (t.key.insecure_clone(), place_order(&self.k, t, args));
        let r = self.ctx.send(&[ix], &[&key]).await;
        if r.is_ok() {
            Ok(match self.ctx.mode {
                Mode::Sbf => format!("ok ({} CU)", r.compute_units),
                Mode::Native => "ok".into(),
            })
        } else {
            Err(super::demo::error_name(&r))
        }
    }

    async fn run_line(&mut self, line: &str) -> Result<Option<String>, String> {
        let w: Vec<&str> = line.split_whitespace().collect();
        let out = match w.as_slice() {
            [] => return Ok(None),
            ["help"] => HELP.to_string(),
            ["book"] => {
                let m = market_state(&mut self.ctx, &self.k.market).await;
                render_book(&m, &|k| self.name_of(k))
            }
            ["balances"] => {
                let m = market_state(&mut self.ctx, &self.k.market).await;
                let mut s = String::new();
                for (name, u) in &self.traders {
                    let seat = m.seat_of(&u.pubkey()).map(|i| m.seats[i]).unwrap_or_default();
                    s.push_str(&format!(
                        "  {name:<6} wallet {} GPU-h, {} | in market: free {} GPU-h, {}; locked {} GPU-h, {}\n",
                        self.ctx.balance(u.credits).await / LOT,
                        usd(self.ctx.balance(u.quote).await),
                        seat.base_free / LOT,
                        usd(seat.quote_free),
                        seat.base_locked / LOT,
                        usd(seat.quote_locked)
                    ));
                }
                s.trim_end().to_string()
            }
            ["wait", secs] => {
                let secs: i64 = secs.parse().map_err(|_| "wait takes seconds")?;
                self.ctx.advance_clock(secs).await;
                format!("clock +{secs}s")
            }
            ["place", who, side, kind, price, lots, rest @ ..] => {
                let expiry = match rest {
                    [] => 0,
                    [secs] => self.ctx.now().await + secs.parse::<i64>().map_err(|_| "expiry in seconds")?,
                    _ => return Err("too many words".into()),
                };
                let args = OrderArgs {
                    side: parse_side(side)?,
                    order_type: parse_type(kind)?,
                    price_ticks: parse_ticks(price)?,
                    lots: lots.parse().map_err(|_| "lots must be a whole number")?,
                    expiry,
                };
                self.order(who, args).await?
            }
            ["take", who, side, price, lots] => {
                let args = order(
                    parse_side(side)?,
                    OrderType::ImmediateOrCancel,
                    parse_ticks(price)?,
                    lots.parse().map_err(|_| "lots must be a whole number")?,
                );
                self.order(who, args).await?
            }
            ["cancel", who, side, price, seq] => {
                let t = self.trader(who)?;
                let seq = seq.parse().map_err(|_| "seq must be a number")?;
                let ix = cancel_order(&self.k, &t.pubkey(), parse_side(side)?, parse_ticks(price)?, seq);
                let key = t.key.insecure_clone();
                let r = self.ctx.send(&[ix], &[&key]).await;
                if !r.is_ok() {
                    return Err(super::demo::error_name(&r));
                }
                "cancelled".into()
            }
            ["settle", who] => {
                let t = self.trader(who)?;
                let (key, ix) = (t.key.insecure_clone(), settle_funds(&self.k, t));
                let r = self.ctx.send(&[ix], &[&key]).await;
                if !r.is_ok() {
                    return Err(super::demo::error_name(&r));
                }
                "settled".into()
            }
            ["quit" | "exit"] => return Ok(Some("quit".into())),
            _ => return Err(format!("unknown command {line:?}; try help")),
        };
        Ok(Some(out))
    }
}

pub async fn run(args: MarketArgs) -> CliResult {
    let mode = if args.sbf { Mode::Sbf } else { Mode::Native };
    let input: Box<dyn BufRead> = match &args.script {
        Some(p) => {
            Box::new(std::io::BufReader::new(std::fs::File::open(p).map_err(|e| format!("{p:?}: {e}"))?))
        }
        None => Box::new(std::io::BufReader::new(std::io::stdin())),
    };
    super::open_report()?;
    let mut ctx = TestContext::start_in(mode).await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let market = ctx.keypair();
    let k = MarketKeys::new(&f, &c, market.pubkey());
    let r = create_market_account(&mut ctx, &f, &market, &k, market_params()).await;
    if !r.is_ok() {
        return Err(format!("create_market failed: {:?}", r.result));
    }
    let mut traders = vec![];
    for name in ["alice", "bob", "carol"] {
        let u = f.user(&mut ctx, &c, 100_000_000_000).await;
        f.buy(&mut ctx, &c, &u, 10_000 * LOT).await.result.map_err(|e| e.to_string())?;
        traders.push((name, u));
    }
    say!("market {} on H100 GPU-hours: maker fee 0.10%, taker fee 0.30%. Type help.", k.market);
    let mut session = Session { ctx, k, traders };
    for line in input.lines() {
        let line = line.map_err(|e| e.to_string())?;
        say!("> {line}");
        match session.run_line(line.trim()).await {
            Ok(Some(out)) if out == "quit" => break,
            Ok(Some(out)) => say!("{out}"),
            Ok(None) => {}
            Err(e) => say!("refused: {e}"),
        }
    }
    Ok(())
}
