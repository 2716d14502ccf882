//! `channel show` (terms, meter, vault, headroom now, redeemable until, recent batches from
//! the `CreditsRedeemed` events, burn rate) and `channel list`.
use anchor_lang::prelude::Pubkey;
use clap::Args;
use compute_credits::events::CreditsRedeemed;
use compute_credits::state::MeteringChannel;
use credit_client::{events, read};
use credit_math::CreditAtoms;
use serde_json::{json, Value};

use super::{me, ChannelRef, Loaded};
use crate::commands::output::{short, units, utc};
use crate::commands::CliResult;
use crate::context::Context;

/// Where a channel stands at `now`.
pub fn status(c: &MeteringChannel, now: i64) -> &'static str {
    let (terms, meter) = (c.terms(), c.meter());
    if meter.released {
        "released"
    } else if meter.can_finalize(&terms, now) {
        if meter.close_requested_at != 0 && now < terms.expiry_ts {
            "closed"
        } else {
            "expired"
        }
    } else if meter.close_requested_at != 0 {
        "closing"
    } else {
        "open"
    }
}

/// A usage reference as text (printable bytes then zeros) or 0x and hex.
pub fn usage_text(r: &[u8; 32]) -> String {
    let len = r.iter().position(|b| *b == 0).unwrap_or(32);
    let text = &r[..len];
    if len > 0 && r[len..].iter().all(|b| *b == 0) && text.iter().all(|b| b.is_ascii_graphic() || *b == b' ')
    {
        return String::from_utf8_lossy(text).into_owned();
    }
    let hex: String = r.iter().map(|b| format!("{b:02x}")).collect();
    format!("0x{hex}")
}

/// A redeemed batch as the events tell it.
struct Batch {
    signature: String,
    time: Option<i64>,
    amount: u64,
    usage: [u8; 32],
}

/// The channel's batches among its `limit` most recent transactions, newest first: the
/// `CreditsRedeemed` events of this holder, provider and class (`redeem_credits` emits the
/// same event; a transaction that names the channel is one of its own).
/// A block time the node reports is kept only where it can be one of the channel's (some local
/// validators report it in the wrong unit).
fn recent_batches(ctx: &Context, l: &Loaded, limit: usize, now: i64) -> Result<Vec<Batch>, String> {
    let txs = read::recent_transactions(&ctx.rpc, &l.address, limit).map_err(|e| e.to_string())?;
    let c = &l.channel;
    let mut out = vec![];
    for tx in txs {
        for e in events::events::<CreditsRedeemed>(&tx.logs) {
            if e.holder == c.holder && e.provider == c.provider_authority && e.class == c.class {
                out.push(Batch {
                    signature: tx.signature.clone(),
                    time: tx.block_time.filter(|t| (c.opened_at - 86_400..=now + 86_400).contains(t)),
                    amount: e.amount,
                    usage: e.usage_reference,
                });
            }
        }
    }
    Ok(out)
}

#[derive(Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub channel: ChannelRef,
    /// How many of the channel's most recent transactions to read for its batches.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

pub fn show(ctx: &Context, a: ShowArgs) -> CliResult {
    let l = a.channel.load(ctx, me(ctx))?;
    let now = read::now(&ctx.rpc).map_err(|e| e.to_string())?;
    let vault = read::token_amount(&ctx.rpc, &l.keys.vault).map_err(|e| e.to_string())?.unwrap_or(0);
    let batches = recent_batches(ctx, &l, a.limit, now)?;
    let c = &l.channel;
    let (terms, meter) = (c.terms(), c.meter());
    let d = l.decimals();
    let unit = l.class.unit().to_string();
    let headroom = meter.headroom(&terms, now, CreditAtoms(vault)).0;
    let until = meter.redeemable_until(&terms);
    let status = status(c, now);
    let avg = meter.burn_per_hour(c.opened_at, now).map(|r| r.0);
    let cr = |atoms: u64| json!({ "atoms": atoms, "amount": units(atoms, d) });
    let until_json = if meter.released { Value::Null } else { json!(until) };
    let json = json!({
        "channel": l.address.to_string(),
        "class": c.class.to_string(),
        "classId": l.class.class_id,
        "unit": unit,
        "holder": c.holder.to_string(),
        "providerAuthority": c.provider_authority.to_string(),
        "provider": c.provider.to_string(),
        "vault": c.vault.to_string(),
        "status": status,
        "now": now,
        "openedAt": c.opened_at,
        "terms": {
            "cap": cr(terms.cap.0),
            "periodCap": cr(terms.period_cap.0),
            "periodSecs": terms.period_secs,
            "expiryTs": terms.expiry_ts,
            "noticeSecs": terms.notice_secs,
        },
        "meter": {
            "redeemed": cr(meter.redeemed.0),
            "periodStart": meter.period_start,
            "periodRedeemed": cr(meter.period_redeemed.0),
            "nextSeq": meter.next_seq,
            "closeRequestedAt": (meter.close_requested_at != 0).then_some(meter.close_requested_at),
            "released": meter.released,
        },
        "deposited": cr(c.deposited.0),
        "vaultBalance": cr(vault),
        "headroom": cr(headroom),
        "redeemableUntil": until_json,
        "finalizable": meter.can_finalize(&terms, now),
        "burn": {
            "perHourSinceOpening": avg.map(cr),
            "thisPeriod": (!terms.period_cap.is_zero()).then(|| cr(meter.period_redeemed.0)),
        },
        "recentBatches": batches.iter().map(|b| json!({
            "signature": b.signature, "blockTime": b.time, "amount": cr(b.amount),
            "usageReference": usage_text(&b.usage),
        })).collect::<Vec<_>>(),
    });
    let u = |atoms: u64| units(atoms, d);
    let mut s = format!("Channel {} ({status})\n", l.address);
    s += &format!("  class     {} (id {}, {unit})\n", c.class, l.class.class_id);
    s += &format!(
        "  holder    {}\n  provider  {} (registration {})\n",
        c.holder, c.provider_authority, c.provider
    );
    let period = if terms.period_cap.is_zero() {
        "no period cap".to_string()
    } else {
        format!("{} per {}s", u(terms.period_cap.0), terms.period_secs)
    };
    s += &format!(
        "  terms     cap {}, {period}; expires {} UTC; notice {}s\n",
        u(terms.cap.0),
        utc(terms.expiry_ts),
        terms.notice_secs
    );
    s += &format!(
        "  meter     redeemed {} in {} batches (next seq {}); this period {}\n",
        u(meter.redeemed.0),
        meter.next_seq,
        meter.next_seq,
        u(meter.period_redeemed.0)
    );
    s += &format!("  vault     {} {} {unit} (deposited {})\n", c.vault, u(vault), u(c.deposited.0));
    s += &format!("  headroom  {} now ({} UTC)\n", u(headroom), utc(now));
    s += &match (meter.released, meter.close_requested_at) {
        (true, _) => "  until     released by the provider: finalize returns the rest\n".to_string(),
        (false, 0) => format!("  until     redeemable until {} UTC (expiry)\n", utc(until)),
        (false, at) => {
            format!("  until     close asked {} UTC: redeemable until {} UTC\n", utc(at), utc(until))
        }
    };
    s += &format!("  burn      {} per hour since opening\n", avg.map_or("-".into(), u));
    if batches.is_empty() {
        s += "  batches   none among the recent transactions";
    } else {
        s += "  batches   time (UTC)             amount  usage reference\n";
        for b in &batches {
            s += &format!(
                "            {}  {:>10}  {}\n",
                b.time.map_or("-".to_string(), utc),
                u(b.amount),
                usage_text(&b.usage)
            );
        }
    }
    ctx.print(s.trim_end(), &json);
    Ok(())
}

