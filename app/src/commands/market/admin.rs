//! Creating and pausing markets (the admin), and the housekeeping anyone may do: pulling a
//! frozen trader's orders, clearing a seat's frozen flag, pruning expired orders, sweeping fees.
use anchor_lang::prelude::Pubkey;
use clap::Args;
use compute_credits::state::MarketV2;
use compute_credits::MarketV2Params;
use credit_client::config::read_keypair;
use credit_client::{ix, read, ClassKeys, MarketKeys};
use serde_json::json;
use solana_sdk::signature::{Keypair, Signer};

use super::{resolve_market, MarketRef, Side};
use crate::commands::accounts::{ata, create_ata};
use crate::commands::args::{Amount, ClassArg, MarketArg, MARKET_HELP};
use crate::commands::output::{self, units};
use crate::commands::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct CreateArgs {
    /// The credit class traded (against its quote currency): its id (0, 1, ...) or address.
    #[arg(long)]
    pub class: ClassArg,
    /// Credits per lot, the size step (units, or `…atoms`).
    #[arg(long, default_value = "1")]
    pub lot: Amount,
    /// Quote per lot per tick, the price step (units, or `…atoms`).
    #[arg(long, default_value = "0.01")]
    pub tick: Amount,
    /// The least quote notional a resting order may have (units, or `…atoms`).
    #[arg(long, default_value = "1")]
    pub min_notional: Amount,
    /// Resting orders a seat may have.
    #[arg(long, default_value_t = 16)]
    pub max_orders: u32,
    #[arg(long, default_value_t = 10)]
    pub maker_fee_bps: u16,
    #[arg(long, default_value_t = 30)]
    pub taker_fee_bps: u16,
    /// The new market account's keypair. Default: a fresh one (its address is printed).
    #[arg(long)]
    pub market_keypair: Option<String>,
}

pub fn create(ctx: &Context, a: CreateArgs) -> CliResult {
    let admin = ctx.signer()?;
    let err = |e: read::ReadError| e.to_string();
    let class = read::class(&ctx.rpc, &a.class.0).map_err(err)?;
    let platform = read::platform(&ctx.rpc).map_err(err)?;
    let market = match &a.market_keypair {
        Some(path) => read_keypair(path)?,
        None => Keypair::new(),
    };
    let params = MarketV2Params {
        lot_size: a.lot.atoms(class.decimals)?,
        tick_size: a.tick.atoms(class.quote_decimals)?,
        min_order_notional: a.min_notional.atoms(class.quote_decimals)?,
        max_orders_per_seat: a.max_orders,
        maker_fee_bps: a.maker_fee_bps,
        taker_fee_bps: a.taker_fee_bps,
    };
    let treasury = ata(&platform.treasury, &class.quote_mint, &class.quote_token_program);
    let k = MarketKeys::new(&ClassKeys::from_state(a.class.0, &class), market.pubkey(), &treasury);
    let rent = ctx
        .rpc
        .get_minimum_balance_for_rent_exemption(MarketV2::SPACE)
        .map_err(|e| format!("getMinimumBalanceForRentExemption: {e}"))?;
    let alloc = solana_system_interface::instruction::create_account(
        &admin.pubkey(),
        &market.pubkey(),
        rent,
        MarketV2::SPACE as u64,
        &compute_credits::ID,
    );
    let line = format!("Market: {}", market.pubkey());
    let ixs = [alloc, ix::create_market_v2(&admin.pubkey(), &k, params)];
    output::run(ctx, &ixs, &[admin, &market], &[("market", json!(market.pubkey().to_string()), line)])?;
    Ok(())
}

pub fn set_paused(ctx: &Context, a: MarketRef, paused: bool) -> CliResult {
    let authority = ctx.signer()?;
    let m = resolve_market(ctx, &a.market.0)?;
    ctx.run(&[ix::set_market_v2_paused(&authority.pubkey(), &m.keys, paused)], &[authority])?;
    Ok(())
}

#[derive(Args)]
pub struct OwnerArgs {
    #[arg(help = MARKET_HELP)]
    pub market: MarketArg,
    /// The trader (the seat's owner).
    pub owner: Pubkey,
    /// pull-frozen: the owner's frozen credit account. Default: its associated account.
    #[arg(long)]
    pub account: Option<Pubkey>,
}

pub fn pull_frozen(ctx: &Context, a: OwnerArgs) -> CliResult {
    let m = resolve_market(ctx, &a.market.0)?;
    let k = &m.keys;
    m.seat(&a.owner)?;
    let frozen = a.account.unwrap_or_else(|| ata(&a.owner, &k.credit_mint, &k.credit_program));
    ctx.run(&[ix::cancel_frozen_orders_v2(k, &frozen, &a.owner)], &[ctx.signer()?])?;
    Ok(())
}

pub fn clear_freeze(ctx: &Context, a: OwnerArgs) -> CliResult {
    let m = resolve_market(ctx, &a.market.0)?;
    let seat = m.seat(&a.owner)?;
    ctx.run(&[ix::clear_seat_freeze(&m.keys, &a.owner, seat)], &[ctx.signer()?])?;
    Ok(())
}

#[derive(Args)]
pub struct PruneArgs {
    #[arg(help = MARKET_HELP)]
    pub market: MarketArg,
    #[arg(value_enum)]
    pub side: Side,
    /// The most orders to remove.
    #[arg(long, default_value_t = 16)]
    pub max: u32,
}

pub fn prune(ctx: &Context, a: PruneArgs) -> CliResult {
    let m = resolve_market(ctx, &a.market.0)?;
    ctx.run(&[ix::prune_expired(&m.keys, a.side.order_side(), a.max)], &[ctx.signer()?])?;
    Ok(())
}

#[derive(Args)]
pub struct FeesArgs {
    #[arg(help = MARKET_HELP)]
    pub market: MarketArg,
    /// Quote to pay out (units, `…atoms`, or `all`).
    #[arg(default_value = "all")]
    pub amount: Amount,
}

pub fn withdraw_fees(ctx: &Context, a: FeesArgs) -> CliResult {
    let m = resolve_market(ctx, &a.market.0)?;
    let k = &m.keys;
    let fees = m.state.header().treasury_fees.0;
    let amount = a.amount.atoms_or(m.units.quote_decimals, fees)?;
    let payer = ctx.fee_payer()?.pubkey();
    let ixs = [
        create_ata(&payer, &m.treasury, &k.quote_mint, &k.quote_program),
        ix::withdraw_market_fees(k, &k.treasury_quote, amount),
    ];
    let line =
        format!("Paying {} to the treasury's {}", units(amount, m.units.quote_decimals), k.treasury_quote);
    output::run(ctx, &ixs, &[ctx.signer()?], &[("amount", json!(amount), line)])?;
    Ok(())
}
