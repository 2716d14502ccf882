//! The trader's commands: a seat, deposits and withdrawals, orders, cancels, batches, and the
//! seatless swap.
use clap::{Args, ValueEnum};
use compute_credits::events_v2::{FillV2, OrderPlacedV2};
use compute_credits::{CancelArgs as Cancel, OrderType, SelfTradeBehavior};
use credit_client::events::events;
use credit_client::tx::Outcome;
use credit_client::{ix, read};
use serde_json::json;

use super::{resolve_market, Asset, MarketRef, Resolved, Side};
use crate::commands::accounts::{ata, create_ata};
use crate::commands::args::{Amount, MarketArg, Price, MARKET_HELP};
use crate::commands::output::print_with;
use crate::commands::CliResult;
use crate::context::Context;

pub fn seat(ctx: &Context, a: MarketRef) -> CliResult {
    let owner = ctx.signer()?;
    let m = resolve_market(ctx, &a.market.0)?;
    if let Some(i) = m.seat_of(&owner.pubkey()) {
        return Err(format!("{} already holds seat {i} in market {}", owner.pubkey(), m.keys.market));
    }
    let outcome = ctx.pipeline()?.run(&[ix::claim_seat(&m.keys, &owner.pubkey())], &[owner])?;
    let mut fields = vec![];
    if let Outcome::Landed(_) = outcome {
        let m = resolve_market(ctx, &m.keys.market)?;
        let i = m.seat(&owner.pubkey())?;
        fields.push(("seat", json!(i), format!("Seat: {i}")));
    }
    print_with(ctx, &outcome, &fields);
    Ok(())
}

#[derive(Args)]
pub struct MoveArgs {
    #[arg(help = MARKET_HELP)]
    pub market: MarketArg,
    #[arg(value_enum)]
    pub asset: Asset,
    /// Units of the asset, `…atoms`, or (withdraw) `all` of the seat's free balance.
    pub amount: Amount,
}

