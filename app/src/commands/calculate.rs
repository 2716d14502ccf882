//! `calculate`: the financing arithmetic of the seed documents for any amount, term, tier and
//! monthly compute spend, from the same integer code the program runs (no floats).
use clap::{Args, ValueEnum};
use credit_math::schedule::{full_schedule, LoanTerms, ScheduleKind};
use credit_math::underwriting::{
    cost_reduction_bps_floor, credits_value_floor, default_table, table_index, term_tier, AmountTier,
};

use super::CliResult;

const QUOTE_DECIMALS: u8 = 6;

#[derive(Clone, Copy, ValueEnum)]
pub enum Schedule {
    /// Level payment (annuity).
    Amortizing,
    /// Interest every month, principal at the end (balloon).
    InterestOnly,
    /// The same principal every month.
    StraightLine,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum BorrowerTier {
    PreRevenue,
    Seed,
    SeriesA,
    SeriesBPlus,
}

#[derive(Args)]
pub struct CalculateArgs {
    /// Principal in quote units (USD), e.g. 1000000 or 250000.50.
    #[arg(long)]
    pub principal: String,
    /// Multiplier, e.g. 1.35; omit it to look it up in the underwriting table with --tier.
    #[arg(long)]
    pub multiplier: Option<String>,
    /// Borrower credit tier for the table lookup (amount and term tiers follow the loan).
    #[arg(long, value_enum, default_value = "series-a")]
    pub tier: BorrowerTier,
    /// APR in percent, e.g. 10 or 8.5.
    #[arg(long)]
    pub apr: String,
    #[arg(long)]
    pub months: u16,
    #[arg(long, value_enum, default_value = "interest-only")]
    pub schedule: Schedule,
    /// Monthly compute spend (USD) to compare the saving against the interest cost.
    #[arg(long)]
    pub monthly_spend: Option<String>,
}

/// Parses a non-negative decimal into an integer with `decimals` places, without floats.
pub fn parse_decimal(s: &str, decimals: u32) -> Result<u64, String> {
    let bad = || format!("not a non-negative decimal with at most {decimals} places: {s:?}");
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (!frac.is_empty() && !digits(frac)) || frac.len() > decimals as usize {
        return Err(bad());
    }
    let scale = 10u64.pow(decimals);
    let whole: u64 = whole.parse().map_err(|_| bad())?;
    let places = frac.len() as u32;
    let frac: u64 = if frac.is_empty() { 0 } else { frac.parse::<u64>().map_err(|_| bad())? };
    let frac = frac * 10u64.pow(decimals - places);
    whole.checked_mul(scale).and_then(|w| w.checked_add(frac)).ok_or_else(bad)
}

/// Quote atoms as dollars, rounded to the cent, with thousands separators.
pub fn usd(atoms: u64) -> String {
    let cents = (u128::from(atoms) + 5_000) / 10_000;
    let (dollars, cents) = (cents / 100, cents % 100);
    let digits = dollars.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{cents:02}")
}

fn percent(bps: u64) -> String {
    format!("{}.{:02}%", bps / 100, bps % 100)
}

pub fn run(args: CalculateArgs) -> CliResult {
    let principal = parse_decimal(&args.principal, u32::from(QUOTE_DECIMALS))?;
    let apr_bps = u16::try_from(parse_decimal(&args.apr, 2)?).map_err(|_| "APR too large")?;
    let err = |e: credit_math::MathError| e.to_string();
    let multiplier_bps = match &args.multiplier {
        Some(m) => u16::try_from(parse_decimal(m, 4)?).map_err(|_| "multiplier too large")?,
        None => {
            let amount = AmountTier::for_principal(principal, QUOTE_DECIMALS).map_err(err)?;
            let term = term_tier(args.months).map_err(|_| "the table covers 6 to 36 months")?;
            default_table()[table_index(amount, term, args.tier as u8)]
        }
    };
    let kind = match args.schedule {
        Schedule::Amortizing => ScheduleKind::LevelPayment,
        Schedule::InterestOnly => ScheduleKind::InterestOnly,
        Schedule::StraightLine => ScheduleKind::StraightLine,
    };
    let terms = LoanTerms { principal, apr_bps, periods: args.months, kind };
    let schedule = full_schedule(&terms).map_err(err)?;
    let interest: u64 = schedule.iter().map(|i| i.interest).sum();
    let credits = credits_value_floor(principal, multiplier_bps).map_err(err)?;
    let reduction = cost_reduction_bps_floor(multiplier_bps).map_err(err)?;
    let (first, last) = (schedule[0], schedule[schedule.len() - 1]);
    let name = match args.schedule {
        Schedule::Amortizing => "amortizing (level payment)",
        Schedule::InterestOnly => "interest-only with balloon",
        Schedule::StraightLine => "straight-line principal",
    };

    let multiplier = format!("{}.{:04}", multiplier_bps / 10_000, multiplier_bps % 10_000);
    let multiplier = multiplier.trim_end_matches('0').trim_end_matches('.');
    println!(
        "Financing {} at {multiplier}x, {} APR, {} months, {name}",
        usd(principal),
        percent(u64::from(apr_bps)),
        args.months
    );
    println!("  credits issued (value)       {}", usd(credits));
    println!("  total interest               {}", usd(interest));
    println!("  net credit value             {}", usd(credits.saturating_sub(interest)));
    println!("  effective cost reduction     {} (1 - 1/multiplier)", percent(reduction));
    println!(
        "  first installment            {} (interest {} + principal {})",
        usd(first.interest + first.principal),
        usd(first.interest),
        usd(first.principal)
    );
    println!("  last installment             {}", usd(last.interest + last.principal));
    // the monthly compute spend at which the multiplier's saving equals the average monthly
    // interest: spend x reduction = interest / months
    let monthly_interest = interest / u64::from(args.months);
    if reduction > 0 {
        let break_even = u128::from(monthly_interest) * 10_000 / u128::from(reduction);
        println!("  break-even monthly spend     {}", usd(u64::try_from(break_even).unwrap_or(u64::MAX)));
    }
    if let Some(spend) = &args.monthly_spend {
        let spend = parse_decimal(spend, u32::from(QUOTE_DECIMALS))?;
        let saving = u128::from(spend) * u128::from(reduction) / 10_000;
        let saving = u64::try_from(saving).unwrap_or(u64::MAX);
        println!(
            "  at {} a month: saving {} vs interest {} a month ({})",
            usd(spend),
            usd(saving),
            usd(monthly_interest),
            if saving >= monthly_interest { "the financing pays for itself" } else { "below break-even" }
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_without_floats() {
        assert_eq!(parse_decimal("1.35", 4), Ok(13_500));
        assert_eq!(parse_decimal("10", 2), Ok(1_000));
        assert_eq!(parse_decimal("8.5", 2), Ok(850));
        assert_eq!(parse_decimal("1000000", 6), Ok(1_000_000_000_000));
        assert!(parse_decimal("1.234", 2).is_err());
        assert!(parse_decimal("-1", 2).is_err());
        assert!(parse_decimal("1e3", 2).is_err());
        assert!(parse_decimal(".5", 2).is_err());
        assert!(parse_decimal("99999999999999999999", 0).is_err());
    }

    #[test]
    fn dollars_round_to_the_cent() {
        assert_eq!(usd(46_144_926_338), "$46,144.93");
        assert_eq!(usd(1_350_000_000_000), "$1,350,000.00");
        assert_eq!(usd(0), "$0.00");
        assert_eq!(usd(999_999), "$1.00");
    }
}
