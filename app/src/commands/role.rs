//! What the lender, borrower and trader commands share: amounts in human units or atoms, prices
//! in quote units per credit or in ticks, associated token accounts (created idempotently in the
//! same transaction), and a transaction's outcome printed with the command's own fields.
use anchor_lang::prelude::Pubkey;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use credit_client::tx::Outcome;
use serde_json::Value;
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::Signer;

use super::calculate::parse_decimal;
use crate::context::{Context, Output};

/// How the help text describes an amount.
pub const AMOUNT_HELP: &str =
    "Amounts: in the token's units (`12.5`), or exact atoms with an `atoms` suffix (`12500000atoms`).";

/// An amount as the user typed it: resolved against the token's decimals by [`Amount::atoms`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Amount {
    Units(String),
    Atoms(u64),
    /// `all`, where a command allows it.
    All,
}

impl std::str::FromStr for Amount {
    type Err = String;
    fn from_str(s: &str) -> Result<Amount, String> {
        let s = s.trim().replace('_', "");
        if s.eq_ignore_ascii_case("all") {
            return Ok(Amount::All);
        }
        if let Some(n) = s.strip_suffix("atoms") {
            return n
                .trim()
                .parse()
                .map(Amount::Atoms)
                .map_err(|_| format!("`{s}`: a whole number of atoms"));
        }
        check_decimal(&s)?;
        Ok(Amount::Units(s))
    }
}

/// A non-negative decimal's shape (its places are checked against the token's decimals later).
fn check_decimal(s: &str) -> Result<(), String> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if digits(whole) && digits(frac) {
        Ok(())
    } else {
        Err(format!("`{s}`: not a non-negative decimal"))
    }
}

impl Amount {
    /// Atoms of a token with `decimals`; `all` is `all` (the caller's maximum).
    pub fn atoms_or(&self, decimals: u8, all: u64) -> Result<u64, String> {
        match self {
            Amount::Units(s) => parse_decimal(s, u32::from(decimals)),
            Amount::Atoms(a) => Ok(*a),
            Amount::All => Ok(all),
        }
    }

    /// Atoms of a token with `decimals`; `all` is refused.
    pub fn atoms(&self, decimals: u8) -> Result<u64, String> {
        match self {
            Amount::All => Err("`all` is not an amount here".into()),
            a => a.atoms_or(decimals, 0),
        }
    }
}

/// `atoms` of a token with `decimals`, as a decimal (`1234.5`, trailing zeros dropped).
pub fn units(atoms: u64, decimals: u8) -> String {
    let scale = 10u128.pow(u32::from(decimals));
    let (whole, frac) = (u128::from(atoms) / scale, u128::from(atoms) % scale);
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:0width$}", width = usize::from(decimals));
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

/// Basis points as a percentage (`12.5%`).
pub fn percent(bps: u64) -> String {
    format!("{}%", units(bps, 2))
}

/// A percentage with up to two decimals (`150`, `12.5`) in basis points.
pub fn parse_bps(s: &str) -> Result<u16, String> {
    let s = s.trim().trim_end_matches('%');
    u16::try_from(parse_decimal(s, 2)?).map_err(|_| format!("{s}%: too large"))
}

/// A market price as typed: quote units per whole credit (`2.49`), or ticks (`249t`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Price {
    Quote(String),
    Ticks(u64),
}

pub const PRICE_HELP: &str = "Amounts: in the token's units (`12.5`), or exact atoms with an `atoms` suffix (`12500000atoms`).
Prices: quote units per whole credit (`2.49`), or ticks with a `t` suffix (`249t`: ticks x tick size = quote atoms per lot).
The market is named by its address or by its credit class's; a trader's seat is found by its owner.";

impl std::str::FromStr for Price {
    type Err = String;
    fn from_str(s: &str) -> Result<Price, String> {
        let s = s.trim().replace('_', "");
        if let Some(t) = s.strip_suffix('t') {
            return t.parse().map(Price::Ticks).map_err(|_| format!("`{s}`: a whole number of ticks"));
        }
        check_decimal(&s)?;
        Ok(Price::Quote(s))
    }
}

/// A market's units: how prices and sizes convert.
#[derive(Clone, Copy, Debug)]
pub struct Units {
    pub lot_size: u64,
    pub tick_size: u64,
    pub credit_decimals: u8,
    pub quote_decimals: u8,
}

