//! `market-sim`: a market v2 order book on the embedded bank, driven by commands from stdin or a
//! script (lines starting with `#` are comments). Three traders (alice, bob, carol) start with $100,000 and 10,000 GPU-hours in their
//! wallets and a seat each; `deposit` moves funds into the seat, orders trade from it.
use std::io::BufRead;

use clap::Args;
use compute_credits::{
    BatchPlaceArgs, MarketAsset, OrderSide, OrderType, PlaceOrderV2Args, SelfTradeBehavior,
};
use harness::fixtures::{PlatformFixture, TokenKind, User};
use harness::market::{MarketKeys, LOT};
use harness::market_v2::*;
use harness::market_v2_ix::*;
use harness::{Mode, TestContext, TxResult};
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::Signer;

use super::calculate::usd;
use super::demo::market::{render_book, render_seat};
use super::CliResult;

#[derive(Args)]
pub struct MarketSimArgs {
    /// Read commands from this file instead of stdin.
    #[arg(long)]
    pub script: Option<std::path::PathBuf>,
    /// Run on the SBF `.so` (target/deploy) instead of the native build.
    #[arg(long)]
    pub sbf: bool,
}

const HELP: &str = "commands:
  deposit <trader> <credits|quote> <amount>       (GPU-hours or dollars, wallet -> seat)
  withdraw <trader> <credits|quote> <amount|all>  (seat -> wallet)
  place <trader> <bid|ask> <limit|post-only|ioc|fok> <price $> <lots> [expiry-secs]
  take <trader> <bid|ask> <price $> <lots>        (immediate-or-cancel, from the seat)
  cancel <trader> <bid|ask> <price $> <seq>
  cancel-all <trader>
  batch <trader> [cancel-all] <bid|ask> <price $> <lots> [<bid|ask> <price $> <lots> ...]
                                                  (post-only orders, all or nothing)
  swap <trader> <buy|sell> <amount> <limit $> [min-out]
                                                  (no seat, wallet to wallet: buy spends dollars,
                                                   sell sells GPU-hours; min-out in the other unit)
  book | balances | wait <secs> | help | quit
traders: alice, bob, carol; prices in dollars per GPU-hour (tick $0.01), lots of 1 GPU-hour";

struct Session {
    ctx: TestContext,
    k: MarketKeys,
    traders: Vec<(&'static str, User, u32)>,
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

fn parse_asset(s: &str) -> Result<MarketAsset, String> {
    match s {
        "credits" | "gpu-hours" => Ok(MarketAsset::Credits),
        "quote" | "usd" => Ok(MarketAsset::Quote),
        _ => Err(format!("asset must be credits or quote, not {s:?}")),
    }
}

/// Dollars to ticks of $0.01, without floats.
fn parse_ticks(s: &str) -> Result<u64, String> {
    super::calculate::parse_decimal(s, 2)
}

/// An amount of `asset` in atoms (both have 6 decimals), without floats.
fn parse_atoms(s: &str) -> Result<u64, String> {
    super::calculate::parse_decimal(s, 6)
}

fn parse_lots(s: &str) -> Result<u64, String> {
    s.parse().map_err(|_| format!("lots must be a whole number, not {s:?}"))
}

impl Session {
    fn trader(&self, name: &str) -> Result<(User, u32), String> {
        self.traders
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, u, seat)| (u.clone(), *seat))
            .ok_or(format!("no trader {name:?}"))
    }

    fn name_of(&self, key: &anchor_lang::prelude::Pubkey) -> String {
        self.traders
            .iter()
            .find(|(_, u, _)| u.pubkey() == *key)
            .map(|(n, _, _)| n.to_string())
            .unwrap_or_default()
    }

    /// Sends `ix` signed by `who`; "ok" (with the compute units on the `.so`) or the error's name.
    async fn send(&mut self, who: &User, ix: Instruction) -> Result<String, String> {
        let r: TxResult = self.ctx.send(&[ix], &[&who.key]).await;
        if !r.is_ok() {
            return Err(super::demo::error_name(&r));
        }
        Ok(match self.ctx.mode {
            Mode::Sbf => format!("ok ({} CU)", r.compute_units),
            Mode::Native => "ok".into(),
        })
    }

    async fn balances(&mut self) -> String {
        let m = market_v2_state(&mut self.ctx, &self.k.market).await;
        let mut s = String::new();
        for (name, u, seat) in &self.traders {
            s.push_str(&format!(
                "  {name:<6} wallet {} GPU-h, {} | seat {seat}: {}\n",
                self.ctx.balance(u.credits).await / LOT,
                usd(self.ctx.balance(u.quote).await),
                render_seat(&m.seats[*seat as usize]),
            ));
        }
        s.push_str(&format!("  treasury fees in the market: {}", usd(m.header().treasury_fees.0)));
        s
    }

