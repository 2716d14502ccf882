//! The lender's commands (offer, cancel, freeze, liquidate, sell, settle-sale) and the ones
//! anyone may send (thaw, release, update).
use anchor_lang::prelude::Pubkey;
use clap::{Args, ValueEnum};
use compute_credits::state::{LendingConfig, UnderwritingApproval};
use compute_credits::{LoanKind, OfferTerms};
use credit_client::{ix, pda, read, ClassKeys, LoanKeys};
use credit_math::underwriting::{table_index, term_tier, AmountTier};
use serde_json::json;

use super::{load, treasury_quote, Kind, LoanRef};
use crate::commands::accounts::{ata, create_ata};
use crate::commands::args::{parse_bps, Amount, ClassArg};
use crate::commands::output::{self, units};
use crate::commands::CliResult;
use crate::context::Context;
use crate::context::Output;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Schedule {
    /// Equal installments of principal and interest.
    Level,
    /// Interest each period, the principal at the end.
    InterestOnly,
    /// Equal principal each period plus interest on what is left.
    StraightLine,
}

#[derive(Args)]
pub struct OfferArgs {
    /// The credit class whose credits back the loan: its id (0, 1, ...) or address.
    #[arg(long)]
    pub class: ClassArg,
    #[arg(long, value_enum)]
    pub kind: Kind,
    /// Principal in the quote currency: units (`100000`) or atoms (`100000000000atoms`).
    #[arg(long)]
    pub principal: Amount,
    /// Annual interest rate in percent (`10`, `9.5`).
    #[arg(long)]
    pub apr: String,
    /// Monthly installments.
    #[arg(long)]
    pub periods: u16,
    #[arg(long, value_enum, default_value_t = Schedule::Level)]
    pub schedule: Schedule,
    /// The borrower: required for financing (it must hold the underwriter's approval); a
    /// credit-backed offer without one is open to anyone.
    #[arg(long)]
    pub borrower: Option<Pubkey>,
    /// Borrower tier 0-3 (the multiplier's row). Financing: default the approval's tier.
    #[arg(long)]
    pub tier: Option<u8>,
    /// Initial coverage in percent (credit-backed). Default: the platform's minimum.
    #[arg(long)]
    pub initial: Option<String>,
    /// Maintenance coverage in percent; `0` (financing only) for none. Default: the minimum.
    #[arg(long)]
    pub maintenance: Option<String>,
    /// Liquidation coverage in percent. Default: the platform's minimum (0 with no maintenance).
    #[arg(long)]
    pub liquidation: Option<String>,
    /// The lender's numbering of its loans. Default: one above its highest open loan's.
    #[arg(long)]
    pub loan_id: Option<u64>,
    /// The quote account the principal comes from (payments go back to it). Default: the
    /// lender's associated account.
    #[arg(long)]
    pub from: Option<Pubkey>,
}

fn bps_or(given: &Option<String>, default: u16) -> Result<u16, String> {
    given.as_deref().map_or(Ok(default), parse_bps)
}

pub fn offer(ctx: &Context, a: OfferArgs) -> CliResult {
    let lender = ctx.signer()?;
    let lender_key = lender.pubkey();
    let err = |e: read::ReadError| e.to_string();
    let class = read::class(&ctx.rpc, &a.class.0).map_err(err)?;
    let platform = read::platform(&ctx.rpc).map_err(err)?;
    let config: LendingConfig = read::lending_config(&ctx.rpc).map_err(err)?;
    let principal = a.principal.atoms(class.quote_decimals)?;
    let kind = match a.kind {
        Kind::Financing => LoanKind::ComputeFinancing,
        Kind::CreditBacked => LoanKind::CreditBacked,
    };
    let borrower = a.borrower.unwrap_or_default();
    let tier = match (a.tier, kind) {
        (Some(t), _) => t,
        (None, LoanKind::CreditBacked) => 0,
        (None, LoanKind::ComputeFinancing) => {
            let approval = pda::approval(&borrower, &class.quote_mint);
            read::program_account::<UnderwritingApproval>(&ctx.rpc, &approval)
                .map_err(|e| {
                    format!("the borrower's approval ({e}): financing needs the underwriter's approval")
                })?
                .tier
        }
    };
    let maintenance = bps_or(&a.maintenance, config.min_maintenance_bps)?;
    let no_maintenance = if maintenance == 0 { 0 } else { config.min_liquidation_bps };
    let terms = OfferTerms {
        loan_id: match a.loan_id {
            Some(id) => id,
            None => read::loans(&ctx.rpc, Some(&lender_key), None)
                .map_err(err)?
                .iter()
                .map(|(_, l)| l.loan_id + 1)
                .max()
                .unwrap_or(1),
        },
        borrower,
        kind,
        schedule: a.schedule as u8,
        principal,
        apr_bps: parse_bps(&a.apr)?,
        periods: a.periods,
        borrower_tier: tier,
        initial_bps: match kind {
            LoanKind::CreditBacked => bps_or(&a.initial, config.min_initial_bps)?,
            LoanKind::ComputeFinancing => bps_or(&a.initial, 0)?,
        },
        maintenance_bps: maintenance,
        liquidation_bps: bps_or(&a.liquidation, no_maintenance)?,
    };
    let class_keys = ClassKeys::from_state(a.class.0, &class);
    let lender_quote =
        a.from.unwrap_or_else(|| ata(&lender_key, &class.quote_mint, &class.quote_token_program));
    let treasury = treasury_quote(&platform, &class);
    let k = LoanKeys::new(&class_keys, &lender_key, &lender_quote, &borrower, terms.loan_id, &treasury);
    // what the table gives these terms (the program reads it again at the approval's tier)
    let multiplier = match kind {
        LoanKind::CreditBacked => 10_000,
        LoanKind::ComputeFinancing => AmountTier::for_principal(principal, class.quote_decimals)
            .ok()
            .zip(term_tier(a.periods).ok())
            .map_or(0, |(amount, term)| config.multipliers[table_index(amount, term, tier.min(3))]),
    };
    output::run(
        ctx,
        &[ix::post_loan_offer(&k, terms)],
        &[lender],
        &[
            ("loan", json!(k.loan.to_string()), format!("Loan: {}", k.loan)),
            ("loanId", json!(terms.loan_id), format!("Loan id: {}", terms.loan_id)),
            ("multiplierBps", json!(multiplier), format!("Multiplier: {}x", units(u64::from(multiplier), 4))),
        ],
    )?;
    Ok(())
}

