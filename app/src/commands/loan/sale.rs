//! The lender's sale of collateral on the class's market (`sell`), and the settlement of the
//! loan's seat (`settle-sale`, anyone; the lender with `--cancel-orders` pulls the sale).
use anchor_lang::prelude::Pubkey;
use clap::{Args, ValueEnum};
use compute_credits::OrderType;
use credit_client::{ix, read};
use serde_json::json;

use super::lender::as_lender;
use super::load;
use crate::commands::accounts::{ata, create_ata};
use crate::commands::args::Price;
use crate::commands::market::resolve_market;
use crate::commands::output;
use crate::commands::CliResult;
use crate::context::Context;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SaleType {
    /// Takes what crosses; the rest rests until --expiry-secs.
    Limit,
    /// Takes what crosses, drops the rest.
    Ioc,
    /// Fills completely or not at all.
    Fok,
}

#[derive(Args)]
pub struct SellArgs {
    /// The loan's address.
    pub loan: Pubkey,
    /// The lowest price: quote units per credit (`2.40`) or ticks (`240t`).
    #[arg(long)]
    pub price: Price,
    /// Lots to sell.
    #[arg(long)]
    pub lots: u64,
    #[arg(long = "type", value_enum, default_value_t = SaleType::Ioc)]
    pub order_type: SaleType,
    /// Limit sales: seconds the rest may rest.
    #[arg(long)]
    pub expiry_secs: Option<i64>,
}

pub fn sell(ctx: &Context, a: SellArgs) -> CliResult {
    let lender = ctx.signer()?;
    let l = load(ctx, &a.loan, None)?;
    let k = &as_lender(&l, lender);
    let m = resolve_market(ctx, &k.class)?;
    let order_type = match a.order_type {
        SaleType::Limit => OrderType::Limit,
        SaleType::Ioc => OrderType::ImmediateOrCancel,
        SaleType::Fok => OrderType::FillOrKill,
    };
    let expiry = match (a.order_type, a.expiry_secs) {
        (SaleType::Limit, Some(s)) => read::now(&ctx.rpc).map_err(|e| e.to_string())? + s,
        (SaleType::Limit, None) => return Err("a limit sale rests: give --expiry-secs".into()),
        (_, _) => 0,
    };
    let ticks = m.units.ticks(&a.price)?;
    let payer = ctx.fee_payer()?.pubkey();
    let borrower_quote = ata(&k.borrower, &k.quote_mint, &k.quote_program);
    let ixs = [
        create_ata(&payer, &k.borrower, &k.quote_mint, &k.quote_program),
        ix::sell_collateral(k, &m.keys, &borrower_quote, order_type, ticks, a.lots, expiry),
    ];
    let line = format!(
        "Selling {} credits at {} or better on {}",
        m.units.lots(a.lots),
        m.units.price(ticks),
        m.keys.market
    );
    output::run(ctx, &ixs, &[lender], &[("market", json!(m.keys.market.to_string()), line)])?;
    Ok(())
}

#[derive(Args)]
pub struct SettleArgs {
    /// The loan's address.
    pub loan: Pubkey,
    /// The lender pulls the sale: cancel the seat's resting orders first.
    #[arg(long)]
    pub cancel_orders: bool,
}

pub fn settle(ctx: &Context, a: SettleArgs) -> CliResult {
    let caller = ctx.signer()?;
    let l = load(ctx, &a.loan, None)?;
    let k = &l.keys;
    let m = resolve_market(ctx, &k.class)?;
    let payer = ctx.fee_payer()?.pubkey();
    let borrower_quote = ata(&k.borrower, &k.quote_mint, &k.quote_program);
    let ixs = [
        create_ata(&payer, &k.borrower, &k.quote_mint, &k.quote_program),
        ix::settle_loan_sale(&caller.pubkey(), k, &m.keys, &borrower_quote, a.cancel_orders),
    ];
    ctx.run(&ixs, &[caller])?;
    Ok(())
}
