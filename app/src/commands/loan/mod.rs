//! `app loan ...`: lenders (offer, cancel, freeze, liquidate, sell, settle-sale, release),
//! borrowers (accept, repay, withdraw, top-up, redeem-from-vault), anyone (update, thaw), and
//! the readers (show, list). A loan is named by its address; every other account is read from
//! it (`LoanKeys::from_state`) or derived.
use anchor_lang::prelude::Pubkey;
use clap::{Args, Subcommand, ValueEnum};
use compute_credits::state::{CreditClass, Loan, Platform};
use credit_client::{read, LoanKeys};

use super::accounts::ata;
use super::args::Amount;
use super::CliResult;
use crate::context::Context;

mod borrower;
mod lender;
mod sale;
mod show;

#[derive(Args)]
#[command(after_help = super::args::AMOUNT_HELP)]
pub struct LoanArgs {
    #[command(subcommand)]
    pub command: LoanCommand,
}

#[derive(Subcommand)]
pub enum LoanCommand {
    /// Lender: post an offer; the principal moves into the loan's escrow.
    Offer(lender::OfferArgs),
    /// Lender: withdraw an offer nobody accepted; the principal comes back.
    Cancel(LoanRef),
    /// Borrower: accept an offer (compute financing: credits are minted into the vault;
    /// credit-backed: pledge credits, receive the principal).
    Accept(borrower::AcceptArgs),
    /// Anyone: pay installments of a loan from the signer's quote account.
    Repay(borrower::RepayArgs),
    /// Borrower: take collateral credits out of the vault (coverage permitting).
    Withdraw(borrower::CreditsArgs),
    /// Borrower: add credits to the vault (restores coverage; `update` then cures a margin call).
    TopUp(borrower::CreditsArgs),
    /// Lender: freeze the borrower's credit accounts of a defaulted or liquidatable loan.
    /// Signable elsewhere: `-k <LENDER_PUBKEY> --sign-only`, then `app submit`.
    Freeze(lender::FreezeArgs),
    /// Anyone: lift the loan's freeze holds once the loan no longer justifies them.
    Thaw(LoanRef),
    /// Lender: take collateral credits of an enforceable loan at the oracle price less the
    /// liquidation discount, settling debt.
    Liquidate(lender::LiquidateArgs),
    /// Lender: sell collateral on the class's market (the loan's own seat).
    Sell(sale::SellArgs),
    /// Anyone (the lender to pull the sale): settle the loan's seat after sales.
    SettleSale(sale::SettleArgs),
    /// Anyone: close a repaid or liquidated loan, lifting its holds; the rest goes back.
    Release(LoanRef),
    /// Anyone: crank the loan (charge installments, late fees, statuses).
    Update(LoanRef),
    /// Borrower with a provider: redeem vault credits for compute used (both sign).
    RedeemFromVault(borrower::RedeemArgs),
    /// A loan: terms, schedule, status now, coverage, vault, holds.
    Show(LoanRef),
    /// Loans, by lender and/or borrower.
    List(show::ListArgs),
}

/// A loan by its address.
#[derive(Args)]
pub struct LoanRef {
    /// The loan's address.
    pub loan: Pubkey,
}

/// Which way to borrow.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Kind {
    /// Compute financing: the principal buys compute, principal x multiplier of credits go to
    /// the vault (the borrower must be approved by the underwriter).
    Financing,
    /// The borrower pledges credits and receives the principal.
    CreditBacked,
}

/// A posted loan with its class and platform, and every key its instructions name.
pub struct Loaded {
    pub loan: Loan,
    pub class: CreditClass,
    pub platform: Platform,
    pub keys: LoanKeys,
}

impl Loaded {
    pub fn credit_decimals(&self) -> u8 {
        self.class.decimals
    }

    pub fn quote_decimals(&self) -> u8 {
        self.class.quote_decimals
    }
}

/// The treasury's quote account (its associated account of the class's quote mint).
pub fn treasury_quote(platform: &Platform, class: &CreditClass) -> Pubkey {
    ata(&platform.treasury, &class.quote_mint, &class.quote_token_program)
}

/// Reads loan `address`, its class and the platform. `borrower` names the borrower of an open
/// offer about to be accepted.
pub fn load(ctx: &Context, address: &Pubkey, borrower: Option<&Pubkey>) -> Result<Loaded, String> {
    let err = |e: read::ReadError| e.to_string();
    let loan = read::loan(&ctx.rpc, address).map_err(err)?;
    let class = read::class(&ctx.rpc, &loan.class).map_err(err)?;
    let platform = read::platform(&ctx.rpc).map_err(err)?;
    let treasury = treasury_quote(&platform, &class);
    let keys = LoanKeys::from_state(*address, &loan, &class, &treasury, borrower);
    Ok(Loaded { loan, class, platform, keys })
}

pub fn run(ctx: &Context, args: LoanArgs) -> CliResult {
    match args.command {
        LoanCommand::Offer(a) => lender::offer(ctx, a),
        LoanCommand::Cancel(a) => lender::cancel(ctx, a),
        LoanCommand::Accept(a) => borrower::accept(ctx, a),
        LoanCommand::Repay(a) => borrower::repay(ctx, a),
        LoanCommand::Withdraw(a) => borrower::move_credits(ctx, a, false),
        LoanCommand::TopUp(a) => borrower::move_credits(ctx, a, true),
        LoanCommand::Freeze(a) => lender::freeze(ctx, a),
        LoanCommand::Thaw(a) => lender::thaw(ctx, a),
        LoanCommand::Liquidate(a) => lender::liquidate(ctx, a),
        LoanCommand::Sell(a) => sale::sell(ctx, a),
        LoanCommand::SettleSale(a) => sale::settle(ctx, a),
        LoanCommand::Release(a) => lender::release(ctx, a),
        LoanCommand::Update(a) => lender::update(ctx, a),
        LoanCommand::RedeemFromVault(a) => borrower::redeem(ctx, a),
        LoanCommand::Show(a) => show::show(ctx, a),
        LoanCommand::List(a) => show::list(ctx, a),
    }
}

/// `amount` of credits of the loan's class, `all` being `all`.
pub fn credits(l: &Loaded, amount: &Amount, all: u64) -> Result<u64, String> {
    amount.atoms_or(l.credit_decimals(), all)
}