impl Units {
    /// The price in ticks; a quote price must fall on a tick exactly.
    pub fn ticks(&self, p: &Price) -> Result<u64, String> {
        let quote = match p {
            Price::Ticks(t) => return Ok(*t),
            Price::Quote(s) => s,
        };
        // quote atoms per whole credit -> per lot -> ticks, all exact
        let per_credit = u128::from(parse_decimal(quote, u32::from(self.quote_decimals))?);
        let per_lot_scaled = per_credit * u128::from(self.lot_size);
        let one = 10u128.pow(u32::from(self.credit_decimals));
        let tick = u128::from(self.tick_size) * one;
        if per_lot_scaled % tick != 0 {
            return Err(format!("{quote} is not on a tick (a tick is {} per credit)", self.price(1)));
        }
        u64::try_from(per_lot_scaled / tick).map_err(|_| format!("{quote}: too large"))
    }

    /// Quote units per whole credit at `ticks` (rounded down to the quote atom).
    pub fn price(&self, ticks: u64) -> String {
        let one = 10u128.pow(u32::from(self.credit_decimals));
        let atoms = u128::from(ticks) * u128::from(self.tick_size) * one / u128::from(self.lot_size.max(1));
        units(u64::try_from(atoms).unwrap_or(u64::MAX), self.quote_decimals)
    }

    /// Credits in `lots`, as a decimal.
    pub fn lots(&self, lots: u64) -> String {
        units(lots.saturating_mul(self.lot_size), self.credit_decimals)
    }
}

/// `owner`'s associated token account of `mint`.
pub fn ata(owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    credit_client::pda::associated_token(owner, mint, token_program)
}

/// Creates `owner`'s associated token account of `mint` if it is missing (paid by `payer`).
pub fn create_ata(payer: &Pubkey, owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Instruction {
    create_associated_token_account_idempotent(payer, owner, mint, token_program)
}

/// Sends `instructions` and prints the outcome with `fields` (display lines first; in JSON,
/// the fields next to the outcome's).
pub fn run(
    ctx: &Context,
    instructions: &[Instruction],
    signers: &[&dyn Signer],
    fields: &[(&str, Value, String)],
) -> Result<Outcome, String> {
    let outcome = ctx.pipeline()?.run(instructions, signers)?;
    print_with(ctx, &outcome, fields);
    Ok(outcome)
}

/// Prints `outcome` with the command's `fields`: `(json key, json value, display line)`.
pub fn print_with(ctx: &Context, outcome: &Outcome, fields: &[(&str, Value, String)]) {
    let mut json = outcome.to_json();
    let mut display = String::new();
    for (key, value, line) in fields {
        json[*key] = value.clone();
        if !line.is_empty() {
            display.push_str(line);
            display.push('\n');
        }
    }
    display.push_str(&outcome.to_string());
    ctx.print(&display, &json);
}

/// Prints a reader's result.
pub fn print(ctx: &Context, display: &str, json: &Value) {
    ctx.print(display, json);
}

/// True when output is for people.
pub fn for_people(ctx: &Context) -> bool {
    ctx.output == Output::Display
}

/// A short form of an address for tables (`AbCd…WxYz`).
pub fn short(key: &Pubkey) -> String {
    let s = key.to_string();
    format!("{}…{}", &s[..4], &s[s.len() - 4..])
}

/// A unix time as UTC `YYYY-MM-DD HH:MM:SS` (civil-from-days, no dependency).
pub fn utc(ts: i64) -> String {
    let (days, secs) = (ts.div_euclid(86_400), ts.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_prices_convert_exactly() {
        assert_eq!("12.5".parse::<Amount>().unwrap().atoms(6).unwrap(), 12_500_000);
        assert_eq!("12500000atoms".parse::<Amount>().unwrap().atoms(6).unwrap(), 12_500_000);
        assert_eq!("all".parse::<Amount>().unwrap().atoms_or(6, 7).unwrap(), 7);
        assert!("all".parse::<Amount>().unwrap().atoms(6).is_err());
        assert!("1.0000001".parse::<Amount>().unwrap().atoms(6).is_err());
        assert!("x".parse::<Amount>().is_err());
        assert_eq!("100000".parse::<Amount>().unwrap().atoms(6).unwrap(), 100_000_000_000);
        assert_eq!(units(12_500_000, 6), "12.5");
        assert_eq!(units(3, 6), "0.000003");
        assert_eq!(units(7, 0), "7");
        assert_eq!(percent(15_000), "150%");
        assert_eq!(parse_bps("12.5%").unwrap(), 1_250);
        // lots of 1 credit (6 decimals), ticks of $0.01 per lot
        let u = Units { lot_size: 1_000_000, tick_size: 10_000, credit_decimals: 6, quote_decimals: 6 };
        assert_eq!(u.ticks(&"2.49".parse().unwrap()).unwrap(), 249);
        assert_eq!(u.ticks(&"249t".parse().unwrap()).unwrap(), 249);
        assert!(u.ticks(&"2.495".parse().unwrap()).unwrap_err().contains("not on a tick"));
        assert_eq!(u.price(249), "2.49");
        assert_eq!(u.lots(10), "10");
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(1_767_225_600), "2026-01-01 00:00:00");
    }
}
