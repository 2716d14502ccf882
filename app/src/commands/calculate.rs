//! `calculate`: the financing arithmetic of the seed documents for any amount, term, tier and
//! monthly compute spend, from the same integer code the program runs (no floats).
use clap::{Args, ValueEnum};
use credit_math::schedule::{full_schedule, LoanTerms, ScheduleKind};
use credit_math::underwriting::{
    cost_reduction_bps_floor, credits_value_floor, default_table, table_index, term_tier, AmountTier,
};

use super::CliResult;
use crate::context::Output;

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

/// Every figure `calculate` reports, in atoms and basis points (the JSON output), with the
/// display strings people read (the same text in both outputs).
#[derive(Debug, serde::Serialize)]
pub struct Figures {
    pub principal_atoms: String,
    pub multiplier_bps: u16,
    /// The multiplier came from the underwriting table (no `--multiplier`).
    pub multiplier_from_table: bool,
    pub apr_bps: u16,
    pub months: u16,
    pub schedule: &'static str,
    pub credits_value_atoms: String,
    pub total_interest_atoms: String,
    pub net_credit_value_atoms: String,
    pub cost_reduction_bps: u64,
    pub first_installment_atoms: String,
    pub first_interest_atoms: String,
    pub first_principal_atoms: String,
    pub last_installment_atoms: String,
    pub monthly_interest_atoms: String,
    /// `None` when the multiplier is 1x (no saving to break even with).
    pub break_even_monthly_spend_atoms: Option<String>,
    pub monthly_spend_atoms: Option<String>,
    pub saving_atoms: Option<String>,
    pub pays_for_itself: Option<bool>,
    /// Each installment as originated: `[interest, principal]` atoms.
    pub installments: Vec<[String; 2]>,
    pub display: Display,
}

/// The figures as the display output prints them (`$1,350,000.00`, `25.92%`, `1.35`).
#[derive(Debug, serde::Serialize)]
pub struct Display {
    pub principal: String,
    pub multiplier: String,
    pub apr: String,
    pub schedule: &'static str,
    pub credits_value: String,
    pub total_interest: String,
    pub net_credit_value: String,
    pub cost_reduction: String,
    pub first_installment: String,
    pub first_interest: String,
    pub first_principal: String,
    pub last_installment: String,
    pub monthly_interest: String,
    pub break_even_monthly_spend: Option<String>,
    pub monthly_spend: Option<String>,
    pub saving: Option<String>,
}

/// The arithmetic of `calculate`, from the same integer code the program runs.
pub fn figures(args: &CalculateArgs) -> Result<Figures, String> {
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
    let (Some(&first), Some(&last)) = (schedule.first(), schedule.last()) else {
        return Err(err(credit_math::MathError::OutOfRange));
    };
    let overflow = || err(credit_math::MathError::Overflow);
    let interest =
        schedule.iter().try_fold(0u64, |sum, i| sum.checked_add(i.interest)).ok_or_else(overflow)?;
    let credits = credits_value_floor(principal, multiplier_bps).map_err(err)?;
    let reduction = cost_reduction_bps_floor(multiplier_bps).map_err(err)?;
    let name = match args.schedule {
        Schedule::Amortizing => "amortizing (level payment)",
        Schedule::InterestOnly => "interest-only with balloon",
        Schedule::StraightLine => "straight-line principal",
    };
    let multiplier = format!("{}.{:04}", multiplier_bps / 10_000, multiplier_bps % 10_000);
    let multiplier = multiplier.trim_end_matches('0').trim_end_matches('.').to_string();
    let net = credits.saturating_sub(interest);
    // the monthly compute spend at which the multiplier's saving equals the average monthly
    // interest: spend x reduction = interest / months
    let monthly_interest = interest / u64::from(args.months);
    let break_even = (reduction > 0).then(|| {
        let b = u128::from(monthly_interest) * 10_000 / u128::from(reduction);
        u64::try_from(b).unwrap_or(u64::MAX)
    });
    let spend =
        args.monthly_spend.as_deref().map(|s| parse_decimal(s, u32::from(QUOTE_DECIMALS))).transpose()?;
    let saving =
        spend.map(|s| u64::try_from(u128::from(s) * u128::from(reduction) / 10_000).unwrap_or(u64::MAX));
    let first_total = first.interest.checked_add(first.principal).ok_or_else(overflow)?;
    let last_total = last.interest.checked_add(last.principal).ok_or_else(overflow)?;
    Ok(Figures {
        principal_atoms: principal.to_string(),
        multiplier_bps,
        multiplier_from_table: args.multiplier.is_none(),
        apr_bps,
        months: args.months,
        schedule: match args.schedule {
            Schedule::Amortizing => "amortizing",
            Schedule::InterestOnly => "interest-only",
            Schedule::StraightLine => "straight-line",
        },
        credits_value_atoms: credits.to_string(),
        total_interest_atoms: interest.to_string(),
        net_credit_value_atoms: net.to_string(),
        cost_reduction_bps: reduction,
        first_installment_atoms: first_total.to_string(),
        first_interest_atoms: first.interest.to_string(),
        first_principal_atoms: first.principal.to_string(),
        last_installment_atoms: last_total.to_string(),
        monthly_interest_atoms: monthly_interest.to_string(),
        break_even_monthly_spend_atoms: break_even.map(|b| b.to_string()),
        monthly_spend_atoms: spend.map(|s| s.to_string()),
        saving_atoms: saving.map(|s| s.to_string()),
        pays_for_itself: saving.map(|s| s >= monthly_interest),
        installments: schedule.iter().map(|i| [i.interest.to_string(), i.principal.to_string()]).collect(),
        display: Display {
            principal: usd(principal),
            multiplier,
            apr: percent(u64::from(apr_bps)),
            schedule: name,
            credits_value: usd(credits),
            total_interest: usd(interest),
            net_credit_value: usd(net),
            cost_reduction: percent(reduction),
            first_installment: usd(first_total),
            first_interest: usd(first.interest),
            first_principal: usd(first.principal),
            last_installment: usd(last_total),
            monthly_interest: usd(monthly_interest),
            break_even_monthly_spend: break_even.map(usd),
            monthly_spend: spend.map(usd),
            saving: saving.map(usd),
        },
    })
}

