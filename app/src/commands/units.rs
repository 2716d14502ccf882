//! What the role commands share: amounts typed in human units or exact atoms, a class named by
//! id or address, mints and token accounts read over RPC, and keys that sign here or elsewhere.
use std::str::FromStr;

use anchor_spl::token_2022::spl_token_2022;
use compute_credits::state::CreditClass;
use credit_client::{pda, read};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signer;

use crate::context::Context;

/// An amount as typed: `12.5` in whole units (credits, dollars), or `12500000atoms` exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    /// Whole units as a decimal: integer part and fraction digits (`12.50` = 1250, 2).
    Units {
        mantissa: u128,
        scale: u32,
    },
    Atoms(u64),
}

impl FromStr for Amount {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().replace(['_', ','], "");
        if let Some(n) = t.strip_suffix("atoms") {
            return n.parse().map(Amount::Atoms).map_err(|_| format!("`{s}`: atoms are a whole number"));
        }
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        let bad = || format!("`{s}`: an amount like 12.50, or exact atoms like 12500000atoms");
        if (int.is_empty() && frac.is_empty()) || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        let mantissa = format!("{int}{frac}").parse::<u128>().map_err(|_| bad())?;
        Ok(Amount::Units { mantissa, scale: frac.len() as u32 })
    }
}

impl Amount {
    /// In atoms of a token with `decimals` decimals: exact, or refused.
    pub fn atoms(self, decimals: u8) -> Result<u64, String> {
        match self {
            Amount::Atoms(a) => Ok(a),
            Amount::Units { mantissa, scale } => {
                let d = u32::from(decimals);
                if scale > d {
                    return Err(format!(
                        "{} has more than {decimals} decimals: give it exactly, or in atoms",
                        show_decimal(mantissa, scale)
                    ));
                }
                mantissa
                    .checked_mul(10u128.pow(d - scale))
                    .and_then(|a| u64::try_from(a).ok())
                    .ok_or_else(|| format!("{} is too large", show_decimal(mantissa, scale)))
            }
        }
    }
}

fn show_decimal(mantissa: u128, scale: u32) -> String {
    let p = 10u128.pow(scale);
    if scale == 0 {
        mantissa.to_string()
    } else {
        format!("{}.{:0w$}", mantissa / p, mantissa % p, w = scale as usize)
    }
}

/// `atoms` of a token with `decimals` decimals as a decimal string (`1234500`, 6 -> `1.2345`).
pub fn ui(atoms: u64, decimals: u8) -> String {
    let s = show_decimal(u128::from(atoms), u32::from(decimals));
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A price (`mantissa x 10^expo`) as a decimal string.
pub fn ui_price(mantissa: i128, expo: i32) -> String {
    let sign = if mantissa < 0 { "-" } else { "" };
    let m = mantissa.unsigned_abs();
    let s = if expo >= 0 {
        (m * 10u128.pow(expo as u32)).to_string()
    } else {
        show_decimal(m, expo.unsigned_abs())
    };
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    format!("{sign}{s}")
}

/// The help of a class argument.
pub const CLASS_HELP: &str = "The class: its id (0, 1, ...) or address";

/// A class as the user names it: its id (`0`, `1`...) or its address.
#[derive(Clone, Copy, Debug)]
pub struct ClassArg(pub Pubkey);

impl FromStr for ClassArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if let Ok(id) = s.parse::<u32>() {
            return Ok(ClassArg(pda::class(id)));
        }
        Pubkey::from_str(s).map(ClassArg).map_err(|_| format!("`{s}`: a class id (0, 1, ...) or address"))
    }
}

/// Reads a class, with a hint when it is missing.
pub fn load_class(ctx: &Context, class: &ClassArg) -> Result<(Pubkey, CreditClass), String> {
    let state = read::class(&ctx.rpc, &class.0).map_err(|e| format!("class {}: {e}", class.0))?;
    Ok((class.0, state))
}

/// A raw account that must exist.
pub fn account(ctx: &Context, key: &Pubkey) -> Result<solana_sdk::account::Account, String> {
    read::account(&ctx.rpc, key)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("account {key} does not exist"))
}

/// A mint (either token program): its owner program and decoded base state.
pub fn mint(ctx: &Context, mint: &Pubkey) -> Result<(Pubkey, spl_token_2022::state::Mint), String> {
    use spl_token_2022::extension::StateWithExtensions;
    let acc = account(ctx, mint)?;
    let state = StateWithExtensions::<spl_token_2022::state::Mint>::unpack(&acc.data)
        .map_err(|e| format!("{mint} is not a mint: {e}"))?;
    Ok((acc.owner, state.base))
}

/// A token account (either token program), `None` if it does not exist.
pub fn token_account(ctx: &Context, key: &Pubkey) -> Result<Option<spl_token_2022::state::Account>, String> {
    use spl_token_2022::extension::StateWithExtensions;
    let Some(acc) = read::account(&ctx.rpc, key).map_err(|e| e.to_string())? else { return Ok(None) };
    StateWithExtensions::<spl_token_2022::state::Account>::unpack(&acc.data)
        .map(|s| Some(s.base))
        .map_err(|e| format!("{key} is not a token account: {e}"))
}

