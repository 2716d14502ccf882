//! What the commands accept, one rule each: amounts in human units or exact atoms (or `all`),
//! decimals, percentages in basis points, market prices in quote units or ticks, a class by id
//! or address, a market by its address or its class's, the token program, and keys that sign
//! here or elsewhere.
use std::str::FromStr;

use credit_client::pda;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signer;

use super::output::units;
use crate::context::Context;

/// How the help text describes an amount.
pub const AMOUNT_HELP: &str =
    "Amounts: in the token's units (`12.5`), or exact atoms with an `atoms` suffix (`12500000atoms`).";

/// How the help text describes a market's amounts, prices and the market itself.
pub const PRICE_HELP: &str = "Amounts: in the token's units (`12.5`), or exact atoms with an `atoms` suffix (`12500000atoms`).
Prices: quote units per whole credit (`2.49`), or ticks with a `t` suffix (`249t`: ticks x tick size = quote atoms per lot).
The market is named by its address or by its credit class's (id or address); a trader's seat is found by its owner.";

/// The help of a class argument.
pub const CLASS_HELP: &str = "The class: its id (0, 1, ...) or address";

/// The help of a market argument.
pub const MARKET_HELP: &str = "The market: its address, or its class's (id or address)";

/// A non-negative decimal as typed (`12.50`, `.5`, `1_000`): its digits and how many of them
/// are fractional (`12.50` = 1250, 2). Exact: no floats anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: u128,
    pub scale: u32,
}

impl FromStr for Decimal {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().replace(['_', ','], "");
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        let bad = || format!("`{s}`: not a non-negative decimal like 12.50");
        if (int.is_empty() && frac.is_empty()) || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        let mantissa = format!("{int}{frac}").parse::<u128>().map_err(|_| bad())?;
        Ok(Decimal { mantissa, scale: frac.len() as u32 })
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = 10u128.pow(self.scale);
        if self.scale == 0 {
            write!(f, "{}", self.mantissa)
        } else {
            write!(f, "{}.{:0w$}", self.mantissa / p, self.mantissa % p, w = self.scale as usize)
        }
    }
}

impl Decimal {
    /// The integer with `places` decimal places (`12.5`, 6 -> 12500000): exact, or refused.
    pub fn scaled(self, places: u32) -> Result<u64, String> {
        if self.scale > places {
            return Err(format!("{self} has more than {places} decimals"));
        }
        self.mantissa
            .checked_mul(10u128.pow(places - self.scale))
            .and_then(|a| u64::try_from(a).ok())
            .ok_or_else(|| format!("{self} is too large"))
    }
}

/// An amount as typed: `12.5` in whole units (credits, dollars), `12500000atoms` exactly, or
/// `all` where a command allows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    Units(Decimal),
    Atoms(u64),
    /// `all`, where a command allows it (see [`Amount::atoms_or`]).
    All,
}

impl FromStr for Amount {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().replace(['_', ','], "");
        if t.eq_ignore_ascii_case("all") {
            return Ok(Amount::All);
        }
        if let Some(n) = t.strip_suffix("atoms") {
            return n
                .trim()
                .parse()
                .map(Amount::Atoms)
                .map_err(|_| format!("`{s}`: atoms are a whole number"));
        }
        t.parse()
            .map(Amount::Units)
            .map_err(|_| format!("`{s}`: an amount like 12.50, or exact atoms like 12500000atoms"))
    }
}

impl Amount {
    /// In atoms of a token with `decimals` decimals: exact, or refused; `all` is refused.
    pub fn atoms(self, decimals: u8) -> Result<u64, String> {
        match self {
            Amount::All => Err("`all` is not an amount here".into()),
            a => a.atoms_or(decimals, 0),
        }
    }

    /// In atoms of a token with `decimals` decimals; `all` is `all` (the caller's maximum).
    pub fn atoms_or(self, decimals: u8, all: u64) -> Result<u64, String> {
        match self {
            Amount::Atoms(a) => Ok(a),
            Amount::All => Ok(all),
            Amount::Units(d) => d.scaled(u32::from(decimals)).map_err(|e| {
                if d.scale > u32::from(decimals) {
                    format!("{e}: give it exactly, or in atoms")
                } else {
                    e
                }
            }),
        }
    }
}

