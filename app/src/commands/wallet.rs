//! Trivial wallet commands over JSON-RPC, the shape every role command has: `balance`,
//! `airdrop` (a faucet: localnet, devnet, testnet) and `transfer` (SOL, through the
//! transaction pipeline: every global flag applies).
use clap::Args;
use serde_json::json;
use solana_sdk::native_token::LAMPORTS_PER_SOL;
use solana_sdk::pubkey::Pubkey;

use super::CliResult;
use crate::context::Context;

fn sol(lamports: u64) -> String {
    format!("{}.{:09} SOL", lamports / LAMPORTS_PER_SOL, lamports % LAMPORTS_PER_SOL)
}

fn lamports(sol: f64) -> Result<u64, String> {
    if !(sol.is_finite() && sol > 0.0) {
        return Err(format!("{sol}: an amount of SOL above zero"));
    }
    Ok((sol * LAMPORTS_PER_SOL as f64).round() as u64)
}

fn address(ctx: &Context, given: Option<Pubkey>) -> Result<Pubkey, String> {
    match given {
        Some(a) => Ok(a),
        None => Ok(ctx.signer()?.pubkey()),
    }
}

#[derive(Args)]
pub struct BalanceArgs {
    /// Default: the signer's.
    pub address: Option<Pubkey>,
}

pub fn balance(ctx: &Context, args: BalanceArgs) -> CliResult {
    let address = address(ctx, args.address)?;
    let lamports = ctx.rpc.get_balance(&address).map_err(|e| format!("getBalance: {e}"))?;
    ctx.print(&sol(lamports), &json!({ "address": address.to_string(), "lamports": lamports }));
    Ok(())
}

#[derive(Args)]
pub struct AirdropArgs {
    /// SOL to request.
    pub sol: f64,
    /// Default: the signer.
    pub address: Option<Pubkey>,
}

pub fn airdrop(ctx: &Context, args: AirdropArgs) -> CliResult {
    let address = address(ctx, args.address)?;
    let amount = lamports(args.sol)?;
    let signature = ctx.rpc.request_airdrop(&address, amount).map_err(|e| format!("requestAirdrop: {e}"))?;
    ctx.rpc
        .poll_for_signature_with_commitment(&signature, ctx.options.commitment)
        .map_err(|e| format!("airdrop {signature}: {e}"))?;
    let balance = ctx.rpc.get_balance(&address).map_err(|e| format!("getBalance: {e}"))?;
    ctx.print(
        &format!("Signature: {signature}\n{}", sol(balance)),
        &json!({ "signature": signature.to_string(), "address": address.to_string(), "lamports": balance }),
    );
    Ok(())
}

#[derive(Args)]
pub struct TransferArgs {
    pub to: Pubkey,
    /// SOL to send.
    pub sol: f64,
}

pub fn transfer(ctx: &Context, args: TransferArgs) -> CliResult {
    let from = ctx.signer()?;
    let ix = solana_system_interface::instruction::transfer(&from.pubkey(), &args.to, lamports(args.sol)?);
    ctx.run(&[ix], &[from])?;
    Ok(())
}

#[derive(Args)]
pub struct PositionsArgs {
    /// The wallet. Default: the signer.
    pub owner: Option<Pubkey>,
}

/// Who holds a frozen credit account: the guardian, and which of the owner's loans.
fn holders_of(
    ctx: &Context,
    account: &Pubkey,
    borrowed: &[(Pubkey, compute_credits::state::Loan)],
) -> serde_json::Value {
    let hold = credit_client::read::program_account::<compute_credits::state::FreezeHold>(
        &ctx.rpc,
        &credit_client::pda::freeze_hold(account),
    );
    let loans: Vec<String> = borrowed
        .iter()
        .filter(|(_, l)| l.held_accounts().contains(account))
        .map(|(k, _)| k.to_string())
        .collect();
    match hold {
        Ok(h) => json!({ "guardian": h.guardian != 0, "loanCount": h.loans, "loans": loans }),
        Err(_) => json!({ "guardian": false, "loanCount": 0, "loans": loans }),
    }
}

