//! `class`: credit classes. `create` (admin: a mint at the class PDA with Token-2022 metadata),
//! `show` (the class, its mint's supply and Token-2022 metadata, pause state, price source),
//! `list`, `pause` (admin or guardian), `resume` (admin), `use-feed` (admin: price purchases by
//! the class's oracle feed, or by the list price again with `--off`).
use anchor_spl::token_2022::spl_token_2022;
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata;
use clap::{Args, Subcommand};
use compute_credits::state::CreditClass;
use compute_credits::CreateCreditClassArgs;
use credit_client::{ix, pda, read};
use serde_json::{json, Value};
use solana_sdk::pubkey::Pubkey;
use spl_token_2022::extension::metadata_pointer::MetadataPointer;
use spl_token_2022::extension::pausable::PausableConfig;
use spl_token_2022::extension::{BaseStateWithExtensions, StateWithExtensions};

use super::accounts::{account, load_class, mint};
use super::args::{Amount, ClassArg, TokenProgram};
use super::output::{self, fact, oracle_price, units};
use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct ClassArgs {
    #[command(subcommand)]
    pub command: ClassCommand,
}

#[derive(Subcommand)]
pub enum ClassCommand {
    /// Create a class (admin). Its id is the platform's next; the mint is the class PDA's.
    Create {
        /// Token name wallets show (Token-2022 metadata), e.g. "H100 GPU-hour credit".
        #[arg(long)]
        name: String,
        /// Token symbol (at most 10 bytes), e.g. H100H.
        #[arg(long)]
        symbol: String,
        /// Metadata URI (JSON with the token's image and description).
        #[arg(long)]
        uri: String,
        /// The compute one credit stands for, e.g. "H100 GPU-hour" (also a metadata field).
        #[arg(long)]
        unit: String,
        /// Price of one whole credit in the quote currency: units (2.50) or atoms (2500000atoms).
        #[arg(long)]
        list_price: Amount,
        /// Decimals of the credit mint (at most 9).
        #[arg(long, default_value_t = 6)]
        decimals: u8,
        /// The credit mint's token program.
        #[arg(long, value_enum, default_value_t = TokenProgram::Token2022)]
        token_program: TokenProgram,
        /// The quote currency's mint (its token program is read from the chain).
        #[arg(long)]
        quote_mint: Pubkey,
    },
    /// Print a class: its mint, supply, Token-2022 metadata, pause state and price source.
    Show {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
    },
    /// Every class of the program.
    List,
    /// Pause a class: no credit moves, mints or burns (signer: admin or guardian).
    Pause {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
    },
    /// Resume a paused class (signer: admin).
    Resume {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
    },
    /// Price purchases by the class's oracle feed (`feed create` first), or with --off by the
    /// list price again (signer: admin).
    UseFeed {
        #[arg(help = super::args::CLASS_HELP)]
        class: ClassArg,
        #[arg(long)]
        off: bool,
    },
}

pub fn run(ctx: &Context, args: ClassArgs) -> CliResult {
    match args.command {
        ClassCommand::Create { name, symbol, uri, unit, list_price, decimals, token_program, quote_mint } => {
            let admin = ctx.signer()?;
            let platform = read::platform(&ctx.rpc).map_err(|e| format!("platform: {e}"))?;
            let (quote_program, quote) = mint(ctx, &quote_mint)?;
            let args = CreateCreditClassArgs {
                class_id: platform.class_count,
                name,
                symbol,
                uri,
                unit,
                decimals,
                list_price: list_price.atoms(quote.decimals)?,
            };
            let class = pda::class(args.class_id);
            let id = args.class_id;
            let ix = ix::create_credit_class(
                &admin.pubkey(),
                args,
                &quote_mint,
                &token_program.id(),
                &quote_program,
            );
            let facts = [fact("classId", id), fact("class", class), fact("mint", pda::credit_mint(&class))];
            output::run(ctx, &[ix], &[admin], &facts)?;
        }
        ClassCommand::Show { class } => show(ctx, &class)?,
        ClassCommand::List => list(ctx)?,
        ClassCommand::Pause { class } => {
            let (key, c) = load_class(ctx, &class)?;
            let who = ctx.signer()?;
            ctx.run(
                &[ix::pause_class(&who.pubkey(), &key, &c.credit_mint, &c.credit_token_program)],
                &[who],
            )?;
        }
        ClassCommand::Resume { class } => {
            let (key, c) = load_class(ctx, &class)?;
            let who = ctx.signer()?;
            ctx.run(
                &[ix::resume_class(&who.pubkey(), &key, &c.credit_mint, &c.credit_token_program)],
                &[who],
            )?;
        }
        ClassCommand::UseFeed { class, off } => {
            let admin = ctx.signer()?;
            let key = class.0;
            let ix = ix::set_class_price_feed(&admin.pubkey(), &key, &pda::price_feed(&key), !off);
            ctx.run(&[ix], &[admin])?;
        }
    }
    Ok(())
}

/// The Token-2022 side of a mint: metadata, its pointer, the Pausable flag.
pub struct MintInfo {
    pub supply: u64,
    pub metadata: Option<TokenMetadata>,
    pub metadata_address: Option<Pubkey>,
    pub mint_paused: Option<bool>,
}

