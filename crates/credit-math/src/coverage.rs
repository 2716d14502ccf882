//! Coverage: value of the collateral at the oracle's low price over the debt.
//!
//! Comparisons against a threshold are exact (`covers`, cross-multiplied in 128 bits); the
//! displayed ratio is rounded down, so a loan never looks healthier than it is.
use crate::error::MathResult;
use crate::fixed::{mul_div_floor, wide_mul};

/// `value / debt` in bps, rounded down; `u64::MAX` when there is no debt.
pub fn coverage_bps_floor(collateral_value: u64, debt: u64) -> MathResult<u64> {
    if debt == 0 {
        return Ok(u64::MAX);
    }
    mul_div_floor(collateral_value, 10_000, debt).or(Ok(u64::MAX))
}

/// `value / debt >= ratio_bps / 10_000`, exactly; an empty debt is always covered.
pub fn covers(collateral_value: u64, debt: u64, ratio_bps: u16) -> bool {
    wide_mul(collateral_value, 10_000) >= wide_mul(debt, u64::from(ratio_bps))
}

/// The largest debt `collateral_value` supports at `ratio_bps`, rounded down.
pub fn max_debt_floor(collateral_value: u64, ratio_bps: u16) -> MathResult<u64> {
    mul_div_floor(collateral_value, 10_000, u64::from(ratio_bps))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn seed_ratios() {
        // $1,350,000 of credits against $1,000,000: 135%
        assert_eq!(coverage_bps_floor(1_350_000, 1_000_000), Ok(13_500));
        assert!(covers(1_500_000, 1_000_000, 15_000));
        assert!(!covers(1_499_999, 1_000_000, 15_000));
        assert!(covers(0, 0, 15_000));
        assert_eq!(coverage_bps_floor(1, 0), Ok(u64::MAX));
        assert_eq!(max_debt_floor(1_200, 12_000), Ok(1_000));
    }

    proptest! {
        #[test]
        fn covers_agrees_with_the_floored_ratio(v in 0u64..1u64 << 50, d in 1u64..1u64 << 50, r in 10_000u16..=30_000) {
            let bps = coverage_bps_floor(v, d)?;
            // the floor never overstates: covered implies the floored ratio reaches r or the
            // exact ratio is r with a remainder
            prop_assert_eq!(covers(v, d, r), bps >= u64::from(r));
        }
    }
}
