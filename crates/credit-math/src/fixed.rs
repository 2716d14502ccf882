//! Fixed-point helpers on integers. Every product is taken in `u128` so that `a * b` never
//! overflows for `u64` inputs; the caller picks the rounding direction by name.
//!
//! SBF note: a `u128 * u128` that may overflow compiles to LLVM's `umul.with.overflow.i128`,
//! which the SBF backend cannot lower (`__multi3`). Products of two `u64` use `wrapping_mul`
//! (they cannot overflow), and wider products go through [`checked_mul_u128`], which works in
//! 64-bit limbs. Never write `checked_mul` / `checked_pow` / `*` on full-width `u128` here.
//!
//! SBF note 2: the BPF backend has no 128-bit division; a `u128 / u128` by a divisor of 2^32 or
//! more becomes a shift-and-subtract loop of roughly 2,000-5,000 CU (a level-payment accrual
//! of ~26 divisions by 10^18 ran out of the 200,000 CU budget). Every division goes through
//! [`divrem_u128`], which uses native 64-bit division whenever the operands allow, and the
//! schedule divides by 10^18 through 32-bit constants only.

use crate::error::{MathError, MathResult};

/// Basis points in one whole (100%).
pub const BPS_ONE: u64 = 10_000;

/// `floor(a * b / d)`.
pub fn mul_div_floor(a: u64, b: u64, d: u64) -> MathResult<u64> {
    if d == 0 {
        return Err(MathError::DivideByZero);
    }
    if (a | b) >> 32 == 0 {
        // the product fits a u64: native multiply and division
        return Ok(a.wrapping_mul(b) / d);
    }
    narrow(divrem_u128(wide_mul(a, b), d as u128).0)
}

/// `a * b` for `u64` inputs: exact in `u128`, no overflow check needed (or emitted).
pub fn wide_mul(a: u64, b: u64) -> u128 {
    (a as u128).wrapping_mul(b as u128)
}

/// Checked `u64` multiplication through the exact 128-bit product. The SBF kit expands
/// `u64::checked_mul` (`umul.with.overflow.i64`) only when its operands carry no `range(...)`
/// attribute; after a non-zero check LLVM adds one and the build fails with `__multi3`. The
/// 128-bit product has no such limit.
pub fn checked_mul_u64(a: u64, b: u64) -> Option<u64> {
    if (a | b) >> 32 == 0 {
        // both below 2^32: the product fits, one native multiply (the hot path on SBF, where a
        // 128-bit product is a software routine)
        return Some(a.wrapping_mul(b));
    }
    let p = wide_mul(a, b);
    if p >> 64 == 0 {
        Some(p as u64)
    } else {
        None
    }
}

/// Checked `u128` multiplication without LLVM's 128-bit overflow intrinsic (see module note).
pub fn checked_mul_u128(a: u128, b: u128) -> MathResult<u128> {
    let (big, small) = if a >= b { (a, b) } else { (b, a) };
    if small >> 64 != 0 {
        return Err(MathError::Overflow); // both factors are at least 2^64
    }
    let small = small as u64;
    let lo = wide_mul(big as u64, small);
    let hi = wide_mul((big >> 64) as u64, small);
    if hi >> 64 != 0 {
        return Err(MathError::Overflow);
    }
    (hi << 64).checked_add(lo).ok_or(MathError::Overflow)
}

/// `ceil(a * b / d)`.
pub fn mul_div_ceil(a: u64, b: u64, d: u64) -> MathResult<u64> {
    if d == 0 {
        return Err(MathError::DivideByZero);
    }
    if (a | b) >> 32 == 0 {
        // the product fits a u64: native multiply and division
        let n = a.wrapping_mul(b);
        return Ok(n.div_ceil(d));
    }
    narrow(div_ceil_u128(wide_mul(a, b), d as u128)?)
}

/// `ceil(n / d)` in `u128`.
pub fn div_ceil_u128(n: u128, d: u128) -> MathResult<u128> {
    if d == 0 {
        return Err(MathError::DivideByZero);
    }
    let (q, r) = divrem_u128(n, d);
    Ok(if r == 0 { q } else { q + 1 })
}

