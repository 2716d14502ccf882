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