pub fn run(args: CalculateArgs, output: Output) -> CliResult {
    let f = figures(&args)?;
    if output != Output::Display {
        let json = serde_json::to_value(&f).map_err(|e| e.to_string())?;
        let text = if output == Output::JsonCompact { json.to_string() } else { format!("{json:#}") };
        println!("{text}");
        return Ok(());
    }
    let d = &f.display;
    println!(
        "Financing {} at {}x, {} APR, {} months, {}",
        d.principal, d.multiplier, d.apr, args.months, d.schedule
    );
    println!("  credits issued (value)       {}", d.credits_value);
    println!("  total interest               {}", d.total_interest);
    println!("  net credit value             {}", d.net_credit_value);
    println!("  effective cost reduction     {} (1 - 1/multiplier)", d.cost_reduction);
    println!(
        "  first installment            {} (interest {} + principal {})",
        d.first_installment, d.first_interest, d.first_principal
    );
    println!("  last installment             {}", d.last_installment);
    if let Some(b) = &d.break_even_monthly_spend {
        println!("  break-even monthly spend     {b}");
    }
    if let (Some(spend), Some(saving), Some(pays)) = (&d.monthly_spend, &d.saving, f.pays_for_itself) {
        println!(
            "  at {spend} a month: saving {saving} vs interest {} a month ({})",
            d.monthly_interest,
            if pays { "the financing pays for itself" } else { "below break-even" }
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

    fn args(principal: &str, multiplier: Option<&str>, months: u16, schedule: Schedule) -> CalculateArgs {
        CalculateArgs {
            principal: principal.into(),
            multiplier: multiplier.map(Into::into),
            tier: BorrowerTier::SeriesA,
            apr: "10".into(),
            months,
            schedule,
            monthly_spend: Some("30000".into()),
        }
    }

    #[test]
    fn figures_reproduce_the_seed_loan_in_atoms_and_text() {
        let f = figures(&args("1000000", Some("1.35"), 24, Schedule::InterestOnly)).unwrap();
        assert_eq!(f.credits_value_atoms, "1350000000000");
        assert_eq!(f.total_interest_atoms, "200000000016");
        assert_eq!(f.display.total_interest, "$200,000.00");
        assert_eq!(f.display.net_credit_value, "$1,150,000.00");
        assert_eq!((f.cost_reduction_bps, f.display.cost_reduction.as_str()), (2592, "25.92%"));
        assert_eq!(f.display.break_even_monthly_spend.as_deref(), Some("$32,150.21"));
        assert_eq!((f.display.saving.as_deref(), f.pays_for_itself), (Some("$7,776.00"), Some(false)));
        assert_eq!(f.installments.len(), 24);
        let amortizing = figures(&args("1000000", Some("1.35"), 24, Schedule::Amortizing)).unwrap();
        assert_eq!(amortizing.display.first_installment, "$46,144.93");
        assert_eq!(amortizing.display.total_interest, "$107,478.23");
        // from the table: series A, $1M over 6 months
        let table = figures(&args("1000000", None, 6, Schedule::Amortizing)).unwrap();
        assert!(table.multiplier_from_table);
        assert_eq!((table.multiplier_bps, table.display.multiplier.as_str()), (13_200, "1.32"));
        assert!(figures(&args("1000000", None, 40, Schedule::Amortizing)).is_err());
        // refusals, not panics: no installments, sums past u64
        assert_eq!(
            figures(&args("1000000", Some("1.35"), 0, Schedule::Amortizing)).unwrap_err(),
            "value out of range"
        );
        let huge = CalculateArgs {
            apr: "655.35".into(),
            ..args("1000000000000", Some("1.35"), 65_535, Schedule::InterestOnly)
        };
        assert_eq!(figures(&huge).unwrap_err(), "arithmetic overflow");
    }

    #[test]
    fn dollars_round_to_the_cent() {
        assert_eq!(usd(46_144_926_338), "$46,144.93");
        assert_eq!(usd(1_350_000_000_000), "$1,350,000.00");
        assert_eq!(usd(0), "$0.00");
        assert_eq!(usd(999_999), "$1.00");
    }
}
