//! `submit`: a transaction signed elsewhere (what `--sign-only` printed), with the signatures
//! the keys given here add, sent and confirmed. With `--sign-only` it prints the transaction
//! again for the next signer; with `--simulate` it runs it without sending.
use std::io::Read;

use clap::Args;
use credit_client::config::{read_keypair, signer_from_source};
use credit_client::tx::{decode_transaction, Pipeline};
use solana_sdk::signature::{NullSigner, Signer};

use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct SubmitArgs {
    /// The transaction, base64 (or base58) as --sign-only printed it; `-` reads it from stdin,
    /// `@PATH` (or an existing file's path) from a file.
    #[arg(value_name = "TRANSACTION|-|@PATH")]
    pub transaction: String,
    /// A signer to add: a keypair file, or PUBKEY=SIGNATURE printed by another --sign-only.
    /// Repeatable. The -k keypair and --fee-payer sign too when the transaction needs them.
    #[arg(long = "signer", value_name = "KEYPAIR|PUBKEY=SIGNATURE")]
    pub signers: Vec<String>,
}

fn read_transaction(source: &str) -> Result<String, String> {
    if source == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| format!("stdin: {e}"))?;
        return Ok(text);
    }
    let path = source.strip_prefix('@').unwrap_or(source);
    if source.starts_with('@') || std::path::Path::new(path).is_file() {
        return std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    }
    Ok(source.to_string())
}

pub fn run(ctx: &Context, args: SubmitArgs) -> CliResult {
    let tx = decode_transaction(&read_transaction(&args.transaction)?)?;
    let mut signers: Vec<Box<dyn Signer>> =
        args.signers.iter().map(|s| signer_from_source(s, false)).collect::<Result<_, _>>()?;
    // the -k keypair when it is one here (a missing default is fine: the transaction may be
    // complete already), and --fee-payer
    if let Ok(k) = read_keypair(&ctx.settings.keypair) {
        signers.push(Box::new(k));
    }
    let mut refs: Vec<&dyn Signer> = signers.iter().map(|s| s.as_ref()).collect();
    if let Ok(payer) = ctx.fee_payer() {
        refs.push(payer);
    }
    let payer = NullSigner::new(&tx.message.account_keys[0]);
    let outcome = Pipeline::new(&ctx.rpc, &payer, ctx.options.clone()).submit(tx, &refs)?;
    ctx.print(&outcome.to_string(), &outcome.to_json());
    Ok(())
}