/// A percentage with up to two decimals (`150`, `12.5`, `12.5%`) in basis points.
pub fn parse_bps(s: &str) -> Result<u16, String> {
    let t = s.trim().trim_end_matches('%');
    let bps = t.parse::<Decimal>()?.scaled(2).map_err(|e| format!("{t}%: {e}"))?;
    u16::try_from(bps).map_err(|_| format!("{t}%: too large"))
}

/// A market price as typed: quote units per whole credit (`2.49`), or ticks (`249t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Price {
    Quote(Decimal),
    Ticks(u64),
}

impl FromStr for Price {
    type Err = String;
    fn from_str(s: &str) -> Result<Price, String> {
        let t = s.trim().replace('_', "");
        if let Some(n) = t.strip_suffix('t') {
            return n.parse().map(Price::Ticks).map_err(|_| format!("`{s}`: a whole number of ticks"));
        }
        t.parse()
            .map(Price::Quote)
            .map_err(|_| format!("`{s}`: a price like 2.49 (quote per credit), or ticks like 249t"))
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
            Price::Quote(d) => d,
        };
        // quote atoms per whole credit -> per lot -> ticks, all exact
        let per_credit = u128::from(quote.scaled(u32::from(self.quote_decimals))?);
        let per_lot_scaled = per_credit * u128::from(self.lot_size);
        let one = 10u128.pow(u32::from(self.credit_decimals));
        let tick = u128::from(self.tick_size) * one;
        if tick == 0 || per_lot_scaled % tick != 0 {
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

/// A class as the user names it: its id (`0`, `1`...) or its address.
#[derive(Clone, Copy, Debug)]
pub struct ClassArg(pub Pubkey);

impl FromStr for ClassArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if let Ok(id) = s.trim().parse::<u32>() {
            return Ok(ClassArg(pda::class(id)));
        }
        Pubkey::from_str(s.trim())
            .map(ClassArg)
            .map_err(|_| format!("`{s}`: a class id (0, 1, ...) or address"))
    }
}

/// A market as the user names it: its address, or its class's (id or address). Which one an
/// address is, is read from the chain (`market::resolve_market`).
#[derive(Clone, Copy, Debug)]
pub struct MarketArg(pub Pubkey);

impl FromStr for MarketArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.parse::<ClassArg>()
            .map(|c| MarketArg(c.0))
            .map_err(|_| format!("`{s}`: a market's address, or its class's id (0, 1, ...) or address"))
    }
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

/// A length of time: seconds (`90`), or a number with a unit: `s`, `m`, `h`, `d`, `w` (`1h`,
/// `30d`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Secs(pub u64);

impl FromStr for Secs {
    type Err = String;
    fn from_str(s: &str) -> Result<Secs, String> {
        let t = s.trim().replace('_', "");
        let bad = || format!("`{s}`: seconds (90) or a number with a unit s, m, h, d, w (1h, 30d)");
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (n, unit) = t.split_at(split);
        let n: u64 = n.parse().map_err(|_| bad())?;
        let per = match unit {
            "" | "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            "w" => 604_800,
            _ => return Err(bad()),
        };
        n.checked_mul(per).map(Secs).ok_or_else(bad)
    }
}

impl Secs {
    /// As a `u32` of seconds (what the program stores), or refused.
    pub fn u32(self, what: &str) -> Result<u32, String> {
        u32::try_from(self.0).map_err(|_| format!("{what}: {}s is too long", self.0))
    }
}

/// A point in time: a length of time from now (`3600`, `30d`), or a UTC time in RFC 3339
/// (`2026-12-31T00:00:00Z`, or with an offset `+02:00`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    FromNow(Secs),
    At(i64),
}

