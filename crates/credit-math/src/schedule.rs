//! Repayment schedules: monthly installments of interest and principal.
//!
//! Interest for a period is `outstanding * apr / 12`, rounded up to the atom (the lender never
//! receives less than the rate). Three kinds of schedule, each ending with the last installment
//! taking whatever principal is left, so principal parts always sum to the principal exactly:
//! - level payment (amortizing): every installment has the same total, the annuity payment;
//! - interest-only: interest every month, all principal in the last installment (balloon);
//! - straight-line: the same principal every month, interest on what is left.
use crate::error::{MathError, MathResult};
use crate::fixed::{checked_mul_u128, div_ceil_u128, divrem_u128, mul_div_ceil, narrow};

pub const PERIODS_PER_YEAR: u64 = 12;
/// Fixed-point scale of the annuity factor.
const WAD: u128 = 1_000_000_000_000_000_000;

#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleKind {
    LevelPayment = 0,
    InterestOnly = 1,
    StraightLine = 2,
}

impl ScheduleKind {
    pub fn from_u8(v: u8) -> Option<Self> {
        match v {
            0 => Some(ScheduleKind::LevelPayment),
            1 => Some(ScheduleKind::InterestOnly),
            2 => Some(ScheduleKind::StraightLine),
            _ => None,
        }
    }
}

/// A loan's schedule terms: principal in quote atoms, APR in bps, number of monthly periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoanTerms {
    pub principal: u64,
    pub apr_bps: u16,
    pub periods: u16,
    pub kind: ScheduleKind,
}

/// One installment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Installment {
    pub interest: u64,
    pub principal: u64,
}

impl Installment {
    pub fn total(&self) -> MathResult<u64> {
        self.interest.checked_add(self.principal).ok_or(MathError::Overflow)
    }
}

/// `floor(x / 10^18)` as `floor(floor(floor(x / 2^18) / 5^9) / 5^9)`: two divisions by a
/// 32-bit constant, cheap on SBF (see `fixed::divrem_u128`).
fn div_wad(x: u128) -> u128 {
    const FIVE_POW_9: u128 = 1_953_125;
    divrem_u128(divrem_u128(x >> 18, FIVE_POW_9).0, FIVE_POW_9).0
}

/// One period's interest on `outstanding`, rounded up.
pub fn period_interest_ceil(outstanding: u64, apr_bps: u16) -> MathResult<u64> {
    mul_div_ceil(outstanding, u64::from(apr_bps), 10_000 * PERIODS_PER_YEAR)
}

/// The annuity payment `P * r / (1 - (1 + r)^-n)` with `r = apr / 12`, rounded up to the atom.
/// Computed as `P * k` with the factor `k = r (1+r)^n / ((1+r)^n - 1)` in 18-decimal fixed
/// point; a zero rate pays `ceil(P / n)`.
pub fn level_payment_ceil(principal: u64, apr_bps: u16, periods: u16) -> MathResult<u64> {
    if periods == 0 {
        return Err(MathError::OutOfRange);
    }
    if apr_bps == 0 {
        return Ok(principal.div_ceil(u64::from(periods)));
    }
    // SBF cannot lower overflow-checked u128 products: every one goes through checked_mul_u128
    let r = divrem_u128(checked_mul_u128(u128::from(apr_bps), WAD)?, u128::from(10_000 * PERIODS_PER_YEAR)).0;
    // (1 + r)^n by repeated multiplication, each product floored back to WAD scale
    let mut growth = WAD;
    for _ in 0..periods {
        growth = div_wad(checked_mul_u128(growth, WAD + r)?);
    }
    let factor = divrem_u128(checked_mul_u128(r, growth)?, growth - WAD).0;
    let payment = checked_mul_u128(u128::from(principal), factor)?;
    narrow(div_ceil_u128(payment, WAD)?)
}

/// Installment `period` (1-based) when `outstanding` principal is not yet due. Allocation-free.
/// Each call of a level-payment schedule recomputes the annuity payment (one `(1 + r)` product
/// per period of the term); code that charges several installments in a row uses a
/// [`Schedule`], which computes it once.
pub fn installment_due(terms: &LoanTerms, period: u16, outstanding: u64) -> MathResult<Installment> {
    Schedule::new(*terms).installment_due(period, outstanding)
}

