//! Holders and providers: `buy` (credits at the class's price, the buyer's credit account
//! created in the same transaction), `redeem` (the holder and a registered provider co-sign:
//! both here, or each on its own machine with --sign-only and `app submit`), `balances`.
use std::str::FromStr;

use clap::Args;
use credit_client::ix::{self, Purchase, Redeem};
use credit_client::read;
use serde_json::json;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signer;

use super::accounts::{ata, create_ata, load_class, token_account, token_accounts_of};
use super::args::{key_source, Amount, ClassArg};
use super::output::units;
use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct BuyArgs {
    #[arg(help = super::args::CLASS_HELP)]
    pub class: ClassArg,
    /// Credits to buy: whole credits (12.5) or atoms (12500000atoms).
    pub amount: Amount,
    /// The most one whole credit may cost before the purchase fee (slippage guard): quote
    /// units (2.50) or atoms (2500000atoms).
    #[arg(long)]
    pub max_price: Amount,
    /// Who receives the credits (their associated account, created if missing). Default: the
    /// signer.
    #[arg(long)]
    pub recipient: Option<Pubkey>,
    /// The quote token account to pay from. Default: the signer's associated account.
    #[arg(long)]
    pub from: Option<Pubkey>,
}

pub fn buy(ctx: &Context, args: BuyArgs) -> CliResult {
    let buyer = ctx.signer()?;
    let payer = ctx.fee_payer()?.pubkey();
    let (class, c) = load_class(ctx, &args.class)?;
    let platform = read::platform(&ctx.rpc).map_err(|e| format!("platform: {e}"))?;
    let recipient = args.recipient.unwrap_or(buyer.pubkey());
    let recipient_credits = ata(&recipient, &c.credit_mint, &c.credit_token_program);
    let treasury_quote = ata(&platform.treasury, &c.quote_mint, &c.quote_token_program);
    let p = Purchase {
        buyer: buyer.pubkey(),
        class,
        credit_mint: c.credit_mint,
        quote_mint: c.quote_mint,
        buyer_quote: args.from.unwrap_or_else(|| ata(&buyer.pubkey(), &c.quote_mint, &c.quote_token_program)),
        treasury_quote,
        recipient_credits,
        credit_token_program: c.credit_token_program,
        quote_token_program: c.quote_token_program,
        price_feed: (c.price_feed != Pubkey::default()).then_some(c.price_feed),
    };
    let mut ixs = vec![create_ata(&payer, &recipient, &c.credit_mint, &c.credit_token_program)];
    if token_account(ctx, &treasury_quote)?.is_none() {
        ixs.push(create_ata(&payer, &platform.treasury, &c.quote_mint, &c.quote_token_program));
    }
    ixs.push(ix::purchase_credits(
        &p,
        args.amount.atoms(c.decimals)?,
        args.max_price.atoms(c.quote_decimals)?,
    ));
    ctx.run(&ixs, &[buyer])?;
    Ok(())
}

#[derive(Args)]
pub struct RedeemArgs {
    #[arg(help = super::args::CLASS_HELP)]
    pub class: ClassArg,
    /// Credits the provider delivered compute for: whole credits (12.5) or atoms.
    pub amount: Amount,
    /// The registered provider: its keypair file (it signs here), or its public key (it
    /// signs elsewhere: --sign-only here, then `app submit --signer` there).
    #[arg(long, value_name = "KEYPAIR|PUBKEY")]
    pub provider: String,
    /// The usage reference recorded with the redemption: up to 32 bytes of text (a job id),
    /// or 0x and 64 hex digits.
    #[arg(long)]
    pub usage: String,
    /// The holder, when it is not the -k signer (e.g. the provider runs the command with -k):
    /// a keypair file, or a public key that signs elsewhere.
    #[arg(long, value_name = "KEYPAIR|PUBKEY")]
    pub holder_keypair: Option<String>,
    /// The holder's credit account. Default: its associated account.
    #[arg(long)]
    pub from: Option<Pubkey>,
}