    async fn run_line(&mut self, line: &str) -> Result<Option<String>, String> {
        let w: Vec<&str> = line.split_whitespace().collect();
        let k = self.k;
        let out = match w.as_slice() {
            [] => return Ok(None),
            ["help"] => HELP.to_string(),
            ["book"] => {
                render_book(&market_v2_state(&mut self.ctx, &k.market).await, &|key| self.name_of(key))
            }
            ["balances"] => self.balances().await,
            ["wait", secs] => {
                let secs: i64 = secs.parse().map_err(|_| "wait takes seconds")?;
                self.ctx.advance_clock(secs).await;
                format!("clock +{secs}s")
            }
            ["deposit", who, asset, amount] => {
                let (t, seat) = self.trader(who)?;
                self.send(&t, deposit(&k, &t, seat, parse_asset(asset)?, parse_atoms(amount)?)).await?
            }
            ["withdraw", who, asset, amount] => {
                let (t, seat) = self.trader(who)?;
                let asset = parse_asset(asset)?;
                let amount = match *amount {
                    "all" => {
                        let s = market_v2_state(&mut self.ctx, &k.market).await.seats[seat as usize];
                        match asset {
                            MarketAsset::Credits => s.base_free.0,
                            MarketAsset::Quote => s.quote_free.0,
                        }
                    }
                    amount => parse_atoms(amount)?,
                };
                self.send(&t, withdraw(&k, &t, seat, asset, amount)).await?
            }
            ["place", who, side, kind, price, lots, rest @ ..] => {
                let (t, seat) = self.trader(who)?;
                let expiry = match rest {
                    [] => 0,
                    [secs] => self.ctx.now().await + secs.parse::<i64>().map_err(|_| "expiry in seconds")?,
                    _ => return Err("too many words".into()),
                };
                let args = PlaceOrderV2Args {
                    seat,
                    side: parse_side(side)?,
                    order_type: parse_type(kind)?,
                    price_ticks: parse_ticks(price)?,
                    lots: parse_lots(lots)?,
                    expiry,
                    self_trade: SelfTradeBehavior::CancelProvide,
                };
                self.send(&t, place_order_v2(&k, &t.pubkey(), args)).await?
            }
            ["take", who, side, price, lots] => {
                let (t, seat) = self.trader(who)?;
                let args = limit_v2(
                    seat,
                    parse_side(side)?,
                    OrderType::ImmediateOrCancel,
                    parse_ticks(price)?,
                    parse_lots(lots)?,
                );
                self.send(&t, place_order_v2(&k, &t.pubkey(), args)).await?
            }
            ["cancel", who, side, price, seq] => {
                let (t, seat) = self.trader(who)?;
                let seq = seq.parse().map_err(|_| "seq must be a number")?;
                let ix = cancel_order_v2(&k, &t.pubkey(), seat, parse_side(side)?, parse_ticks(price)?, seq);
                self.send(&t, ix).await?
            }
            ["cancel-all", who] => {
                let (t, seat) = self.trader(who)?;
                self.send(&t, cancel_all_orders(&k, &t.pubkey(), seat)).await?
            }
            ["batch", who, rest @ ..] => {
                let (t, seat) = self.trader(who)?;
                let (cancel_all, orders) = match rest {
                    ["cancel-all", orders @ ..] => (true, orders),
                    orders => (false, orders),
                };
                if orders.len() % 3 != 0 {
                    return Err("batch orders are <bid|ask> <price $> <lots> triples".into());
                }
                let places = orders
                    .chunks(3)
                    .map(|o| {
                        Ok(BatchPlaceArgs {
                            side: parse_side(o[0])?,
                            price_ticks: parse_ticks(o[1])?,
                            lots: parse_lots(o[2])?,
                            expiry: 0,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                self.send(&t, batch_orders(&k, &t.pubkey(), seat, cancel_all, vec![], places)).await?
            }
            ["swap", who, side, amount, limit, rest @ ..] => {
                let (t, _) = self.trader(who)?;
                let min_out = match rest {
                    [] => 0,
                    [min] => parse_atoms(min)?,
                    _ => return Err("too many words".into()),
                };
                let (c0, q0) = (self.ctx.balance(t.credits).await, self.ctx.balance(t.quote).await);
                let ix = swap(&k, &t, parse_side(side)?, parse_atoms(amount)?, min_out, parse_ticks(limit)?);
                let sent = self.send(&t, ix).await?;
                let (c1, q1) = (self.ctx.balance(t.credits).await, self.ctx.balance(t.quote).await);
                format!(
                    "{sent}: GPU-hours {:+}, dollars {}{}",
                    (i128::from(c1) - i128::from(c0)) / i128::from(LOT),
                    if q1 >= q0 { "+" } else { "-" },
                    usd(q1.abs_diff(q0))
                )
            }
            ["quit" | "exit"] => return Ok(Some("quit".into())),
            _ => return Err(format!("unknown command {line:?}; try help")),
        };
        Ok(Some(out))
    }
}

pub async fn run(args: MarketSimArgs) -> CliResult {
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
    let k = market_v2_keys(&f, &c, market.pubkey());
    let r = create_market_v2_account(&mut ctx, &f.admin, &market, &k, market_v2_params()).await;
    if !r.is_ok() {
        return Err(format!("create_market_v2 failed: {:?}", r.result));
    }
    let mut traders = vec![];
    for name in ["alice", "bob", "carol"] {
        let u = f.user(&mut ctx, &c, 100_000_000_000).await;
        f.buy(&mut ctx, &c, &u, 10_000 * LOT).await.result.map_err(|e| e.to_string())?;
        let r = ctx.send(&[claim_seat(&k, &u.pubkey())], &[&u.key]).await;
        r.result.map_err(|e| e.to_string())?;
        let seat = market_v2_state(&mut ctx, &k.market).await.header().seat_count - 1;
        traders.push((name, u, seat));
    }
    say!(
        "market {} on H100 GPU-hours: maker fee 0.10%, taker fee 0.30%, at least $1 per resting order. Type help.",
        k.market
    );
    let mut session = Session { ctx, k, traders };
    for line in input.lines() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim_start().starts_with('#') {
            continue;
        }
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