/// A loan's schedule that computes the level payment at most once, the first time an
/// installment needs it, and reuses it for every later installment.
///
/// The payment depends only on the terms (principal, rate, number of periods), never on the
/// period or the outstanding balance, so caching it changes no result: `installment_due` here
/// equals the free function [`installment_due`] to the atom, errors included (property-tested).
/// On SBF the payment costs about 11,000 CU for 36 periods; recomputing it for each of 36
/// missed installments cost about 420,000 CU, over one instruction's 200,000 CU budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    terms: LoanTerms,
    /// The annuity payment once computed (level-payment schedules only).
    level_payment: Option<u64>,
}

impl Schedule {
    pub fn new(terms: LoanTerms) -> Self {
        Schedule { terms, level_payment: None }
    }

    pub fn terms(&self) -> &LoanTerms {
        &self.terms
    }

    /// The level payment, computed on first use. Lazy, so a schedule that never needs it (the
    /// last installment, other kinds) fails exactly when the free function would.
    fn level_payment(&mut self) -> MathResult<u64> {
        if let Some(p) = self.level_payment {
            return Ok(p);
        }
        let t = &self.terms;
        let p = level_payment_ceil(t.principal, t.apr_bps, t.periods)?;
        self.level_payment = Some(p);
        Ok(p)
    }

    /// Installment `period` (1-based) when `outstanding` principal is not yet due.
    pub fn installment_due(&mut self, period: u16, outstanding: u64) -> MathResult<Installment> {
        let terms = self.terms;
        if period == 0 || period > terms.periods {
            return Err(MathError::OutOfRange);
        }
        let interest = period_interest_ceil(outstanding, terms.apr_bps)?;
        let last = period == terms.periods;
        let principal = match terms.kind {
            _ if last => outstanding,
            ScheduleKind::InterestOnly => 0,
            ScheduleKind::LevelPayment => self.level_payment()?.saturating_sub(interest).min(outstanding),
            ScheduleKind::StraightLine => terms.principal.div_ceil(u64::from(terms.periods)).min(outstanding),
        };
        Ok(Installment { interest, principal })
    }
}

/// The whole schedule when every installment is paid on time (CLI and tests).
pub fn full_schedule(terms: &LoanTerms) -> MathResult<Vec<Installment>> {
    let mut outstanding = terms.principal;
    let mut out = Vec::with_capacity(usize::from(terms.periods));
    let mut schedule = Schedule::new(*terms);
    for k in 1..=terms.periods {
        let i = schedule.installment_due(k, outstanding)?;
        outstanding -= i.principal;
        out.push(i);
    }
    Ok(out)
}

pub fn total_interest(terms: &LoanTerms) -> MathResult<u64> {
    full_schedule(terms)?
        .iter()
        .try_fold(0u64, |acc, i| acc.checked_add(i.interest).ok_or(MathError::Overflow))
}