/// A usage reference: text of at most 32 bytes (zero-padded), or 0x + 64 hex digits.
pub fn usage_reference(text: &str) -> Result<[u8; 32], String> {
    let mut r = [0u8; 32];
    if let Some(hex) = text.strip_prefix("0x").filter(|h| h.len() == 64) {
        for (i, b) in r.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| format!("`{text}`: not hex"))?;
        }
        return Ok(r);
    }
    if text.is_empty() || text.len() > 32 {
        return Err(format!("usage reference `{text}`: 1 to 32 bytes of text, or 0x and 64 hex digits"));
    }
    r[..text.len()].copy_from_slice(text.as_bytes());
    Ok(r)
}

/// A party of a two-signer command: the -k signer when the key is its, else the source given.
fn party<'a>(
    ctx: &'a Context,
    source: &str,
    own: &'a mut Option<Box<dyn Signer>>,
) -> Result<&'a dyn Signer, String> {
    if let (Ok(k), Ok(me)) = (Pubkey::from_str(source), ctx.signer()) {
        if me.pubkey() == k {
            return Ok(me);
        }
    }
    let signer: &'a mut Box<dyn Signer> = own.insert(key_source(ctx, source)?);
    Ok(&**signer)
}

pub fn redeem(ctx: &Context, args: RedeemArgs) -> CliResult {
    let (class, c) = load_class(ctx, &args.class)?;
    let (mut own_holder, mut own_provider) = (None, None);
    let holder = match &args.holder_keypair {
        Some(source) => party(ctx, source, &mut own_holder)?,
        None => ctx.signer()?,
    };
    let provider = party(ctx, &args.provider, &mut own_provider)?;
    let r = Redeem {
        holder: holder.pubkey(),
        provider_authority: provider.pubkey(),
        class,
        credit_mint: c.credit_mint,
        holder_credits: args
            .from
            .unwrap_or_else(|| ata(&holder.pubkey(), &c.credit_mint, &c.credit_token_program)),
        credit_token_program: c.credit_token_program,
    };
    let ix = ix::redeem_credits(&r, args.amount.atoms(c.decimals)?, usage_reference(&args.usage)?);
    ctx.run(&[ix], &[holder, provider])?;
    Ok(())
}

#[derive(Args)]
pub struct BalancesArgs {
    /// The wallet. Default: the signer.
    #[arg(long)]
    pub owner: Option<Pubkey>,
}

pub fn balances(ctx: &Context, args: BalancesArgs) -> CliResult {
    let owner = match args.owner {
        Some(o) => o,
        None => ctx.signer()?.pubkey(),
    };
    let mut classes = read::classes(&ctx.rpc).map_err(|e| e.to_string())?;
    classes.sort_by_key(|(_, c)| c.class_id);
    let accounts = token_accounts_of(ctx, &owner)?;
    let mut text = format!("Credits of {owner}:");
    let mut rows = vec![];
    for (key, c) in &classes {
        let total: u64 =
            accounts.iter().filter(|(_, _, a)| a.mint == c.credit_mint).map(|(_, _, a)| a.amount).sum();
        let quote: u64 =
            accounts.iter().filter(|(_, _, a)| a.mint == c.quote_mint).map(|(_, _, a)| a.amount).sum();
        text.push_str(&format!(
            "\n  class {} ({}): {} credits",
            c.class_id,
            c.unit(),
            units(total, c.decimals)
        ));
        rows.push(json!({
            "class": key.to_string(),
            "classId": c.class_id,
            "unit": c.unit(),
            "mint": c.credit_mint.to_string(),
            "amount": total,
            "amountUi": units(total, c.decimals),
            "quoteMint": c.quote_mint.to_string(),
            "quoteAmount": quote,
        }));
    }
    ctx.print(&text, &json!({ "owner": owner.to_string(), "balances": rows }));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_references_from_text_or_hex() {
        let r = usage_reference("job-7").unwrap();
        assert_eq!(&r[..5], b"job-7");
        assert!(r[5..].iter().all(|b| *b == 0));
        let hex = format!("0x{}", "ab".repeat(32));
        assert_eq!(usage_reference(&hex).unwrap(), [0xab; 32]);
        assert!(usage_reference("").is_err());
        assert!(usage_reference(&"x".repeat(33)).is_err());
    }
}
