//! `market show`: the header and the book as a ladder (levels: price, lots, orders), plus a
//! trader's seat and orders; `market trades`: recent fills from the market's transactions.
use anchor_lang::prelude::Pubkey;
use clap::Args;
use compute_credits::events_v2::FillV2;
use credit_client::events::events;
use credit_client::read;
use credit_math::market::Order;
use serde_json::{json, Value};

use super::{resolve_market, Resolved};
use crate::commands::args::{MarketArg, MARKET_HELP};
use crate::commands::output::{percent, units};
use crate::commands::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct ShowArgs {
    #[arg(help = MARKET_HELP)]
    pub market: MarketArg,
    /// Also show this trader's seat and orders. Default: the signer's, if it has a seat.
    #[arg(long)]
    pub trader: Option<Pubkey>,
}

/// Levels of one side, best first: (ticks, lots, orders).
fn levels(orders: &[Order]) -> Vec<(u64, u64, u32)> {
    let mut out: Vec<(u64, u64, u32)> = vec![];
    // stored worst first: walk from the best
    for o in orders.iter().rev() {
        match out.last_mut() {
            Some(l) if l.0 == o.price.0 => {
                l.1 += o.lots.0;
                l.2 += 1;
            }
            _ => out.push((o.price.0, o.lots.0, 1)),
        }
    }
    out
}

fn level_json(m: &Resolved, l: &(u64, u64, u32)) -> Value {
    json!({ "ticks": l.0, "price": m.units.price(l.0), "lots": l.1, "credits": m.units.lots(l.1), "orders": l.2 })
}

pub fn show(ctx: &Context, a: ShowArgs) -> CliResult {
    let m = resolve_market(ctx, &a.market.0)?;
    let (h, f) = (m.state.header(), &m.state.fixed);
    let (bids, asks) = (m.state.bids(), m.state.asks());
    let (bid_levels, ask_levels) = (levels(bids.orders()), levels(asks.orders()));
    let (qd, cd) = (m.units.quote_decimals, m.units.credit_decimals);
    let mut text = format!(
        "Market {} (class {}){}\n  lot {} credits, tick {} per credit, min order {} quote, fees maker {} / taker {}, {} seats, max {} orders a seat\n  fees owed to the treasury {}; in the market {} credits, {} quote\n",
        m.keys.market,
        f.class,
        if f.paused != 0 { " PAUSED" } else { "" },
        units(h.lot_size, cd),
        m.units.price(1),
        units(h.min_order_notional.0, qd),
        percent(u64::from(h.maker_fee_bps)),
        percent(u64::from(h.taker_fee_bps)),
        h.seat_count,
        h.max_orders_per_seat,
        units(h.treasury_fees.0, qd),
        units(h.base_total.0, cd),
        units(h.quote_total.0, qd),
    );
    text += &format!("  {:>12}  {:>10}  {:>6}\n", "price", "lots", "orders");
    for l in ask_levels.iter().rev() {
        text += &format!("  {:>12}  {:>10}  {:>6}  ask\n", m.units.price(l.0), l.1, l.2);
    }
    text += "  ------------  ----------  ------\n";
    for l in &bid_levels {
        text += &format!("  {:>12}  {:>10}  {:>6}  bid\n", m.units.price(l.0), l.1, l.2);
    }
    let trader = a.trader.or_else(|| ctx.signer().ok().map(|s| s.pubkey()));
    let mut seat_json = Value::Null;
    if let Some((owner, i)) = trader.and_then(|t| m.seat_of(&t).map(|i| (t, i))) {
        let s = m.state.seats[i as usize];
        let mine: Vec<(&str, &Order)> = [("bid", bids.orders()), ("ask", asks.orders())]
            .into_iter()
            .flat_map(|(side, os)| os.iter().filter(|o| o.seat == i).map(move |o| (side, o)))
            .collect();
        text += &format!(
            "Seat {i} of {owner}: free {} credits, {} quote; locked {} credits, {} quote\n",
            units(s.base_free.0, cd),
            units(s.quote_free.0, qd),
            units(s.base_locked.0, cd),
            units(s.quote_locked.0, qd),
        );
        for (side, o) in &mine {
            text += &format!("  #{} {side} {} lots at {}\n", o.seq, o.lots.0, m.units.price(o.price.0));
        }
        seat_json = json!({
            "index": i, "owner": owner.to_string(),
            "baseFree": s.base_free.0, "baseLocked": s.base_locked.0,
            "quoteFree": s.quote_free.0, "quoteLocked": s.quote_locked.0,
            "orders": mine.iter().map(|(side, o)| json!({
                "seq": o.seq, "side": side, "ticks": o.price.0, "price": m.units.price(o.price.0),
                "lots": o.lots.0, "expiry": o.expiry,
            })).collect::<Vec<_>>(),
        });
    }
    let json = json!({
        "market": m.keys.market.to_string(),
        "class": f.class.to_string(),
        "paused": f.paused != 0,
        "lotSize": h.lot_size, "tickSize": h.tick_size,
        "minOrderNotional": h.min_order_notional.0,
        "makerFeeBps": h.maker_fee_bps, "takerFeeBps": h.taker_fee_bps,
        "seatCount": h.seat_count, "maxOrdersPerSeat": h.max_orders_per_seat,
        "treasuryFees": h.treasury_fees.0, "baseTotal": h.base_total.0, "quoteTotal": h.quote_total.0,
        "bids": bid_levels.iter().map(|l| level_json(&m, l)).collect::<Vec<_>>(),
        "asks": ask_levels.iter().map(|l| level_json(&m, l)).collect::<Vec<_>>(),
        "seat": seat_json,
    });
    ctx.print(text.trim_end(), &json);
    Ok(())
}

