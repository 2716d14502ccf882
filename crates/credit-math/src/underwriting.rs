//! The multiplier: how much more compute than its face value a lender's capital buys.
//!
//! A published table, financing amount tier x term tier x borrower credit tier, gives the
//! multiplier in bps (12,500 = 1.25x .. 15,000 = 1.50x). It is read once, at origination, and
//! stored in the loan: it never changes afterwards. The default table reproduces the seed
//! points: (< $250K, 6 months, pre-revenue) = 1.25x; ($500K-$2M, 12-24 months, Series A) =
//! 1.35x; ($5M+, 36 months, Series B+) = 1.50x.
use crate::error::{MathError, MathResult};
use crate::fixed::{mul_div_floor, BPS_ONE};
use crate::quantities::one_unit;

pub const AMOUNT_TIERS: usize = 5;
pub const TERM_TIERS: usize = 4;
pub const BORROWER_TIERS: usize = 4;
pub const TABLE_LEN: usize = AMOUNT_TIERS * TERM_TIERS * BORROWER_TIERS;
pub const MIN_MULTIPLIER_BPS: u16 = 12_500;
pub const MAX_MULTIPLIER_BPS: u16 = 15_000;

/// Lower bounds of amount tiers 1..=4 in whole quote units: $250K, $500K, $2M, $5M.
const AMOUNT_BOUNDS: [u64; AMOUNT_TIERS - 1] = [250_000, 500_000, 2_000_000, 5_000_000];
const AMOUNT_STEP: [u16; AMOUNT_TIERS] = [0, 150, 300, 450, 600];
const TERM_STEP: [u16; TERM_TIERS] = [0, 300, 600, 900];
const BORROWER_STEP: [u16; BORROWER_TIERS] = [0, 200, 400, 1_000];

/// Borrower credit tiers, as the lender underwrites them.
pub const PRE_REVENUE: u8 = 0;
pub const SEED: u8 = 1;
pub const SERIES_A: u8 = 2;
pub const SERIES_B_PLUS: u8 = 3;

/// Financing-amount tiers: < $250K, $250K-$500K, $500K-$2M, $2M-$5M, $5M+.
pub struct AmountTier;

impl AmountTier {
    pub fn for_principal(principal: u64, quote_decimals: u8) -> MathResult<u8> {
        let whole = principal / one_unit(quote_decimals)?;
        Ok(AMOUNT_BOUNDS.iter().filter(|b| whole >= **b).count() as u8)
    }
}

/// Term tiers: 6-11, 12-24, 25-35, 36 months.
pub fn term_tier(months: u16) -> MathResult<u8> {
    match months {
        6..=11 => Ok(0),
        12..=24 => Ok(1),
        25..=35 => Ok(2),
        36 => Ok(3),
        _ => Err(MathError::OutOfRange),
    }
}

pub fn table_index(amount: u8, term: u8, borrower: u8) -> usize {
    (usize::from(amount) * TERM_TIERS + usize::from(term)) * BORROWER_TIERS + usize::from(borrower)
}

pub fn default_table() -> [u16; TABLE_LEN] {
    let mut t = [0u16; TABLE_LEN];
    for a in 0..AMOUNT_TIERS {
        for m in 0..TERM_TIERS {
            for b in 0..BORROWER_TIERS {
                t[table_index(a as u8, m as u8, b as u8)] =
                    MIN_MULTIPLIER_BPS + AMOUNT_STEP[a] + TERM_STEP[m] + BORROWER_STEP[b];
            }
        }
    }
    t
}

/// Every entry within 1.25x..=1.50x.
pub fn validate_table(table: &[u16; TABLE_LEN]) -> MathResult<()> {
    if table.iter().all(|m| (MIN_MULTIPLIER_BPS..=MAX_MULTIPLIER_BPS).contains(m)) {
        Ok(())
    } else {
        Err(MathError::OutOfRange)
    }
}