/// `deposit` (wallet -> seat) or `withdraw` (seat -> wallet).
pub fn move_funds(ctx: &Context, a: MoveArgs, deposit: bool) -> CliResult {
    let trader = ctx.signer()?;
    let me = trader.pubkey();
    let m = resolve_market(ctx, &a.market.0)?;
    let k = &m.keys;
    let seat = m.seat(&me)?;
    let s = m.state.seats[seat as usize];
    let (mint, program, decimals, free) = match a.asset {
        Asset::Credits => (k.credit_mint, k.credit_program, m.units.credit_decimals, s.base_free.0),
        Asset::Quote => (k.quote_mint, k.quote_program, m.units.quote_decimals, s.quote_free.0),
    };
    let token = ata(&me, &mint, &program);
    let asset = a.asset.market_asset();
    let ixs = if deposit {
        vec![ix::deposit(k, &me, &token, seat, asset, a.amount.atoms(decimals)?)]
    } else {
        let payer = ctx.fee_payer()?.pubkey();
        let amount = a.amount.atoms_or(decimals, free)?;
        vec![create_ata(&payer, &me, &mint, &program), ix::withdraw(k, &me, &token, seat, asset, amount)]
    };
    ctx.run(&ixs, &[trader])?;
    Ok(())
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Type {
    /// Takes what crosses, rests the rest.
    Limit,
    /// Only rests (refused if it would cross).
    PostOnly,
    /// Takes what crosses, drops the rest.
    Ioc,
    /// Fills completely or is refused.
    Fok,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SelfTrade {
    /// Cancel the resting order of the seat and go on matching.
    CancelProvide,
    /// Stop matching, cancel the rest of the incoming order.
    AbortTake,
    /// Reduce both by the smaller size, trading nothing.
    DecrementTake,
}

#[derive(Args)]
pub struct OrderArgs {
    #[arg(help = MARKET_HELP)]
    pub market: MarketArg,
    #[arg(value_enum)]
    pub side: Side,
    /// The limit: quote units per credit (`2.49`) or ticks (`249t`).
    #[arg(long)]
    pub price: Price,
    /// Lots (each the market's lot size of credits).
    #[arg(long)]
    pub lots: u64,
    #[arg(long = "type", value_enum, default_value_t = Type::Limit)]
    pub order_type: Type,
    /// A resting remainder is void after this many seconds (default: good until cancelled).
    #[arg(long)]
    pub expiry_secs: Option<i64>,
    #[arg(long, value_enum, default_value_t = SelfTrade::CancelProvide)]
    pub self_trade: SelfTrade,
}

fn expiry(ctx: &Context, secs: Option<i64>) -> Result<i64, String> {
    match secs {
        None => Ok(0),
        Some(s) => Ok(read::now(&ctx.rpc).map_err(|e| e.to_string())? + s),
    }
}

/// What an order did, from its events: fills and the order left resting.
fn order_fields(m: &Resolved, outcome: &Outcome) -> Vec<(&'static str, serde_json::Value, String)> {
    let logs = outcome.logs();
    if !matches!(outcome, Outcome::Landed(_)) {
        return vec![];
    }
    let fills = events::<FillV2>(logs);
    let placed = events::<OrderPlacedV2>(logs);
    let lots: u64 = fills.iter().map(|f| f.lots).sum();
    let mut line = format!("Filled: {} lots in {} fills", lots, fills.len());
    for p in &placed {
        line += &format!("; resting: #{} {} lots at {}", p.order_seq, p.lots, m.units.price(p.price));
    }
    let seqs: Vec<u64> = placed.iter().map(|p| p.order_seq).collect();
    vec![("filledLots", json!(lots), line), ("resting", json!(seqs), String::new())]
}

pub fn order(ctx: &Context, a: OrderArgs) -> CliResult {
    let trader = ctx.signer()?;
    let m = resolve_market(ctx, &a.market.0)?;
    let seat = m.seat(&trader.pubkey())?;
    let args = compute_credits::PlaceOrderV2Args {
        seat,
        side: a.side.order_side(),
        order_type: match a.order_type {
            Type::Limit => OrderType::Limit,
            Type::PostOnly => OrderType::PostOnly,
            Type::Ioc => OrderType::ImmediateOrCancel,
            Type::Fok => OrderType::FillOrKill,
        },
        price_ticks: m.units.ticks(&a.price)?,
        lots: a.lots,
        expiry: expiry(ctx, a.expiry_secs)?,
        self_trade: match a.self_trade {
            SelfTrade::CancelProvide => SelfTradeBehavior::CancelProvide,
            SelfTrade::AbortTake => SelfTradeBehavior::AbortTake,
            SelfTrade::DecrementTake => SelfTradeBehavior::DecrementTake,
        },
    };
    let outcome = ctx.pipeline()?.run(&[ix::place_order_v2(&m.keys, &trader.pubkey(), args)], &[trader])?;
    print_with(ctx, &outcome, &order_fields(&m, &outcome));
    Ok(())
}

#[derive(Args)]
pub struct CancelArgs {
    #[arg(help = MARKET_HELP)]
    pub market: MarketArg,
    /// The order's sequence number (`market show` lists the seat's orders).
    pub seq: u64,
}

/// The seat's resting order `seq`: its side and price.
fn find_order(m: &Resolved, seat: u32, seq: u64) -> Result<Cancel, String> {
    let (bids, asks) = (m.state.bids(), m.state.asks());
    let found =
        [(compute_credits::OrderSide::Bid, bids.orders()), (compute_credits::OrderSide::Ask, asks.orders())]
            .into_iter()
            .find_map(|(side, orders)| {
                orders.iter().find(|o| o.seq == seq && o.seat == seat).map(|o| (side, o.price.0))
            });
    let (side, price_ticks) = found.ok_or(format!("seat {seat} has no resting order #{seq}"))?;
    Ok(Cancel { side, price_ticks, seq })
}

pub fn cancel(ctx: &Context, a: CancelArgs) -> CliResult {
    let trader = ctx.signer()?;
    let m = resolve_market(ctx, &a.market.0)?;
    let seat = m.seat(&trader.pubkey())?;
    let c = find_order(&m, seat, a.seq)?;
    ctx.run(
        &[ix::cancel_order_v2(&m.keys, &trader.pubkey(), seat, c.side, c.price_ticks, c.seq)],
        &[trader],
    )?;
    Ok(())
}

pub fn cancel_all(ctx: &Context, a: MarketRef) -> CliResult {
    let trader = ctx.signer()?;
    let m = resolve_market(ctx, &a.market.0)?;
    let seat = m.seat(&trader.pubkey())?;
    ctx.run(&[ix::cancel_all_orders(&m.keys, &trader.pubkey(), seat)], &[trader])?;
    Ok(())
}

#[derive(Args)]
pub struct BatchArgs {
    #[arg(help = MARKET_HELP)]
    pub market: MarketArg,
    /// Cancel every order of the seat first.
    #[arg(long)]
    pub cancel_all: bool,
    /// Cancel this order (by sequence number; repeatable).
    #[arg(long = "cancel", value_name = "SEQ")]
    pub cancels: Vec<u64>,
    /// Place a post-only order, `SIDE:PRICE:LOTS` (`bid:2.50:10`, `ask:251t:5`; repeatable).
    #[arg(long = "place", value_name = "SIDE:PRICE:LOTS")]
    pub places: Vec<String>,
}

pub fn batch(ctx: &Context, a: BatchArgs) -> CliResult {
    let trader = ctx.signer()?;
    let m = resolve_market(ctx, &a.market.0)?;
    let seat = m.seat(&trader.pubkey())?;
    let cancels = a.cancels.iter().map(|seq| find_order(&m, seat, *seq)).collect::<Result<Vec<_>, _>>()?;
    let places = a
        .places
        .iter()
        .map(|p| {
            let bad = || format!("--place {p}: SIDE:PRICE:LOTS, e.g. bid:2.50:10");
            let [side, price, lots] = p.split(':').collect::<Vec<_>>()[..] else { return Err(bad()) };
            let side = Side::from_str(side, true).map_err(|_| bad())?.order_side();
            let ticks = m.units.ticks(&price.parse::<Price>()?)?;
            Ok(ix::post(side, ticks, lots.parse().map_err(|_| bad())?))
        })
        .collect::<Result<Vec<_>, String>>()?;
    if !a.cancel_all && cancels.is_empty() && places.is_empty() {
        return Err("nothing to do: give --cancel-all, --cancel or --place".into());
    }
    let ix = ix::batch_orders(&m.keys, &trader.pubkey(), seat, a.cancel_all, cancels, places);
    let outcome = ctx.pipeline()?.run(&[ix], &[trader])?;
    print_with(ctx, &outcome, &order_fields(&m, &outcome));
    Ok(())
}

#[derive(Args)]
pub struct SwapArgs {
    #[arg(help = MARKET_HELP)]
    pub market: MarketArg,
    /// buy: spend quote for credits; sell: sell credits for quote.
    #[arg(value_enum)]
    pub side: Side,
    /// What goes in: quote to spend (buy) or credits to sell (units, or `…atoms`).
    pub amount: Amount,
    /// The worst price: quote units per credit (`2.55`) or ticks (`255t`).
    #[arg(long)]
    pub limit: Price,
    /// The least to receive, in the other asset (units, or `…atoms`).
    #[arg(long, default_value = "0")]
    pub min_out: Amount,
}

pub fn swap(ctx: &Context, a: SwapArgs) -> CliResult {
    let taker = ctx.signer()?;
    let me = taker.pubkey();
    let m = resolve_market(ctx, &a.market.0)?;
    let k = &m.keys;
    let (cd, qd) = (m.units.credit_decimals, m.units.quote_decimals);
    let (amount_in, min_out) = match a.side {
        Side::Bid => (a.amount.atoms(qd)?, a.min_out.atoms(cd)?),
        Side::Ask => (a.amount.atoms(cd)?, a.min_out.atoms(qd)?),
    };
    let credits = ata(&me, &k.credit_mint, &k.credit_program);
    let quote = ata(&me, &k.quote_mint, &k.quote_program);
    let payer = ctx.fee_payer()?.pubkey();
    let ixs = [
        create_ata(&payer, &me, &k.credit_mint, &k.credit_program),
        create_ata(&payer, &me, &k.quote_mint, &k.quote_program),
        ix::swap(
            k,
            &me,
            (&credits, &quote),
            a.side.order_side(),
            amount_in,
            min_out,
            m.units.ticks(&a.limit)?,
        ),
    ];
    let outcome = ctx.pipeline()?.run(&ixs, &[taker])?;
    print_with(ctx, &outcome, &order_fields(&m, &outcome));
    Ok(())
}