#[derive(Args)]
pub struct ListArgs {
    /// Only channels of this holder.
    #[arg(long)]
    pub holder: Option<Pubkey>,
    /// Only channels to this provider (its authority).
    #[arg(long)]
    pub provider: Option<Pubkey>,
}

pub fn list(ctx: &Context, a: ListArgs) -> CliResult {
    let mut channels =
        read::channels(&ctx.rpc, a.holder.as_ref(), a.provider.as_ref()).map_err(|e| e.to_string())?;
    channels.sort_by_key(|(k, c)| (c.class, c.holder, c.provider_authority, *k));
    let now = read::now(&ctx.rpc).map_err(|e| e.to_string())?;
    let classes = read::classes(&ctx.rpc).map_err(|e| e.to_string())?;
    let decimals = |class: &Pubkey| classes.iter().find(|(k, _)| k == class).map_or(0, |(_, c)| c.decimals);
    let mut text = format!(
        "{:<44}  {:<8}  {:>14}  {:>14}  {:>14}  holder / provider",
        "channel", "status", "escrowed", "redeemed", "cap"
    );
    let mut rows = vec![];
    for (key, c) in &channels {
        let d = decimals(&c.class);
        let escrowed = c.deposited.0.saturating_sub(c.meter.redeemed.0);
        let status = status(c, now);
        text += &format!(
            "\n{:<44}  {:<8}  {:>14}  {:>14}  {:>14}  {} / {}",
            key.to_string(),
            status,
            units(escrowed, d),
            units(c.meter.redeemed.0, d),
            units(c.terms.cap.0, d),
            short(&c.holder),
            short(&c.provider_authority),
        );
        rows.push(json!({
            "channel": key.to_string(), "class": c.class.to_string(), "holder": c.holder.to_string(),
            "providerAuthority": c.provider_authority.to_string(), "status": status,
            "escrowed": { "atoms": escrowed, "amount": units(escrowed, d) },
            "redeemed": { "atoms": c.meter.redeemed.0, "amount": units(c.meter.redeemed.0, d) },
            "cap": { "atoms": c.terms.cap.0, "amount": units(c.terms.cap.0, d) },
            "nextSeq": c.meter.next_seq, "expiryTs": c.terms.expiry_ts,
        }));
    }
    if channels.is_empty() {
        text = "no channels".into();
    }
    ctx.print(&text, &json!({ "channels": rows }));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_references_read_back_as_text_or_hex() {
        let mut r = [0u8; 32];
        r[..6].copy_from_slice(b"batch1");
        assert_eq!(usage_text(&r), "batch1");
        r[31] = 0xc7;
        assert_eq!(usage_text(&r), format!("0x{}{}c7", hex6(b"batch1"), "00".repeat(25)));
        assert_eq!(usage_text(&[0xab; 32]), format!("0x{}", "ab".repeat(32)));
        assert!(usage_text(&[0; 32]).starts_with("0x00"));
    }

    fn hex6(b: &[u8]) -> String {
        b.iter().map(|b| format!("{b:02x}")).collect()
    }
}
