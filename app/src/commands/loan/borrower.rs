//! The borrower's commands: accept, repay (anyone may pay), withdraw and top up collateral,
//! redeem vault credits with a provider.
use anchor_lang::prelude::Pubkey;
use clap::Args;
use compute_credits::state::LoanKind;
use credit_client::ix;
use serde_json::json;
use solana_sdk::signature::Signer;

use super::{credits, load};
use crate::commands::accounts::{ata, create_ata};
use crate::commands::args::{key_source, Amount};
use crate::commands::output::{self, units};
use crate::commands::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct AcceptArgs {
    /// The loan's address.
    pub loan: Pubkey,
    /// Credit-backed: the credits to pledge (units, or `…atoms`).
    #[arg(long)]
    pub pledge: Option<Amount>,
    /// Slippage guard: refuse if fewer credits go into the vault (units, or `…atoms`).
    #[arg(long, default_value = "0")]
    pub min_credits: Amount,
    /// Credit-backed: the credit account the pledge comes from. Default: the associated one.
    #[arg(long)]
    pub from: Option<Pubkey>,
}

pub fn accept(ctx: &Context, a: AcceptArgs) -> CliResult {
    let borrower = ctx.signer()?;
    let me = borrower.pubkey();
    let l = load(ctx, &a.loan, Some(&me))?;
    let k = &l.keys;
    let payer = ctx.fee_payer()?.pubkey();
    let min = credits(&l, &a.min_credits, 0)?;
    let (ixs, to) = match l.loan.loan_kind() {
        LoanKind::ComputeFinancing => {
            if a.pledge.is_some() {
                return Err("compute financing mints the collateral: no --pledge".into());
            }
            let treasury = l.platform.treasury;
            let create = create_ata(&payer, &treasury, &k.quote_mint, &k.quote_program);
            (vec![create, ix::accept_loan(k, &k.treasury_quote, None, 0, min)], k.treasury_quote)
        }
        LoanKind::CreditBacked => {
            let pledge = a.pledge.as_ref().ok_or("a credit-backed loan needs --pledge")?;
            let pledge = credits(&l, pledge, 0)?;
            let from = a.from.unwrap_or_else(|| ata(&me, &k.credit_mint, &k.credit_program));
            let to = ata(&me, &k.quote_mint, &k.quote_program);
            let create = create_ata(&payer, &me, &k.quote_mint, &k.quote_program);
            (vec![create, ix::accept_loan(k, &to, Some(from), pledge, min)], to)
        }
    };
    let principal = units(l.loan.ledger.principal, l.quote_decimals());
    let line = format!("Principal {principal} to {to}; collateral in vault {}", k.vault);
    output::run(ctx, &ixs, &[borrower], &[("principalTo", json!(to.to_string()), line)])?;
    Ok(())
}

#[derive(Args)]
pub struct RepayArgs {
    /// The loan's address.
    pub loan: Pubkey,
    /// The most to pay, in the quote currency (units or `…atoms`), or `all` (whatever is
    /// owed: due installments first, then a prepayment of the rest).
    pub amount: Amount,
    /// The quote account paying. Default: the signer's associated account.
    #[arg(long)]
    pub from: Option<Pubkey>,
}

pub fn repay(ctx: &Context, a: RepayArgs) -> CliResult {
    let payer = ctx.signer()?;
    let l = load(ctx, &a.loan, None)?;
    let k = &l.keys;
    let max = a.amount.atoms_or(l.quote_decimals(), u64::MAX)?;
    let from = a.from.unwrap_or_else(|| ata(&payer.pubkey(), &k.quote_mint, &k.quote_program));
    ctx.run(&[ix::repay_loan(k, &payer.pubkey(), &from, max)], &[payer])?;
    Ok(())
}

#[derive(Args)]
pub struct CreditsArgs {
    /// The loan's address.
    pub loan: Pubkey,
    /// Credits (units or `…atoms`).
    pub amount: Amount,
    /// The borrower's credit account. Default: the associated one.
    #[arg(long)]
    pub account: Option<Pubkey>,
}

/// `withdraw` (vault -> wallet) or `top-up` (wallet -> vault).
pub fn move_credits(ctx: &Context, a: CreditsArgs, top_up: bool) -> CliResult {
    let borrower = ctx.signer()?;
    // the signer as the borrower: anyone else is refused by the program by name
    let l = load(ctx, &a.loan, Some(&borrower.pubkey()))?;
    let k = &l.keys;
    let amount = credits(&l, &a.amount, 0)?;
    let account = a.account.unwrap_or_else(|| ata(&k.borrower, &k.credit_mint, &k.credit_program));
    let mut ixs = vec![];
    if top_up {
        ixs.push(ix::top_up_collateral(k, &account, amount));
    } else {
        let payer = ctx.fee_payer()?.pubkey();
        ixs.push(create_ata(&payer, &k.borrower, &k.credit_mint, &k.credit_program));
        ixs.push(ix::withdraw_collateral(k, &account, amount, l.loan.ledger.maintenance_bps > 0));
    }
    ctx.run(&ixs, &[borrower])?;
    Ok(())
}

#[derive(Args)]
pub struct RedeemArgs {
    /// The loan's address.
    pub loan: Pubkey,
    /// Credits of compute used (units or `…atoms`).
    pub amount: Amount,
    /// The registered provider's authority (it signs too).
    #[arg(long)]
    pub provider: Pubkey,
    /// The provider's keypair, when it signs here; otherwise use --sign-only and have the
    /// provider add its signature with `app submit`.
    #[arg(long)]
    pub provider_keypair: Option<String>,
    /// The usage reference (up to 32 bytes of text, e.g. a job id).
    #[arg(long)]
    pub usage: String,
}

pub fn redeem(ctx: &Context, a: RedeemArgs) -> CliResult {
    let borrower = ctx.signer()?;
    let l = load(ctx, &a.loan, Some(&borrower.pubkey()))?;
    let amount = credits(&l, &a.amount, 0)?;
    let bytes = a.usage.as_bytes();
    if bytes.len() > 32 {
        return Err(format!("--usage: {} bytes, at most 32", bytes.len()));
    }
    let mut usage = [0u8; 32];
    usage[..bytes.len()].copy_from_slice(bytes);
    let with_feed = l.loan.ledger.maintenance_bps > 0;
    let ix = ix::redeem_from_vault(&l.keys, &a.provider, amount, usage, with_feed);
    let provider = match &a.provider_keypair {
        Some(p) => key_source(ctx, p)?,
        None => credit_client::config::signer_from_source(&a.provider.to_string(), true)?,
    };
    if provider.pubkey() != a.provider {
        return Err(format!("--provider-keypair is {}, not --provider {}", provider.pubkey(), a.provider));
    }
    ctx.run(&[ix], &[borrower, provider.as_ref()])?;
    Ok(())
}