/// The installment rule as it stood before [`Schedule`] (the level payment recomputed on every
/// call), kept verbatim as the reference the cached path is tested against.
#[cfg(test)]
pub(crate) fn installment_due_reference(
    terms: &LoanTerms,
    period: u16,
    outstanding: u64,
) -> MathResult<Installment> {
    if period == 0 || period > terms.periods {
        return Err(MathError::OutOfRange);
    }
    let interest = period_interest_ceil(outstanding, terms.apr_bps)?;
    let last = period == terms.periods;
    let principal = match terms.kind {
        _ if last => outstanding,
        ScheduleKind::InterestOnly => 0,
        ScheduleKind::LevelPayment => {
            let payment = level_payment_ceil(terms.principal, terms.apr_bps, terms.periods)?;
            payment.saturating_sub(interest).min(outstanding)
        }
        ScheduleKind::StraightLine => terms.principal.div_ceil(u64::from(terms.periods)).min(outstanding),
    };
    Ok(Installment { interest, principal })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const USD: u64 = 1_000_000;

    fn seed(kind: ScheduleKind) -> LoanTerms {
        LoanTerms { principal: 1_000_000 * USD, apr_bps: 1_000, periods: 24, kind }
    }

    #[test]
    fn seed_interest_only_is_200k() {
        // $1M at 10% for 24 months, interest-only: $8,333.33 a month rounded up to the atom
        let t = seed(ScheduleKind::InterestOnly);
        assert_eq!(installment_due(&t, 1, t.principal).unwrap().interest, 8_333_333_334);
        assert_eq!(total_interest(&t).unwrap(), 200_000_000_016);
        let s = full_schedule(&t).unwrap();
        assert_eq!(s[23].principal, t.principal);
    }

    #[test]
    fn seed_level_payment_is_46_144_93_a_month() {
        let t = seed(ScheduleKind::LevelPayment);
        let payment = level_payment_ceil(t.principal, t.apr_bps, t.periods).unwrap();
        // exact rational annuity P r / (1 - (1+r)^-n) = 46,144.926337.. rounds up to this atom
        assert_eq!(payment, 46_144_926_338);
        assert!((46_144_920_000..=46_144_940_000).contains(&payment));
        let total = total_interest(&t).unwrap();
        assert_eq!(total, 107_478_232_112);
        // "about $107,478 of interest"
        assert!(total.abs_diff(107_478 * USD) < USD);
        let s = full_schedule(&t).unwrap();
        assert!(s[..23].iter().all(|i| i.total().unwrap() == payment));
    }

    #[test]
    fn seed_straight_line() {
        // interest on 24/24, 23/24, ... of $1M: 1M * 10%/12 * (24 + 1) / 2 = $104,166.67
        let t = seed(ScheduleKind::StraightLine);
        assert_eq!(total_interest(&t).unwrap(), 104_166_666_678);
    }

    #[test]
    fn zero_rate_and_bad_periods() {
        assert_eq!(level_payment_ceil(100, 0, 3), Ok(34));
        assert_eq!(level_payment_ceil(100, 1_000, 0), Err(MathError::OutOfRange));
        let t = seed(ScheduleKind::LevelPayment);
        assert_eq!(installment_due(&t, 0, 1), Err(MathError::OutOfRange));
        assert_eq!(installment_due(&t, 25, 1), Err(MathError::OutOfRange));
    }

    proptest! {
        #[test]
        fn principal_parts_sum_to_principal_and_interest_rounds_up(
            kind in 0u8..3, principal in 1u64..1u64 << 45, apr in 1u16..=3_000, periods in 1u16..=36,
        ) {
            let t = LoanTerms { principal, apr_bps: apr, periods, kind: ScheduleKind::from_u8(kind).unwrap() };
            let s = full_schedule(&t)?;
            prop_assert_eq!(s.iter().map(|i| i.principal).sum::<u64>(), principal);
            let mut outstanding = principal as u128;
            for i in &s {
                // never below the exact rational interest
                prop_assert!(u128::from(i.interest) * 120_000 >= outstanding * u128::from(apr));
                outstanding -= u128::from(i.principal);
            }
        }

        #[test]
        fn interest_order_interest_only_then_level_then_straight_line(
            principal in 1_000_000u64..1u64 << 45, apr in 1u16..=3_000, periods in 2u16..=36,
        ) {
            let total = |kind| total_interest(&LoanTerms { principal, apr_bps: apr, periods, kind });
            let io = total(ScheduleKind::InterestOnly)?;
            let level = total(ScheduleKind::LevelPayment)?;
            let straight = total(ScheduleKind::StraightLine)?;
            prop_assert!(io >= level);
            // level pays principal later than straight-line, so it pays more interest (up to
            // the per-period rounding)
            prop_assert!(level + u64::from(periods) >= straight);
        }

        /// The cached level payment changes nothing: one `Schedule` asked for installments in
        /// any order, with any outstanding balance, answers what the old per-call rule answers,
        /// errors included (huge rates and terms overflow the same way).
        #[test]
        fn cached_schedule_equals_the_per_call_rule(
            kind in 0u8..3,
            principal in prop_oneof![1u64..1u64 << 45, 0u64..=u64::MAX],
            apr in prop_oneof![0u16..=3_000, 0u16..=u16::MAX],
            periods in prop_oneof![1u16..=36, 0u16..=400],
            calls in proptest::collection::vec((0u16..=401, 0u64..=u64::MAX), 1..40),
        ) {
            let terms = LoanTerms { principal, apr_bps: apr, periods, kind: ScheduleKind::from_u8(kind).unwrap() };
            let mut cached = Schedule::new(terms);
            for (period, outstanding) in calls {
                let outstanding = if outstanding % 2 == 0 { outstanding % (principal.saturating_add(1)) } else { outstanding };
                prop_assert_eq!(
                    cached.installment_due(period, outstanding),
                    installment_due_reference(&terms, period, outstanding)
                );
                prop_assert_eq!(
                    installment_due(&terms, period, outstanding),
                    installment_due_reference(&terms, period, outstanding)
                );
            }
        }
    }
}