#[derive(Args)]
pub struct TradesArgs {
    #[arg(help = MARKET_HELP)]
    pub market: MarketArg,
    /// How many of the market's most recent transactions to read.
    #[arg(long, default_value_t = 25)]
    pub limit: usize,
}

pub fn trades(ctx: &Context, a: TradesArgs) -> CliResult {
    let m = resolve_market(ctx, &a.market.0)?;
    let logs = read::recent_logs(&ctx.rpc, &m.keys.market, a.limit).map_err(|e| e.to_string())?;
    let mut rows = vec![];
    let mut text = format!(
        "{:>8}  {:>12}  {:>10}  {:<5}  {:>5}  {:>6}  signature",
        "seq", "price", "lots", "taker", "maker", "taker#"
    );
    for (signature, lines) in &logs {
        for f in events::<FillV2>(lines).into_iter().filter(|f| f.market == m.keys.market) {
            // the taker is on the other side of the maker
            let taker_side = if f.maker_side == 0 { "sell" } else { "buy" };
            let taker = f.taker_seat.map_or("swap".to_string(), |s| s.to_string());
            text += &format!(
                "\n{:>8}  {:>12}  {:>10}  {:<5}  {:>5}  {:>6}  {signature}",
                f.seq,
                m.units.price(f.price),
                f.lots,
                taker_side,
                f.maker_seat,
                taker
            );
            rows.push(json!({
                "seq": f.seq, "signature": signature, "ticks": f.price, "price": m.units.price(f.price),
                "lots": f.lots, "credits": m.units.lots(f.lots), "takerSide": taker_side,
                "makerSeat": f.maker_seat, "makerSeq": f.maker_seq, "takerSeat": f.taker_seat,
                "makerFee": f.maker_fee, "takerFee": f.taker_fee,
            }));
        }
    }
    if rows.is_empty() {
        text = format!("no fills in the last {} transactions of {}", a.limit, m.keys.market);
    }
    ctx.print(&text, &json!({ "market": m.keys.market.to_string(), "fills": rows }));
    Ok(())
}