pub fn mint_info(data: &[u8]) -> Result<MintInfo, String> {
    let state =
        StateWithExtensions::<spl_token_2022::state::Mint>::unpack(data).map_err(|e| e.to_string())?;
    Ok(MintInfo {
        supply: state.base.supply,
        metadata: state.get_variable_len_extension::<TokenMetadata>().ok(),
        metadata_address: state
            .get_extension::<MetadataPointer>()
            .ok()
            .and_then(|p| Option::<Pubkey>::from(p.metadata_address)),
        mint_paused: state.get_extension::<PausableConfig>().ok().map(|p| bool::from(p.paused)),
    })
}

fn program_name(program: &Pubkey) -> &'static str {
    if *program == anchor_spl::token_2022::ID {
        "Token-2022"
    } else {
        "SPL Token"
    }
}

fn show(ctx: &Context, class: &ClassArg) -> CliResult {
    let (key, c) = load_class(ctx, class)?;
    let info = mint_info(&account(ctx, &c.credit_mint)?.data)?;
    let feed =
        (c.price_feed != Pubkey::default()).then(|| read::price_feed(&ctx.rpc, &c.price_feed).ok()).flatten();
    let mut text = format!(
        "Class: {key}\nId: {}\nUnit: {}\nMint: {} ({}, {} decimals)\nSupply: {} ({} atoms; minted {}, burned {})\n\
         Quote mint: {} ({} decimals)\nList price: {} per credit ({} atoms)\nPrice source: {}\nPaused: {}{}\nProviders: {}",
        c.class_id,
        c.unit(),
        c.credit_mint,
        program_name(&c.credit_token_program),
        c.decimals,
        units(info.supply, c.decimals),
        info.supply,
        units(c.minted, c.decimals),
        units(c.burned, c.decimals),
        c.quote_mint,
        c.quote_decimals,
        units(c.list_price, c.quote_decimals),
        c.list_price,
        match &feed {
            Some(f) => format!(
                "feed {} ({} ± {})",
                c.price_feed,
                oracle_price(i128::from(f.price), f.expo),
                oracle_price(i128::from(f.conf), f.expo)
            ),
            None => "list price".into(),
        },
        c.is_paused(),
        match info.mint_paused {
            Some(p) => format!(" (mint: {})", if p { "paused" } else { "not paused" }),
            None => String::new(),
        },
        c.provider_count,
    );
    if let Some(m) = &info.metadata {
        text.push_str(&format!(
            "\nToken-2022 metadata:\n  Name: {}\n  Symbol: {}\n  URI: {}\n  Update authority: {}",
            m.name,
            m.symbol,
            m.uri,
            Option::<Pubkey>::from(m.update_authority).map_or("none".into(), |k| k.to_string())
        ));
        for (k, v) in &m.additional_metadata {
            text.push_str(&format!("\n  {k}: {v}"));
        }
    }
    let metadata = info.metadata.as_ref().map(|m| {
        json!({
            "address": info.metadata_address.map(|k| k.to_string()),
            "name": m.name,
            "symbol": m.symbol,
            "uri": m.uri,
            "updateAuthority": Option::<Pubkey>::from(m.update_authority).map(|k| k.to_string()),
            "additionalMetadata": m.additional_metadata.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        })
    });
    let mut j = class_json(&key, &c);
    j["supply"] = json!(info.supply);
    j["supplyUi"] = json!(units(info.supply, c.decimals));
    j["mintPaused"] = json!(info.mint_paused);
    j["metadata"] = metadata.unwrap_or(Value::Null);
    j["feedPrice"] = match &feed {
        Some(f) => {
            json!({ "price": f.price, "conf": f.conf, "expo": f.expo, "publishTime": f.publish_time, "tripped": f.is_tripped() })
        }
        None => Value::Null,
    };
    ctx.print(&text, &j);
    Ok(())
}

fn class_json(key: &Pubkey, c: &CreditClass) -> Value {
    json!({
        "address": key.to_string(),
        "classId": c.class_id,
        "unit": c.unit(),
        "mint": c.credit_mint.to_string(),
        "tokenProgram": c.credit_token_program.to_string(),
        "decimals": c.decimals,
        "quoteMint": c.quote_mint.to_string(),
        "quoteTokenProgram": c.quote_token_program.to_string(),
        "quoteDecimals": c.quote_decimals,
        "listPrice": c.list_price,
        "listPriceUi": units(c.list_price, c.quote_decimals),
        "priceFeed": (c.price_feed != Pubkey::default()).then(|| c.price_feed.to_string()),
        "minted": c.minted,
        "burned": c.burned,
        "paused": c.is_paused(),
        "providerCount": c.provider_count,
    })
}

fn list(ctx: &Context) -> CliResult {
    let mut classes = read::classes(&ctx.rpc).map_err(|e| e.to_string())?;
    classes.sort_by_key(|(_, c)| c.class_id);
    let mut text = format!("{:>4}  {:<44}  {:<24}  {:>18}  {}", "Id", "Class", "Unit", "Supply", "Price");
    for (key, c) in &classes {
        let supply = c.minted.saturating_sub(c.burned);
        let price = if c.price_feed == Pubkey::default() {
            units(c.list_price, c.quote_decimals)
        } else {
            "feed".into()
        };
        let paused = if c.is_paused() { "  (paused)" } else { "" };
        text.push_str(&format!(
            "\n{:>4}  {:<44}  {:<24}  {:>18}  {price}{paused}",
            c.class_id,
            key.to_string(),
            c.unit(),
            units(supply, c.decimals)
        ));
    }
    let all: Vec<Value> = classes.iter().map(|(k, c)| class_json(k, c)).collect();
    ctx.print(&text, &json!({ "classes": all }));
    Ok(())
}
