//! Fixed-point helpers on integers. Every product is taken in `u128` so that `a * b` never
//! overflows for `u64` inputs; the caller picks the rounding direction by name.

use crate::error::{MathError, MathResult};

/// Basis points in one whole (100%).
pub const BPS_ONE: u64 = 10_000;

/// `floor(a * b / d)`.
pub fn mul_div_floor(a: u64, b: u64, d: u64) -> MathResult<u64> {
    if d == 0 {
        return Err(MathError::DivideByZero);
    }
    narrow(a as u128 * b as u128 / d as u128)
}

/// `ceil(a * b / d)`.
pub fn mul_div_ceil(a: u64, b: u64, d: u64) -> MathResult<u64> {
    if d == 0 {
        return Err(MathError::DivideByZero);
    }
    narrow(div_ceil_u128(a as u128 * b as u128, d as u128)?)
}

/// `ceil(n / d)` in `u128`.
pub fn div_ceil_u128(n: u128, d: u128) -> MathResult<u128> {
    if d == 0 {
        return Err(MathError::DivideByZero);
    }
    let q = n / d;
    Ok(if n % d == 0 { q } else { q + 1 })
}

/// `x * bps / 10_000`, rounded down.
pub fn bps_floor(x: u64, bps: u64) -> MathResult<u64> {
    mul_div_floor(x, bps, BPS_ONE)
}

/// `x * bps / 10_000`, rounded up.
pub fn bps_ceil(x: u64, bps: u64) -> MathResult<u64> {
    mul_div_ceil(x, bps, BPS_ONE)
}

/// `u128 -> u64` or `Overflow`.
pub fn narrow(x: u128) -> MathResult<u64> {
    u64::try_from(x).map_err(|_| MathError::Overflow)
}

/// `10^e` for `e` in `0..=38`, else `Overflow`.
pub fn pow10_u128(e: u32) -> MathResult<u128> {
    10u128.checked_pow(e).ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn exact_and_rounded() {
        assert_eq!(mul_div_floor(10, 3, 4), Ok(7));
        assert_eq!(mul_div_ceil(10, 3, 4), Ok(8));
        assert_eq!(mul_div_ceil(10, 4, 4), Ok(10));
        assert_eq!(mul_div_floor(1, 1, 0), Err(MathError::DivideByZero));
        assert_eq!(mul_div_floor(u64::MAX, u64::MAX, 1), Err(MathError::Overflow));
        assert_eq!(mul_div_floor(u64::MAX, u64::MAX, u64::MAX), Ok(u64::MAX));
        assert_eq!(bps_ceil(1, 1), Ok(1));
        assert_eq!(bps_floor(1, 1), Ok(0));
        assert_eq!(pow10_u128(38), Ok(10u128.pow(38)));
        assert_eq!(pow10_u128(39), Err(MathError::Overflow));
    }

    proptest! {
        #[test]
        fn floor_le_ceil_and_within_one(a: u64, b: u64, d in 1u64..) {
            let exact = a as u128 * b as u128;
            match (mul_div_floor(a, b, d), mul_div_ceil(a, b, d)) {
                (Ok(f), Ok(c)) => {
                    prop_assert!(f <= c && c - f <= 1);
                    prop_assert!(f as u128 * d as u128 <= exact);
                    prop_assert!(c as u128 * d as u128 >= exact);
                    prop_assert_eq!(c == f, exact % d as u128 == 0);
                }
                (Ok(f), Err(e)) => { prop_assert_eq!(e, MathError::Overflow); prop_assert_eq!(f, u64::MAX); }
                (Err(e), _) => prop_assert_eq!(e, MathError::Overflow),
            }
        }

        #[test]
        fn monotone_in_numerator(a: u32, extra: u32, b: u32, d in 1u32..) {
            let (a, a2) = (a as u64, a as u64 + extra as u64);
            prop_assert!(mul_div_floor(a, b as u64, d as u64)? <= mul_div_floor(a2, b as u64, d as u64)?);
            prop_assert!(mul_div_ceil(a, b as u64, d as u64)? <= mul_div_ceil(a2, b as u64, d as u64)?);
        }
    }
}
