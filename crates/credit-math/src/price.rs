//! Prices of one whole credit in whole quote units, as `mantissa * 10^expo`, and the
//! conversions between credit atoms and quote atoms that every consumer uses.
//!
//! The rounding direction is part of each name. Collateral is valued with `value_floor` at the
//! low side of the band; debts, purchases and minted amounts use the side that costs the
//! protocol nothing.

use crate::error::{MathError, MathResult};
use crate::fixed::{checked_mul_u128, div_ceil_u128, narrow, pow10_u128, wide_mul};
use crate::quantities::{CreditAtoms, QuoteAtoms};

/// Exponents a feed may use (Pyth uses -8 for USD pairs; the checklist asks for -18..=10).
pub const MIN_EXPO: i32 = -18;
pub const MAX_EXPO: i32 = 10;

/// A positive price: `mantissa * 10^expo` whole quote units per whole credit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Price {
    pub mantissa: u64,
    pub expo: i32,
}

impl Price {
    pub fn new(mantissa: u64, expo: i32) -> MathResult<Self> {
        if mantissa == 0 || !(MIN_EXPO..=MAX_EXPO).contains(&expo) {
            return Err(MathError::InvalidPrice);
        }
        Ok(Self { mantissa, expo })
    }
}

/// A checked price with its confidence band (same exponent): consumers pick a side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceBand {
    pub mantissa: u64,
    pub conf: u64,
    pub expo: i32,
}

impl PriceBand {
    pub fn new(mantissa: u64, conf: u64, expo: i32) -> MathResult<Self> {
        Price::new(mantissa, expo)?;
        if conf >= mantissa {
            return Err(MathError::InvalidPrice);
        }
        Ok(Self { mantissa, conf, expo })
    }

    /// Price minus confidence: the side used to value collateral (assets low).
    pub fn low(&self) -> Price {
        Price { mantissa: self.mantissa - self.conf, expo: self.expo }
    }

    /// The aggregate itself.
    pub fn mid(&self) -> Price {
        Price { mantissa: self.mantissa, expo: self.expo }
    }

    /// Price plus confidence: the side used for debts and purchases (liabilities high).
    pub fn high(&self) -> MathResult<Price> {
        let m = self.mantissa.checked_add(self.conf).ok_or(MathError::Overflow)?;
        Ok(Price { mantissa: m, expo: self.expo })
    }
}

/// Decimal shift from `credit atoms * mantissa` to quote atoms.
fn shift(price: Price, credit_decimals: u8, quote_decimals: u8) -> i32 {
    price.expo + quote_decimals as i32 - credit_decimals as i32
}

fn value(credits: CreditAtoms, price: Price, cd: u8, qd: u8, ceil: bool) -> MathResult<QuoteAtoms> {
    Price::new(price.mantissa, price.expo)?;
    let n = wide_mul(credits.0, price.mantissa);
    let s = shift(price, cd, qd);
    let v = if s >= 0 {
        checked_mul_u128(n, pow10_u128(s as u32)?)?
    } else {
        match pow10_u128(s.unsigned_abs()) {
            Ok(d) if ceil => div_ceil_u128(n, d)?,
            Ok(d) => crate::fixed::divrem_u128(n, d).0,
            // 10^-s exceeds any u128 numerator: the exact value is below one atom
            Err(_) => u128::from(ceil && n > 0),
        }
    };
    narrow(v).map(QuoteAtoms)
}

/// Quote value of `credits` at `price`, rounded down (collateral value).
pub fn value_floor(
    credits: CreditAtoms,
    price: Price,
    credit_decimals: u8,
    quote_decimals: u8,
) -> MathResult<QuoteAtoms> {
    value(credits, price, credit_decimals, quote_decimals, false)
}

/// Quote value of `credits` at `price`, rounded up (what a buyer pays).
pub fn value_ceil(
    credits: CreditAtoms,
    price: Price,
    credit_decimals: u8,
    quote_decimals: u8,
) -> MathResult<QuoteAtoms> {
    value(credits, price, credit_decimals, quote_decimals, true)
}

/// `quote / price` in credit atoms as a numerator and denominator.
fn credits_ratio(
    quote: QuoteAtoms,
    price: Price,
    credit_decimals: u8,
    quote_decimals: u8,
) -> MathResult<(u128, u128)> {
    Price::new(price.mantissa, price.expo)?;
    let s = shift(price, credit_decimals, quote_decimals);
    Ok(if s <= 0 {
        let scale = pow10_u128(s.unsigned_abs())?;
        (checked_mul_u128(quote.0 as u128, scale)?, price.mantissa as u128)
    } else {
        (quote.0 as u128, checked_mul_u128(price.mantissa as u128, pow10_u128(s as u32)?)?)
    })
}