/// The loan's keys with the signer as the lender: a signer that is not the loan's lender is
/// refused by the program by name (`NotLender`), not by a missing signature here.
pub(super) fn as_lender(l: &super::Loaded, signer: &dyn solana_sdk::signature::Signer) -> LoanKeys {
    LoanKeys { lender: signer.pubkey(), ..l.keys }
}

pub fn cancel(ctx: &Context, a: LoanRef) -> CliResult {
    let lender = ctx.signer()?;
    let l = load(ctx, &a.loan, None)?;
    ctx.run(&[ix::cancel_loan_offer(&as_lender(&l, lender))], &[lender])?;
    Ok(())
}

#[derive(Args)]
pub struct FreezeArgs {
    /// The loan's address.
    pub loan: Pubkey,
    /// A borrower credit account to freeze (repeatable). Default: the borrower's associated
    /// credit account.
    #[arg(long = "account")]
    pub accounts: Vec<Pubkey>,
}

pub fn freeze(ctx: &Context, a: FreezeArgs) -> CliResult {
    let lender = ctx.signer()?;
    let l = load(ctx, &a.loan, None)?;
    let k = &l.keys;
    let accounts = if a.accounts.is_empty() {
        vec![ata(&k.borrower, &k.credit_mint, &k.credit_program)]
    } else {
        a.accounts
    };
    let ix = ix::freeze_collateral_more(k, &lender.pubkey(), &accounts[0], &accounts[1..]);
    let frozen = accounts.iter().map(|k| k.to_string()).collect::<Vec<_>>();
    let line = format!("Freezing: {}", frozen.join(", "));
    output::run(ctx, &[ix], &[lender], &[("accounts", json!(frozen), line)])?;
    Ok(())
}

pub fn thaw(ctx: &Context, a: LoanRef) -> CliResult {
    let l = load(ctx, &a.loan, None)?;
    let ix = ix::thaw_collateral(&l.keys, l.loan.held_accounts());
    ctx.run(&[ix], &[ctx.signer()?])?;
    Ok(())
}

#[derive(Args)]
pub struct LiquidateArgs {
    /// The loan's address.
    pub loan: Pubkey,
    /// The most credits to take (units or `…atoms`); default all the debt needs.
    #[arg(long, default_value = "all")]
    pub max: Amount,
}

pub fn liquidate(ctx: &Context, a: LiquidateArgs) -> CliResult {
    let lender = ctx.signer()?;
    let l = load(ctx, &a.loan, None)?;
    let k = &as_lender(&l, lender);
    let max = super::credits(&l, &a.max, u64::MAX)?;
    let payer = ctx.fee_payer()?.pubkey();
    let to = ata(&k.lender, &k.credit_mint, &k.credit_program);
    let ixs = [
        create_ata(&payer, &k.lender, &k.credit_mint, &k.credit_program),
        ix::liquidate_collateral(k, &to, max),
    ];
    output::run(
        ctx,
        &ixs,
        &[lender],
        &[("lenderCredits", json!(to.to_string()), format!("Credits to: {to}"))],
    )?;
    Ok(())
}

pub fn release(ctx: &Context, a: LoanRef) -> CliResult {
    let l = load(ctx, &a.loan, None)?;
    let k = &l.keys;
    let payer = ctx.fee_payer()?.pubkey();
    let to = ata(&k.borrower, &k.credit_mint, &k.credit_program);
    let ixs = [
        create_ata(&payer, &k.borrower, &k.credit_mint, &k.credit_program),
        ix::release_collateral(k, &to, l.loan.held_accounts()),
    ];
    let line = format!("Collateral back to: {to}");
    output::run(ctx, &ixs, &[ctx.signer()?], &[("borrowerCredits", json!(to.to_string()), line)])?;
    Ok(())
}

pub fn update(ctx: &Context, a: LoanRef) -> CliResult {
    let l = load(ctx, &a.loan, None)?;
    let before = l.loan.status();
    output::run(ctx, &[ix::update_loan(&l.keys)], &[ctx.signer()?], &[])?;
    if ctx.options.mode == credit_client::tx::Mode::Send && ctx.output == Output::Display {
        let after = read::loan(&ctx.rpc, &a.loan).map_err(|e| e.to_string())?.status();
        println!("Status: {before:?} -> {after:?}");
    }
    Ok(())
}
