//! `app market ...`: a class's order book over JSON-RPC. The admin creates and pauses markets;
//! traders claim a seat, move funds in and out of it and trade from it (their seat index is read
//! from the market's seat table, never typed); anyone swaps wallet to wallet, pulls a frozen
//! trader's orders, prunes expired orders and sweeps fees to the treasury; readers see the book
//! and the recent trades. A market is named by its address or by its class's.
use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use clap::{Args, Subcommand, ValueEnum};
use compute_credits::state::{CreditClass, MarketV2, MarketV2Registration};
use compute_credits::{MarketAsset, OrderSide};
use credit_client::state::{borsh, MarketState};
use credit_client::{pda, read, MarketKeys};

use super::accounts::ata;
use super::args::{MarketArg, Units, MARKET_HELP};
use super::CliResult;
use crate::context::Context;

mod admin;
mod show;
mod trade;

#[derive(Args)]
#[command(after_help = super::args::PRICE_HELP)]
pub struct MarketArgs {
    #[command(subcommand)]
    pub command: MarketCommand,
}

#[derive(Subcommand)]
pub enum MarketCommand {
    /// Admin: create the market of a class in its quote currency (one transaction).
    Create(admin::CreateArgs),
    /// Admin or guardian: stop placing and taking.
    Pause(MarketRef),
    /// Admin: resume trading.
    Resume(MarketRef),
    /// The book as a ladder (price, lots, orders) and the market's header.
    Show(show::ShowArgs),
    /// Recent fills, decoded from the events of the market's recent transactions.
    Trades(show::TradesArgs),
    /// Trader: claim a seat (prints its index).
    Seat(MarketRef),
    /// Trader: move credits or quote from the wallet into the seat.
    Deposit(trade::MoveArgs),
    /// Trader: move free credits or quote from the seat to the wallet.
    Withdraw(trade::MoveArgs),
    /// Trader: place an order from the seat.
    Order(trade::OrderArgs),
    /// Trader: cancel one of the seat's orders by its sequence number.
    Cancel(trade::CancelArgs),
    /// Trader: cancel every order of the seat.
    CancelAll(MarketRef),
    /// Trader: cancel listed (or all) orders and place post-only orders, in one transaction.
    Batch(trade::BatchArgs),
    /// Anyone: trade wallet to wallet against the book, no seat.
    Swap(trade::SwapArgs),
    /// Anyone: pull the orders of a trader whose credit account is frozen.
    PullFrozen(admin::OwnerArgs),
    /// Anyone: clear a seat's frozen flag once its owner is under no hold.
    ClearFreeze(admin::OwnerArgs),
    /// Anyone: remove expired orders from one side.
    Prune(admin::PruneArgs),
    /// Anyone: pay the market's fee balance to the treasury's quote account.
    WithdrawFees(admin::FeesArgs),
}

/// A market by its address, or its class's (id or address).
#[derive(Args)]
pub struct MarketRef {
    #[arg(help = MARKET_HELP)]
    pub market: MarketArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Side {
    #[value(alias = "buy")]
    Bid,
    #[value(alias = "sell")]
    Ask,
}

impl Side {
    pub fn order_side(self) -> OrderSide {
        match self {
            Side::Bid => OrderSide::Bid,
            Side::Ask => OrderSide::Ask,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Asset {
    #[value(alias = "credit")]
    Credits,
    Quote,
}

impl Asset {
    pub fn market_asset(self) -> MarketAsset {
        match self {
            Asset::Credits => MarketAsset::Credits,
            Asset::Quote => MarketAsset::Quote,
        }
    }
}

/// A market as read now, with every key and its units.
pub struct Resolved {
    pub keys: MarketKeys,
    pub state: MarketState,
    pub units: Units,
    /// The platform's treasury wallet.
    pub treasury: Pubkey,
}

impl Resolved {
    /// The seat index of `owner` (from the seat table).
    pub fn seat_of(&self, owner: &Pubkey) -> Option<u32> {
        self.state.seats.iter().position(|s| s.owner == owner.to_bytes()).map(|i| i as u32)
    }

    pub fn seat(&self, owner: &Pubkey) -> Result<u32, String> {
        self.seat_of(owner).ok_or(format!(
            "{owner} has no seat in market {} (claim one: app market seat {})",
            self.keys.market, self.keys.market
        ))
    }
}

/// Reads the market at `address`, or the market of the class at `address`.
pub fn resolve_market(ctx: &Context, address: &Pubkey) -> Result<Resolved, String> {
    let err = |e: read::ReadError| e.to_string();
    let acc =
        read::account(&ctx.rpc, address).map_err(err)?.ok_or(format!("account {address} does not exist"))?;
    let market = if acc.data.starts_with(MarketV2::DISCRIMINATOR) {
        *address
    } else if acc.data.starts_with(CreditClass::DISCRIMINATOR) {
        let class = read::class(&ctx.rpc, address).map_err(err)?;
        let registration = pda::market_registration(address, &class.quote_mint);
        let reg = read::account(&ctx.rpc, &registration)
            .map_err(err)?
            .ok_or(format!("class {address} has no market in its quote currency"))?;
        borsh::<MarketV2Registration>(&reg.data).map_err(|e| e.to_string())?.market
    } else {
        return Err(format!("{address} is neither a market nor a credit class"));
    };
    let state = read::market(&ctx.rpc, &market).map_err(err)?;
    let platform = read::platform(&ctx.rpc).map_err(err)?;
    let f = &state.fixed;
    let treasury_quote = ata(&platform.treasury, &f.quote_mint, &f.quote_token_program);
    let keys = MarketKeys::from_state(market, f, &treasury_quote);
    let h = state.header();
    let units = Units {
        lot_size: h.lot_size,
        tick_size: h.tick_size,
        credit_decimals: f.credit_decimals,
        quote_decimals: f.quote_decimals,
    };
    Ok(Resolved { keys, state, units, treasury: platform.treasury })
}

pub fn run(ctx: &Context, args: MarketArgs) -> CliResult {
    match args.command {
        MarketCommand::Create(a) => admin::create(ctx, a),
        MarketCommand::Pause(a) => admin::set_paused(ctx, a, true),
        MarketCommand::Resume(a) => admin::set_paused(ctx, a, false),
        MarketCommand::Show(a) => show::show(ctx, a),
        MarketCommand::Trades(a) => show::trades(ctx, a),
        MarketCommand::Seat(a) => trade::seat(ctx, a),
        MarketCommand::Deposit(a) => trade::move_funds(ctx, a, true),
        MarketCommand::Withdraw(a) => trade::move_funds(ctx, a, false),
        MarketCommand::Order(a) => trade::order(ctx, a),
        MarketCommand::Cancel(a) => trade::cancel(ctx, a),
        MarketCommand::CancelAll(a) => trade::cancel_all(ctx, a),
        MarketCommand::Batch(a) => trade::batch(ctx, a),
        MarketCommand::Swap(a) => trade::swap(ctx, a),
        MarketCommand::PullFrozen(a) => admin::pull_frozen(ctx, a),
        MarketCommand::ClearFreeze(a) => admin::clear_freeze(ctx, a),
        MarketCommand::Prune(a) => admin::prune(ctx, a),
        MarketCommand::WithdrawFees(a) => admin::withdraw_fees(ctx, a),
    }
}