/// `wallet`: every position of a wallet: its credits by class (each account, frozen or not and
/// by whom), its loans as lender and as borrower, and its market seats.
pub fn positions(ctx: &Context, args: PositionsArgs) -> CliResult {
    use super::accounts::token_accounts_of;
    use super::output::units;
    use anchor_spl::token_2022::spl_token_2022::state::AccountState;
    let owner = address(ctx, args.owner)?;
    let rpc_err = |e: credit_client::read::ReadError| e.to_string();
    let mut classes = credit_client::read::classes(&ctx.rpc).map_err(rpc_err)?;
    classes.sort_by_key(|(_, c)| c.class_id);
    let accounts = token_accounts_of(ctx, &owner)?;
    let lent = credit_client::read::loans(&ctx.rpc, Some(&owner), None).map_err(rpc_err)?;
    let borrowed = credit_client::read::loans(&ctx.rpc, None, Some(&owner)).map_err(rpc_err)?;
    let mut text = format!("Wallet {owner}\nCredits:");
    let mut credits = vec![];
    for (class, c) in &classes {
        for (key, _, a) in accounts.iter().filter(|(_, _, a)| a.mint == c.credit_mint) {
            let frozen = a.state == AccountState::Frozen;
            let held = frozen.then(|| holders_of(ctx, key, &borrowed));
            let by = held.as_ref().map(|h| {
                let mut who = vec![];
                if h["guardian"] == json!(true) {
                    who.push("the guardian".to_string());
                }
                who.extend(
                    h["loans"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|l| format!("loan {}", l.as_str().unwrap_or(""))),
                );
                format!("  FROZEN by {}", if who.is_empty() { "?".into() } else { who.join(", ") })
            });
            text.push_str(&format!(
                "\n  class {} ({}): {} in {key}{}",
                c.class_id,
                c.unit(),
                units(a.amount, c.decimals),
                by.unwrap_or_default()
            ));
            credits.push(json!({
                "class": class.to_string(), "classId": c.class_id, "unit": c.unit(), "account": key.to_string(),
                "amount": a.amount, "amountUi": units(a.amount, c.decimals), "frozen": frozen, "heldBy": held,
            }));
        }
    }
    let loan_json = |(k, l): &(Pubkey, compute_credits::state::Loan)| {
        json!({
            "address": k.to_string(), "loanId": l.loan_id, "class": l.class.to_string(),
            "lender": l.lender.to_string(), "borrower": l.borrower.to_string(),
            "status": format!("{:?}", l.status()), "principalOutstanding": l.ledger().principal_outstanding,
        })
    };
    for (title, list) in [("Loans as lender:", &lent), ("Loans as borrower:", &borrowed)] {
        text.push_str(&format!("\n{title}"));
        for (k, l) in list.iter() {
            text.push_str(&format!(
                "\n  {k} #{} {:?}, principal outstanding {} atoms",
                l.loan_id,
                l.status(),
                l.ledger().principal_outstanding
            ));
        }
    }
    let markets = credit_client::read::markets(&ctx.rpc).map_err(rpc_err)?;
    let mut seats = vec![];
    text.push_str("\nMarket seats:");
    for (market, m) in &markets {
        for (i, s) in m.seats.iter().enumerate().filter(|(_, s)| s.owner == owner.to_bytes()) {
            text.push_str(&format!(
                "\n  market {market} seat {i}: credits free {} locked {}, quote free {} locked {}, {} orders",
                s.base_free.0, s.base_locked.0, s.quote_free.0, s.quote_locked.0, s.order_count
            ));
            seats.push(json!({
                "market": market.to_string(), "class": m.fixed.class.to_string(), "seat": i,
                "baseFree": s.base_free.0, "baseLocked": s.base_locked.0,
                "quoteFree": s.quote_free.0, "quoteLocked": s.quote_locked.0, "orders": s.order_count,
            }));
        }
    }
    ctx.print(
        &text,
        &json!({
            "owner": owner.to_string(),
            "credits": credits,
            "loansAsLender": lent.iter().map(loan_json).collect::<Vec<_>>(),
            "loansAsBorrower": borrowed.iter().map(loan_json).collect::<Vec<_>>(),
            "seats": seats,
        }),
    );
    Ok(())
}