/// Every token account `owner` owns under either token program: address, program, state.
pub fn token_accounts_of(
    ctx: &Context,
    owner: &Pubkey,
) -> Result<Vec<(Pubkey, Pubkey, spl_token_2022::state::Account)>, String> {
    use solana_rpc_client::api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
    use solana_rpc_client::api::filter::{Memcmp, RpcFilterType};
    use spl_token_2022::extension::StateWithExtensions;
    let mut out = vec![];
    for program in [anchor_spl::token::ID, anchor_spl::token_2022::ID] {
        let config = RpcProgramAccountsConfig {
            // a token account's owner sits at byte 32 under both programs
            filters: Some(vec![RpcFilterType::Memcmp(Memcmp::new_raw_bytes(32, owner.to_bytes().to_vec()))]),
            account_config: RpcAccountInfoConfig {
                encoding: Some(solana_rpc_client::api::response::UiAccountEncoding::Base64),
                commitment: Some(ctx.rpc.commitment()),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        let found = ctx
            .rpc
            .get_program_ui_accounts_with_config(&program, config)
            .map_err(|e| format!("getProgramAccounts: {e}"))?;
        for (key, ui) in found {
            let Some(acc) = ui.decode::<solana_sdk::account::Account>() else { continue };
            // mints (and anything else) that happen to match the filter do not unpack
            if let Ok(state) = StateWithExtensions::<spl_token_2022::state::Account>::unpack(&acc.data) {
                if state.base.owner == *owner {
                    out.push((key, program, state.base));
                }
            }
        }
    }
    Ok(out)
}

/// The token program named on the command line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum TokenProgram {
    /// SPL Token.
    Spl,
    /// Token-2022 (classes get metadata and the Pausable extension).
    #[default]
    #[value(name = "token-2022")]
    Token2022,
}

impl TokenProgram {
    pub fn id(self) -> Pubkey {
        match self {
            TokenProgram::Spl => anchor_spl::token::ID,
            TokenProgram::Token2022 => anchor_spl::token_2022::ID,
        }
    }
}

/// Creates `owner`'s associated account of `mint` if it is missing (paid by `payer`).
pub fn create_ata_idempotent(
    payer: &Pubkey,
    owner: &Pubkey,
    mint: &Pubkey,
    program: &Pubkey,
) -> solana_sdk::instruction::Instruction {
    anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
        payer, owner, mint, program,
    )
}

/// A key that signs here (a keypair file) or elsewhere (a public key, with --sign-only).
pub fn key_source(ctx: &Context, source: &str) -> Result<Box<dyn Signer>, String> {
    let elsewhere_ok = ctx.options.mode != credit_client::tx::Mode::Send;
    credit_client::config::signer_from_source(source, elsewhere_ok)
}

/// `Some(x)` as a string, `None` as "none" (for keys that may be unset: `Pubkey::default()`).
pub fn key_or_none(key: &Pubkey) -> String {
    if *key == Pubkey::default() {
        "none".into()
    } else {
        key.to_string()
    }
}

/// Runs a transaction like `ctx.run`, printing `facts` with its outcome: `name: value` lines
/// after the outcome, and the same keys in the outcome's JSON object.
pub fn run_with(
    ctx: &Context,
    instructions: &[solana_sdk::instruction::Instruction],
    signers: &[&dyn Signer],
    facts: &[(&str, String)],
) -> Result<credit_client::tx::Outcome, String> {
    let outcome = ctx.pipeline()?.run(instructions, signers)?;
    let mut json = outcome.to_json();
    let mut text = outcome.to_string();
    for (k, v) in facts {
        json[*k] = serde_json::Value::String(v.clone());
        let mut label = k.chars();
        let first = label.next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
        // camelCase key -> "Camel case" label
        let rest: String = label
            .flat_map(|c| if c.is_uppercase() { vec![' ', c.to_ascii_lowercase()] } else { vec![c] })
            .collect();
        text.push_str(&format!("\n{first}{rest}: {v}"));
    }
    ctx.print(&text, &json);
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_units_or_atoms() {
        let a = |s: &str, d: u8| s.parse::<Amount>().and_then(|a| a.atoms(d));
        assert_eq!(a("12.50", 6), Ok(12_500_000));
        assert_eq!(a("12", 6), Ok(12_000_000));
        assert_eq!(a(".5", 2), Ok(50));
        assert_eq!(a("1_000.25", 2), Ok(100_025));
        assert_eq!(a("12500000atoms", 6), Ok(12_500_000));
        assert_eq!(a("7atoms", 0), Ok(7));
        assert!(a("1.234", 2).unwrap_err().contains("more than 2 decimals"));
        assert!(a("-1", 6).is_err() && a("1e5", 6).is_err() && a(".", 6).is_err() && a("", 6).is_err());
        assert!(a("1.5atoms", 6).is_err());
        assert!(a("99999999999999999999", 9).unwrap_err().contains("too large"));
        assert_eq!(ui(12_500_000, 6), "12.5");
        assert_eq!(ui(12_000_000, 6), "12");
        assert_eq!(ui(5, 0), "5");
        assert_eq!(ui(1, 9), "0.000000001");
        assert_eq!(ui_price(250_000_000, -8), "2.5");
        assert_eq!(ui_price(-25, -1), "-2.5");
        assert_eq!(ui_price(3, 2), "300");
    }

    #[test]
    fn classes_by_id_or_address() {
        assert_eq!("3".parse::<ClassArg>().unwrap().0, pda::class(3));
        let k = Pubkey::new_unique();
        assert_eq!(k.to_string().parse::<ClassArg>().unwrap().0, k);
        assert!("x".parse::<ClassArg>().is_err());
    }
}