/// `(n / d, n % d)` for `d > 0`, cheap on SBF: 64-bit operands divide natively, a divisor
/// below 2^32 takes four 64-bit divisions over 32-bit digits, anything else a binary long
/// division of at most 128 - bits(d) + 1 steps. Panics on `d == 0` like `/` does.
pub fn divrem_u128(n: u128, d: u128) -> (u128, u128) {
    assert!(d != 0, "division by zero");
    if n < d {
        return (0, n);
    }
    if n >> 64 == 0 {
        // d <= n < 2^64
        let (n, d) = (n as u64, d as u64);
        return (u128::from(n / d), u128::from(n % d));
    }
    if d >> 32 == 0 {
        let d = d as u64;
        let (mut q, mut r) = (0u128, 0u64);
        for i in (0..4).rev() {
            let cur = (r << 32) | ((n >> (32 * i)) as u64 & 0xffff_ffff);
            q |= u128::from(cur / d) << (32 * i);
            r = cur % d;
        }
        return (q, u128::from(r));
    }
    let shift = d.leading_zeros() - n.leading_zeros();
    let (mut q, mut r, mut dd) = (0u128, n, d << shift);
    for _ in 0..=shift {
        q <<= 1;
        if r >= dd {
            r -= dd;
            q |= 1;
        }
        dd >>= 1;
    }
    (q, r)
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

/// `10^0 ..= 10^38`, built at compile time (no 128-bit multiply at run time).
const POW10: [u128; 39] = {
    let mut t = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// `10^e` for `e` in `0..=38`, else `Overflow`.
pub fn pow10_u128(e: u32) -> MathResult<u128> {
    POW10.get(e as usize).copied().ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn divrem_matches_native(n: u128, d in 1u128.., small in 1u64.., tiny in 1u32..) {
            prop_assert_eq!(divrem_u128(n, d), (n / d, n % d));
            let d = u128::from(small);
            prop_assert_eq!(divrem_u128(n, d), (n / d, n % d));
            let d = u128::from(tiny);
            prop_assert_eq!(divrem_u128(n, d), (n / d, n % d));
            let lo = n >> 64;
            prop_assert_eq!(divrem_u128(lo, d), (lo / d, lo % d));
        }
    }

    #[test]
    fn checked_mul_u64_matches_std() {
        for (a, b) in
            [(0, u64::MAX), (u64::MAX, 1), (u64::MAX, 2), (1 << 32, 1 << 32), ((1 << 32) - 1, 1 << 32)]
        {
            assert_eq!(checked_mul_u64(a, b), a.checked_mul(b));
        }
    }

    #[test]
    fn divrem_edges() {
        assert_eq!(divrem_u128(u128::MAX, 1), (u128::MAX, 0));
        assert_eq!(divrem_u128(u128::MAX, u128::MAX), (1, 0));
        assert_eq!(divrem_u128(5, u128::MAX), (0, 5));
        assert_eq!(divrem_u128(u128::from(u64::MAX), (1 << 64) + 1), (0, u128::from(u64::MAX)));
        assert_eq!(divrem_u128(1 << 64, 1 << 64), (1, 0));
        assert_eq!(divrem_u128(u128::MAX, 3), (u128::MAX / 3, 0));
    }

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
        assert_eq!(checked_mul_u128(u128::MAX, 1), Ok(u128::MAX));
        assert_eq!(checked_mul_u128(u128::MAX, 2), Err(MathError::Overflow));
        assert_eq!(checked_mul_u128(1 << 64, 1 << 63), Ok(1 << 127));
        assert_eq!(checked_mul_u128(1 << 64, 1 << 64), Err(MathError::Overflow));
    }

    proptest! {
        #[test]
        fn limb_multiplication_matches_checked_mul(a: u128, b: u128, shift in 0u32..128) {
            let b = b >> shift;
            prop_assert_eq!(checked_mul_u128(a, b).ok(), a.checked_mul(b));
        }

        #[test]
        fn floor_le_ceil_and_within_one(a: u64, b: u64, d in 1u64..) {
            let exact = a as u128 * b as u128;
            match (mul_div_floor(a, b, d), mul_div_ceil(a, b, d)) {
                (Ok(f), Ok(c)) => {
                    prop_assert!(f <= c && c - f <= 1);
                    prop_assert!(f as u128 * d as u128 <= exact);
                    prop_assert!(c as u128 * d as u128 >= exact);
                    prop_assert_eq!(c == f, exact.is_multiple_of(d as u128));
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
