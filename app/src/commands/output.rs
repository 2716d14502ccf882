//! How the commands print, one rule each: a transaction's outcome with the command's own fields,
//! atoms as units, oracle prices, basis points as percentages, UTC times, short addresses.
use credit_client::tx::Outcome;
use serde_json::Value;
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signer;

use crate::context::Context;

/// A field printed with an outcome: `(json key, json value, display line)`; an empty display
/// line shows in JSON only.
pub type Field<'a> = (&'a str, Value, String);

/// A field whose value is a string: the line is `Label: value`, the label from the camelCase
/// key (`priceFeed` -> `Price feed`).
pub fn fact(key: &str, value: impl std::fmt::Display) -> Field<'_> {
    let value = value.to_string();
    let mut chars = key.chars();
    let first = chars.next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
    let rest: String = chars
        .flat_map(|c| if c.is_uppercase() { vec![' ', c.to_ascii_lowercase()] } else { vec![c] })
        .collect();
    let line = format!("{first}{rest}: {value}");
    (key, Value::String(value), line)
}

/// Sends `instructions` (through the one pipeline: --simulate, --sign-only, --output) and
/// prints the outcome with `fields`.
pub fn run(
    ctx: &Context,
    instructions: &[Instruction],
    signers: &[&dyn Signer],
    fields: &[Field],
) -> Result<Outcome, String> {
    let outcome = ctx.pipeline()?.run(instructions, signers)?;
    print_with(ctx, &outcome, fields);
    Ok(outcome)
}

/// Prints `outcome` with the command's `fields`: for people, their lines first, then the
/// outcome; in JSON, the fields next to the outcome's keys.
pub fn print_with(ctx: &Context, outcome: &Outcome, fields: &[Field]) {
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

fn decimal(mantissa: u128, scale: u32) -> String {
    let p = 10u128.pow(scale);
    let (whole, frac) = (mantissa / p, mantissa % p);
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:0w$}", w = scale as usize);
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

/// `atoms` of a token with `decimals` decimals, as a decimal (`1234500`, 6 -> `1.2345`;
/// trailing zeros dropped).
pub fn units(atoms: u64, decimals: u8) -> String {
    decimal(u128::from(atoms), u32::from(decimals))
}

/// An oracle price (`mantissa x 10^expo`) as a decimal.
pub fn oracle_price(mantissa: i128, expo: i32) -> String {
    let sign = if mantissa < 0 { "-" } else { "" };
    let m = mantissa.unsigned_abs();
    let s = if expo >= 0 {
        m.saturating_mul(10u128.saturating_pow(expo as u32)).to_string()
    } else {
        decimal(m, expo.unsigned_abs())
    };
    format!("{sign}{s}")
}

/// Basis points as a percentage (`12.5%`).
pub fn percent(bps: u64) -> String {
    format!("{}%", units(bps, 2))
}

/// A key that may be unset (`Pubkey::default()`): the key, or "none".
pub fn key_or_none(key: &Pubkey) -> String {
    if *key == Pubkey::default() {
        "none".into()
    } else {
        key.to_string()
    }
}

/// A short form of an address for tables (`AbCd…WxYz`).
pub fn short(key: &Pubkey) -> String {
    let s = key.to_string();
    format!("{}…{}", &s[..4], &s[s.len() - 4..])
}

/// A unix time as UTC `YYYY-MM-DD HH:MM:SS`, for people.
pub fn utc(ts: i64) -> String {
    let ((y, m, d), secs) = civil(ts);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// A unix time as UTC `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339), for logs.
pub fn utc_rfc3339(ts: i64) -> String {
    let ((y, m, d), secs) = civil(ts);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// The UTC date (year, month, day) of a unix time and its seconds into that day
/// (civil-from-days, no dependency).
fn civil(ts: i64) -> ((i64, i64, i64), i64) {
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
    ((y, m, d), secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoms_prices_and_percentages_as_text() {
        assert_eq!(units(12_500_000, 6), "12.5");
        assert_eq!(units(12_000_000, 6), "12");
        assert_eq!(units(3, 6), "0.000003");
        assert_eq!(units(1, 9), "0.000000001");
        assert_eq!(units(5, 0), "5");
        assert_eq!(units(7, 0), "7");
        assert_eq!(oracle_price(250_000_000, -8), "2.5");
        assert_eq!(oracle_price(-25, -1), "-2.5");
        assert_eq!(oracle_price(3, 2), "300");
        assert_eq!(percent(15_000), "150%");
        assert_eq!(percent(1_250), "12.5%");
        assert_eq!(key_or_none(&Pubkey::default()), "none");
        let k = Pubkey::new_unique();
        assert_eq!(key_or_none(&k), k.to_string());
        let s = k.to_string();
        assert_eq!(short(&k), format!("{}…{}", &s[..4], &s[s.len() - 4..]));
    }

    #[test]
    fn times_in_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(1_767_225_600), "2026-01-01 00:00:00");
        assert_eq!(utc(-1), "1969-12-31 23:59:59");
        assert_eq!(utc_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_rfc3339(1_767_225_599), "2025-12-31T23:59:59Z");
    }

    #[test]
    fn facts_are_labelled_from_their_keys() {
        let (k, v, line) = fact("priceFeed", "abc");
        assert_eq!((k, v, line.as_str()), ("priceFeed", Value::String("abc".into()), "Price feed: abc"));
        assert_eq!(fact("classId", 0).2, "Class id: 0");
    }
}