/// Credits that `quote` buys at `price`, rounded down (what the protocol mints for it).
pub fn credits_for_quote_floor(
    quote: QuoteAtoms,
    price: Price,
    credit_decimals: u8,
    quote_decimals: u8,
) -> MathResult<CreditAtoms> {
    let (n, d) = credits_ratio(quote, price, credit_decimals, quote_decimals)?;
    narrow(crate::fixed::divrem_u128(n, d).0).map(CreditAtoms)
}

/// The fewest credits whose exact value at `price` is at least `quote` (rounded up).
pub fn credits_for_quote_ceil(
    quote: QuoteAtoms,
    price: Price,
    credit_decimals: u8,
    quote_decimals: u8,
) -> MathResult<CreditAtoms> {
    let (n, d) = credits_ratio(quote, price, credit_decimals, quote_decimals)?;
    narrow(div_ceil_u128(n, d)?).map(CreditAtoms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn gpu_hour_at_two_fifty() {
        // $2.50 per H100 GPU-hour, credits and USDC both 6 decimals
        let p = Price::new(250, -2).unwrap();
        assert_eq!(value_floor(CreditAtoms(1_000_000), p, 6, 6), Ok(QuoteAtoms(2_500_000)));
        assert_eq!(value_floor(CreditAtoms(1), p, 6, 6), Ok(QuoteAtoms(2)));
        assert_eq!(value_ceil(CreditAtoms(1), p, 6, 6), Ok(QuoteAtoms(3)));
        assert_eq!(credits_for_quote_floor(QuoteAtoms(2_500_000), p, 6, 6), Ok(CreditAtoms(1_000_000)));
        assert_eq!(credits_for_quote_floor(QuoteAtoms(3), p, 6, 6), Ok(CreditAtoms(1)));
    }

    #[test]
    fn exponents_and_bands() {
        assert_eq!(Price::new(0, 0), Err(MathError::InvalidPrice));
        assert_eq!(Price::new(1, -19), Err(MathError::InvalidPrice));
        assert_eq!(Price::new(1, 11), Err(MathError::InvalidPrice));
        let big = Price::new(u64::MAX, 10).unwrap();
        assert_eq!(value_floor(CreditAtoms(u64::MAX), big, 0, 9), Err(MathError::Overflow));
        let tiny = Price::new(1, -18).unwrap();
        assert_eq!(value_floor(CreditAtoms(1), tiny, 18, 0), Ok(QuoteAtoms(0)));
        assert_eq!(value_ceil(CreditAtoms(1), tiny, 18, 0), Ok(QuoteAtoms(1)));
        let band = PriceBand::new(250, 5, -2).unwrap();
        assert_eq!(band.low().mantissa, 245);
        assert_eq!(band.high().unwrap().mantissa, 255);
        assert_eq!(PriceBand::new(10, 10, 0), Err(MathError::InvalidPrice));
    }

    proptest! {
        #[test]
        fn floor_le_ceil_and_roundtrip_never_profits(c in 0u64..1u64 << 50, m in 1u64..1u64 << 40, e in -12i32..3, cd in 0u8..10, qd in 0u8..10) {
            let p = Price::new(m, e).unwrap();
            let f = value_floor(CreditAtoms(c), p, cd, qd);
            let up = value_ceil(CreditAtoms(c), p, cd, qd);
            if let (Ok(f), Ok(up)) = (f, up) {
                prop_assert!(f <= up && up.0 - f.0 <= 1);
                // buying credits with their floor value never yields more credits than priced
                let back = credits_for_quote_floor(f, p, cd, qd)?;
                prop_assert!(back.0 <= c);
                // the ceiling is the fewest credits worth at least the amount
                if let Ok(need) = credits_for_quote_ceil(f, p, cd, qd) {
                    prop_assert!(need.0 <= c);
                    prop_assert!(value_ceil(need, p, cd, qd)? >= f);
                    if need.0 > 0 {
                        prop_assert!(value_floor(CreditAtoms(need.0 - 1), p, cd, qd)? < f);
                    }
                }
            }
        }
    }
}