impl FromStr for When {
    type Err = String;
    fn from_str(s: &str) -> Result<When, String> {
        if s.contains('T') || s.contains('-') {
            return rfc3339(s.trim()).map(When::At);
        }
        s.parse().map(When::FromNow).map_err(|e| format!("{e}; or a time like 2026-12-31T00:00:00Z"))
    }
}

impl When {
    /// The unix time, `now` being the cluster's clock.
    pub fn unix(self, now: i64) -> Result<i64, String> {
        match self {
            When::At(t) => Ok(t),
            When::FromNow(d) => i64::try_from(d.0)
                .ok()
                .and_then(|d| now.checked_add(d))
                .ok_or_else(|| format!("{}s from now is too far", d.0)),
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (days-from-civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An RFC 3339 time (`YYYY-MM-DDTHH:MM:SS` then `Z` or `+HH:MM` / `-HH:MM`, optional
/// fractional seconds dropped) as a unix time.
pub fn rfc3339(s: &str) -> Result<i64, String> {
    let bad = || format!("`{s}`: a time like 2026-12-31T00:00:00Z (RFC 3339)");
    let num = |t: &str| t.parse::<i64>().map_err(|_| bad());
    let (date, rest) = s.split_once(['T', 't']).ok_or_else(bad)?;
    let d: Vec<&str> = date.split('-').collect();
    if d.len() != 3 || d[0].len() != 4 || d[1].len() != 2 || d[2].len() != 2 || rest.len() < 9 {
        return Err(bad());
    }
    let (y, mo, day) = (num(d[0])?, num(d[1])?, num(d[2])?);
    let (time, zone) = rest.split_at(8);
    let t: Vec<&str> = time.split(':').collect();
    if t.len() != 3 {
        return Err(bad());
    }
    let (h, mi, sec) = (num(t[0])?, num(t[1])?, num(t[2])?);
    let zone = match zone.strip_prefix('.') {
        Some(frac) => frac.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => zone,
    };
    let offset = match zone {
        "Z" | "z" => 0,
        z if z.len() == 6 && (z.starts_with('+') || z.starts_with('-')) && &z[3..4] == ":" => {
            let secs = num(&z[1..3])? * 3_600 + num(&z[4..6])? * 60;
            if z.starts_with('-') {
                -secs
            } else {
                secs
            }
        }
        _ => return Err(bad()),
    };
    let month_days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let valid_day = (1..=12).contains(&mo)
        && day >= 1
        && day <= month_days[(mo - 1) as usize]
        && (mo != 2 || day <= 28 || leap);
    if !valid_day || h > 23 || mi > 59 || sec > 60 {
        return Err(bad());
    }
    Ok(days_from_civil(y, mo, day) * 86_400 + h * 3_600 + mi * 60 + sec - offset)
}

/// A key that signs here (a keypair file) or elsewhere (a public key, with --sign-only).
pub fn key_source(ctx: &Context, source: &str) -> Result<Box<dyn Signer>, String> {
    let elsewhere_ok = ctx.options.mode != credit_client::tx::Mode::Send;
    credit_client::config::signer_from_source(source, elsewhere_ok)
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
        assert_eq!(a("12500000 atoms", 6), Ok(12_500_000));
        assert_eq!(a("7atoms", 0), Ok(7));
        assert!(a("1.234", 2).unwrap_err().contains("more than 2 decimals"));
        assert!(a("-1", 6).is_err() && a("1e5", 6).is_err() && a(".", 6).is_err() && a("", 6).is_err());
        assert!(a("1.5atoms", 6).is_err());
        assert!(a("99999999999999999999", 9).unwrap_err().contains("too large"));
    }

    #[test]
    fn amounts_and_prices_convert_exactly() {
        assert_eq!("12.5".parse::<Amount>().unwrap().atoms(6).unwrap(), 12_500_000);
        assert_eq!("12500000atoms".parse::<Amount>().unwrap().atoms(6).unwrap(), 12_500_000);
        assert_eq!("all".parse::<Amount>().unwrap().atoms_or(6, 7).unwrap(), 7);
        assert_eq!("ALL".parse::<Amount>().unwrap(), Amount::All);
        assert!("all".parse::<Amount>().unwrap().atoms(6).is_err());
        assert!("1.0000001".parse::<Amount>().unwrap().atoms(6).is_err());
        assert!("x".parse::<Amount>().is_err());
        assert_eq!("100000".parse::<Amount>().unwrap().atoms(6).unwrap(), 100_000_000_000);
        assert_eq!(parse_bps("12.5%").unwrap(), 1_250);
        assert_eq!(parse_bps("150").unwrap(), 15_000);
        assert!(parse_bps("12.345").is_err() && parse_bps("700").is_err() && parse_bps("-1").is_err());
        // lots of 1 credit (6 decimals), ticks of $0.01 per lot
        let u = Units { lot_size: 1_000_000, tick_size: 10_000, credit_decimals: 6, quote_decimals: 6 };
        assert_eq!(u.ticks(&"2.49".parse().unwrap()).unwrap(), 249);
        assert_eq!(u.ticks(&"249t".parse().unwrap()).unwrap(), 249);
        assert!(u.ticks(&"2.495".parse().unwrap()).unwrap_err().contains("not on a tick"));
        assert!(u.ticks(&"2.4900001".parse().unwrap()).unwrap_err().contains("more than 6 decimals"));
        assert!("2.4x".parse::<Price>().is_err() && "1.5t".parse::<Price>().is_err());
        assert_eq!(u.price(249), "2.49");
        assert_eq!(u.lots(10), "10");
    }

    #[test]
    fn lengths_of_time_and_points_in_time() {
        assert_eq!("90".parse::<Secs>(), Ok(Secs(90)));
        assert_eq!("1h".parse::<Secs>(), Ok(Secs(3_600)));
        assert_eq!("30d".parse::<Secs>(), Ok(Secs(2_592_000)));
        assert_eq!("2w".parse::<Secs>(), Ok(Secs(1_209_600)));
        assert_eq!("15m".parse::<Secs>(), Ok(Secs(900)));
        assert!(
            "1y".parse::<Secs>().is_err() && "h".parse::<Secs>().is_err() && "-1".parse::<Secs>().is_err()
        );
        assert!(Secs(u64::from(u32::MAX) + 1).u32("notice").is_err());
        assert_eq!("30d".parse::<When>().unwrap().unix(1_000), Ok(1_000 + 2_592_000));
        assert_eq!("2026-01-01T00:00:00Z".parse::<When>(), Ok(When::At(1_767_225_600)));
        assert_eq!(rfc3339("2000-02-29T00:00:00Z"), Ok(951_782_400));
        assert_eq!(rfc3339("2025-12-31T23:59:59.250Z"), Ok(1_767_225_599));
        assert_eq!(rfc3339("2026-01-01T02:00:00+02:00"), Ok(1_767_225_600));
        assert_eq!(rfc3339("2025-12-31T19:00:00-05:00"), Ok(1_767_225_600));
        assert!(rfc3339("2025-02-29T00:00:00Z").is_err() && rfc3339("2026-13-01T00:00:00Z").is_err());
        assert!(rfc3339("2026-01-01").is_err() && rfc3339("2026-01-01T00:00:00").is_err());
        // the round trip with the printer
        for ts in [0, 951_782_400, 1_767_225_599, 4_102_444_800] {
            assert_eq!(rfc3339(&super::super::output::utc_rfc3339(ts)), Ok(ts));
        }
    }

    #[test]
    fn classes_by_id_or_address() {
        assert_eq!("3".parse::<ClassArg>().unwrap().0, pda::class(3));
        let k = Pubkey::new_unique();
        assert_eq!(k.to_string().parse::<ClassArg>().unwrap().0, k);
        assert!("x".parse::<ClassArg>().is_err());
    }

    #[test]
    fn markets_by_address_or_class() {
        assert_eq!("0".parse::<MarketArg>().unwrap().0, pda::class(0));
        let k = Pubkey::new_unique();
        assert_eq!(k.to_string().parse::<MarketArg>().unwrap().0, k);
        assert!("x".parse::<MarketArg>().unwrap_err().contains("market"));
    }
}