/// Quote value of the credits a financing issues: `principal x multiplier`, rounded down.
pub fn credits_value_floor(principal: u64, multiplier_bps: u16) -> MathResult<u64> {
    mul_div_floor(principal, u64::from(multiplier_bps), BPS_ONE)
}

/// The effective cost reduction `1 - 1/multiplier`, in bps, rounded down (never overstated).
pub fn cost_reduction_bps_floor(multiplier_bps: u16) -> MathResult<u64> {
    if multiplier_bps == 0 {
        return Err(MathError::DivideByZero);
    }
    // 1 - 1/m = (m - 1) / m; with m in bps: (m - 10_000) * 10_000 / m
    let m = u64::from(multiplier_bps);
    mul_div_floor(m.saturating_sub(BPS_ONE), BPS_ONE, m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const USD: u64 = 1_000_000;

    fn lookup(principal_usd: u64, months: u16, borrower: u8) -> u16 {
        let a = AmountTier::for_principal(principal_usd * USD, 6).unwrap();
        default_table()[table_index(a, term_tier(months).unwrap(), borrower)]
    }

    #[test]
    fn seed_points() {
        assert_eq!(lookup(200_000, 6, PRE_REVENUE), 12_500);
        assert_eq!(lookup(1_000_000, 24, SERIES_A), 13_500);
        assert_eq!(lookup(1_000_000, 12, SERIES_A), 13_500);
        assert_eq!(lookup(5_000_000, 36, SERIES_B_PLUS), 15_000);
        assert!(validate_table(&default_table()).is_ok());
    }

    #[test]
    fn seed_arithmetic() {
        // $1,000,000 x 1.35 = $1,350,000 of credits
        assert_eq!(credits_value_floor(1_000_000 * USD, 13_500), Ok(1_350_000 * USD));
        assert_eq!(cost_reduction_bps_floor(12_500), Ok(2_000));
        assert_eq!(cost_reduction_bps_floor(13_500), Ok(2_592)); // 25.9%
        assert_eq!(cost_reduction_bps_floor(15_000), Ok(3_333)); // 33.3%
    }

    #[test]
    fn tiers_and_bounds() {
        assert_eq!(AmountTier::for_principal(249_999 * USD, 6), Ok(0));
        assert_eq!(AmountTier::for_principal(250_000 * USD, 6), Ok(1));
        assert_eq!(AmountTier::for_principal(2_000_000 * USD, 6), Ok(3));
        assert_eq!(AmountTier::for_principal(u64::MAX, 6), Ok(4));
        assert_eq!(term_tier(5), Err(MathError::OutOfRange));
        assert_eq!(term_tier(37), Err(MathError::OutOfRange));
        let mut t = default_table();
        t[7] = 15_001;
        assert_eq!(validate_table(&t), Err(MathError::OutOfRange));
        t[7] = 12_499;
        assert_eq!(validate_table(&t), Err(MathError::OutOfRange));
    }

    proptest! {
        #[test]
        fn default_table_is_monotone(a in 0u8..5, m in 0u8..4, b in 0u8..4) {
            let t = default_table();
            let v = t[table_index(a, m, b)];
            if a < 4 { prop_assert!(t[table_index(a + 1, m, b)] >= v); }
            if m < 3 { prop_assert!(t[table_index(a, m + 1, b)] >= v); }
            if b < 3 { prop_assert!(t[table_index(a, m, b + 1)] >= v); }
        }

        #[test]
        fn credits_value_never_exceeds_exact(p in 0u64..1u64 << 50, m in MIN_MULTIPLIER_BPS..=MAX_MULTIPLIER_BPS) {
            let v = credits_value_floor(p, m)?;
            prop_assert!(u128::from(v) * 10_000 <= u128::from(p) * u128::from(m));
            prop_assert!((u128::from(v) + 1) * 10_000 > u128::from(p) * u128::from(m));
        }
    }
}
