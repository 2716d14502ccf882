//! The holder's commands: open, top-up, close (the notice starts); finalize (anyone).
use anchor_lang::prelude::Pubkey;
use clap::Args;
use compute_credits::OpenChannelArgs;
use credit_client::ix::channel as ix;
use credit_client::{read, ChannelKeys};

use super::{me, ChannelRef};
use crate::commands::accounts::{ata, create_ata, load_class, token_account};
use crate::commands::args::{Amount, ClassArg, Secs, When};
use crate::commands::output::{self, fact, units, utc};
use crate::commands::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct OpenArgs {
    #[arg(long, help = crate::commands::args::CLASS_HELP)]
    pub class: ClassArg,
    /// The provider's authority (its signing key); it must be registered for the class.
    #[arg(long)]
    pub provider: Pubkey,
    /// Credits escrowed now (at least one whole credit).
    #[arg(long)]
    pub amount: Amount,
    /// The most the provider may redeem over the channel's life.
    #[arg(long)]
    pub cap: Amount,
    /// The most the provider may redeem per period (with --period).
    #[arg(long, requires = "period")]
    pub period_cap: Option<Amount>,
    /// The period of --period-cap: seconds, or 1h, 1d...
    #[arg(long, requires = "period_cap")]
    pub period: Option<Secs>,
    /// No redemption from then on: a length of time from now (30d) or an RFC 3339 time.
    #[arg(long)]
    pub expires: When,
    /// How long the provider may still redeem after you ask to close (what it already served).
    #[arg(long)]
    pub notice: Secs,
    /// The credit account to escrow from. Default: your associated account.
    #[arg(long)]
    pub from: Option<Pubkey>,
}

pub fn open(ctx: &Context, a: OpenArgs) -> CliResult {
    let holder = ctx.signer()?;
    let (class, c) = load_class(ctx, &a.class)?;
    let k = ChannelKeys::new(&class, &c.credit_mint, &c.credit_token_program, &holder.pubkey(), &a.provider);
    let now = read::now(&ctx.rpc).map_err(|e| e.to_string())?;
    let args = OpenChannelArgs {
        amount: a.amount.atoms(c.decimals)?,
        cap: a.cap.atoms(c.decimals)?,
        period_cap: a.period_cap.map(|p| p.atoms(c.decimals)).transpose()?.unwrap_or(0),
        period_secs: a.period.map(|p| p.u32("--period")).transpose()?.unwrap_or(0),
        expiry_ts: a.expires.unix(now)?,
        notice_secs: a.notice.u32("--notice")?,
    };
    let from = a.from.unwrap_or_else(|| ata(&holder.pubkey(), &c.credit_mint, &c.credit_token_program));
    let ix = ix::open_channel(&k, &from, args);
    output::run(
        ctx,
        &[ix],
        &[holder],
        &[
            fact("channel", k.channel),
            fact("vault", k.vault),
            (
                "amount",
                serde_json::json!(args.amount),
                format!("Escrowed: {} {}", units(args.amount, c.decimals), c.unit()),
            ),
            ("expiryTs", serde_json::json!(args.expiry_ts), format!("Expires: {} UTC", utc(args.expiry_ts))),
        ],
    )?;
    Ok(())
}

#[derive(Args)]
pub struct TopUpArgs {
    #[command(flatten)]
    pub channel: ChannelRef,
    /// Credits to add (0: only the cap or the expiry change).
    #[arg(long, default_value = "0")]
    pub amount: Amount,
    /// The new cap (not lower). Default: unchanged.
    #[arg(long)]
    pub cap: Option<Amount>,
    /// The new expiry (not earlier): a length of time from now or an RFC 3339 time. Default:
    /// unchanged.
    #[arg(long)]
    pub expires: Option<When>,
    /// The credit account to add from. Default: your associated account.
    #[arg(long)]
    pub from: Option<Pubkey>,
}

pub fn top_up(ctx: &Context, a: TopUpArgs) -> CliResult {
    let holder = ctx.signer()?;
    let l = a.channel.load(ctx, me(ctx))?;
    let d = l.decimals();
    let cap = match a.cap {
        Some(c) => c.atoms(d)?,
        None => l.channel.terms.cap.0,
    };
    let expiry = match a.expires {
        Some(w) => w.unix(read::now(&ctx.rpc).map_err(|e| e.to_string())?)?,
        None => l.channel.terms.expiry_ts,
    };
    let amount = a.amount.atoms(d)?;
    let from = a.from.unwrap_or_else(|| ata(&holder.pubkey(), &l.keys.credit_mint, &l.keys.credit_program));
    let ix = ix::top_up_channel(&l.keys, &from, amount, cap, expiry);
    output::run(
        ctx,
        &[ix],
        &[holder],
        &[
            fact("channel", l.address),
            ("amount", serde_json::json!(amount), format!("Added: {} {}", units(amount, d), l.class.unit())),
            ("cap", serde_json::json!(cap), format!("Cap: {}", units(cap, d))),
            ("expiryTs", serde_json::json!(expiry), format!("Expires: {} UTC", utc(expiry))),
        ],
    )?;
    Ok(())
}

pub fn close(ctx: &Context, a: ChannelRef) -> CliResult {
    let holder = ctx.signer()?;
    let l = a.load(ctx, me(ctx))?;
    let notice_ends =
        read::now(&ctx.rpc).map_err(|e| e.to_string())? + i64::from(l.channel.terms.notice_secs);
    let until = notice_ends.min(l.channel.terms.expiry_ts);
    output::run(
        ctx,
        &[ix::request_close(&l.keys)],
        &[holder],
        &[
            fact("channel", l.address),
            (
                "redeemableUntil",
                serde_json::json!(until),
                format!("The provider may redeem until about {} UTC; then finalize", utc(until)),
            ),
        ],
    )?;
    Ok(())
}

#[derive(Args)]
pub struct FinalizeArgs {
    #[command(flatten)]
    pub channel: ChannelRef,
    /// The holder's credit account the rest goes to. Default: its associated account (created
    /// if missing).
    #[arg(long)]
    pub to: Option<Pubkey>,
}

pub fn finalize(ctx: &Context, a: FinalizeArgs) -> CliResult {
    let signer = ctx.signer()?;
    let payer = ctx.fee_payer()?.pubkey();
    let l = a.channel.load(ctx, me(ctx))?;
    let k = &l.keys;
    let holder_ata = ata(&k.holder, &k.credit_mint, &k.credit_program);
    let to = a.to.unwrap_or(holder_ata);
    let mut ixs = vec![];
    if to == holder_ata && token_account(ctx, &to)?.is_none() {
        ixs.push(create_ata(&payer, &k.holder, &k.credit_mint, &k.credit_program));
    }
    let rest = read::token_amount(&ctx.rpc, &k.vault).map_err(|e| e.to_string())?.unwrap_or(0);
    ixs.push(ix::finalize_channel(k, &to));
    output::run(
        ctx,
        &ixs,
        &[signer],
        &[
            fact("channel", l.address),
            (
                "refunded",
                serde_json::json!(rest),
                format!("Refunded to {to}: {} {}", units(rest, l.decimals()), l.class.unit()),
            ),
        ],
    )?;
    Ok(())
}
