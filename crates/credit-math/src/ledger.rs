//! The loan ledger: a loan's terms, balances and status as plain integers, and the state
//! machine that moves them with time, payments, prices and recoveries.
//!
//! The program stores a [`LoanLedger`] inside its zero-copy `Loan` account and calls these
//! methods; the tests and the CLI run the very same code. Rules, in the order they apply:
//! - **Accrual** (`accrue`): each period boundary that has passed charges that period's
//!   installment (interest on the whole outstanding principal, the schedule's principal part)
//!   as due. The first unpaid installment's due time starts the arrears clock.
//! - **Lateness**: an installment still unpaid `grace_secs` after it fell due is late: the loan
//!   is delinquent and a late fee of `late_fee_bps` of the overdue amount is charged once per
//!   late installment. Still unpaid `cure_secs` later, the loan is defaulted.
//! - **Coverage** (`evaluate`): below the maintenance ratio opens a margin call with a deadline;
//!   below the liquidation ratio, or an expired margin call, makes the loan liquidatable.
//! - **Payments** (`pay`): fees → interest → principal due → prepayment of principal not yet
//!   due (with the prepayment fee inside the prepayment window). Clearing the arrears cures.
//! - **Recovery** (`recover`): on a defaulted or liquidatable loan the whole debt is due
//!   (acceleration); recovered value applies fees → interest → principal.
use bytemuck::{Pod, Zeroable};

use crate::error::{MathError, MathResult};
use crate::fixed::bps_ceil;
use crate::schedule::{LoanTerms, Schedule, ScheduleKind};

/// Where a loan is in its life. Stored as a `u8`.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LoanStatus {
    /// Posted by a lender, principal in escrow, nobody has accepted yet.
    Offered = 0,
    /// Paid up and covered.
    Current = 1,
    /// Coverage below maintenance: restore it before the deadline.
    MarginCall = 2,
    /// An installment is past its grace period.
    Delinquent = 3,
    /// Coverage below the liquidation ratio, or an expired margin call.
    Liquidatable = 4,
    /// Arrears past the cure window.
    Defaulted = 5,
    /// Fully repaid; the collateral goes back to the borrower.
    Repaid = 6,
    /// Liquidation finished (debt recovered, or the collateral ran out and the rest written off).
    Liquidated = 7,
}

impl LoanStatus {
    pub fn from_u8(v: u8) -> MathResult<Self> {
        use LoanStatus::*;
        [Offered, Current, MarginCall, Delinquent, Liquidatable, Defaulted, Repaid, Liquidated]
            .get(usize::from(v))
            .copied()
            .ok_or(MathError::OutOfRange)
    }

    /// The lender may freeze and liquidate: defaulted or liquidatable.
    pub fn is_enforceable(self) -> bool {
        matches!(self, LoanStatus::Liquidatable | LoanStatus::Defaulted)
    }

    /// Accepted and not yet closed out.
    pub fn is_open(self) -> bool {
        !matches!(self, LoanStatus::Offered | LoanStatus::Repaid | LoanStatus::Liquidated)
    }
}

/// A loan's terms and balances. `repr(C)`, no padding: it lives inside a zero-copy account.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct LoanLedger {
    // --- terms, fixed at origination -------------------------------------------------------
    pub principal: u64,
    /// Origination time; installment `k` falls due at `start_ts + k * period_secs`.
    pub start_ts: i64,
    pub period_secs: u32,
    pub grace_secs: u32,
    pub cure_secs: u32,
    pub margin_call_secs: u32,
    pub apr_bps: u16,
    pub periods: u16,
    pub late_fee_bps: u16,
    pub prepay_fee_bps: u16,
    /// Prepayments inside the first `prepay_periods` periods pay `prepay_fee_bps`.
    pub prepay_periods: u16,
    /// 0 = no maintenance requirement (compute financing with immediate access).
    pub maintenance_bps: u16,
    pub liquidation_bps: u16,
    pub schedule: u8,
    pub status: u8,
    // --- balances ------------------------------------------------------------------------------
    /// Principal not yet repaid (includes `principal_due`).
    pub principal_outstanding: u64,
    /// Scheduled principal that has fallen due and is unpaid.
    pub principal_due: u64,
    pub interest_due: u64,
    pub fees_due: u64,
    pub interest_paid: u64,
    pub principal_paid: u64,
    pub fees_paid: u64,
    /// Due time of the oldest unpaid installment; 0 when nothing is overdue.
    pub arrears_since: i64,
    /// 0 when no margin call is open.
    pub margin_call_deadline: i64,
    /// Installments charged so far (`accrue`).
    pub periods_accrued: u16,
    /// Installments a late fee has been charged for (or that were paid before being late).
    pub late_periods_settled: u16,
    /// 1 once the lender has started recovering collateral: no cure after that.
    pub recovering: u8,
    /// The coverage part of the status at the last price (`LoanStatus` byte; 0 = not measured).
    pub coverage_status: u8,
    pub _reserved: [u8; 2],
}

/// What a payment did, to the atom; `taken` is what moves from the payer to the lender.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PaymentApplied {
    pub fees: u64,
    pub interest: u64,
    pub principal: u64,
    /// Part of `principal` that was not yet due.
    pub prepaid: u64,
    /// Prepayment fee, included in `fees`.
    pub prepay_fee: u64,
    pub taken: u64,
}

/// What a recovery did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecoveryApplied {
    pub fees: u64,
    pub interest: u64,
    pub principal: u64,
    /// Part of the value beyond the whole debt (returned to the borrower).
    pub surplus: u64,
}

fn add(a: u64, b: u64) -> MathResult<u64> {
    a.checked_add(b).ok_or(MathError::Overflow)
}

impl LoanLedger {
    pub fn status(&self) -> MathResult<LoanStatus> {
        LoanStatus::from_u8(self.status)
    }

    pub fn terms(&self) -> MathResult<LoanTerms> {
        Ok(LoanTerms {
            principal: self.principal,
            apr_bps: self.apr_bps,
            periods: self.periods,
            kind: ScheduleKind::from_u8(self.schedule).ok_or(MathError::OutOfRange)?,
        })
    }

    /// Everything the borrower owes now: fees, interest due and all outstanding principal.
    pub fn debt(&self) -> MathResult<u64> {
        add(add(self.principal_outstanding, self.interest_due)?, self.fees_due)
    }

    /// What is overdue or due now (not the principal of future installments).
    pub fn amount_due(&self) -> MathResult<u64> {
        add(add(self.principal_due, self.interest_due)?, self.fees_due)
    }

    /// Due time of installment `k` (1-based).
    pub fn due_ts(&self, k: u16) -> MathResult<i64> {
        let offset = i64::from(self.period_secs).checked_mul(i64::from(k)).ok_or(MathError::Overflow)?;
        self.start_ts.checked_add(offset).ok_or(MathError::Overflow)
    }

    /// Charges every installment whose due time has passed and every late fee that is owed.
    ///
    /// Cost: one [`Schedule`] per call, so a level-payment loan computes its annuity payment
    /// at most once however many installments fall due here (36 missed installments cost
    /// one payment computation, not 36; see `schedule::Schedule`).
    pub fn accrue(&mut self, now: i64) -> MathResult<()> {
        let mut schedule = Schedule::new(self.terms()?);
        while self.periods_accrued < self.periods {
            let k = self.periods_accrued + 1;
            let due = self.due_ts(k)?;
            if due > now {
                break;
            }
            // principal part from the schedule on what is not yet due; interest on everything
            // still outstanding, arrears included
            let not_due = self.principal_outstanding - self.principal_due;
            let part = schedule.installment_due(k, not_due)?;
            let interest = crate::schedule::period_interest_ceil(self.principal_outstanding, self.apr_bps)?;
            self.principal_due = add(self.principal_due, part.principal.min(not_due))?;
            self.interest_due = add(self.interest_due, interest)?;
            if self.arrears_since == 0 && self.principal_due + self.interest_due > 0 {
                self.arrears_since = due;
            }
            self.periods_accrued = k;
        }
        if self.arrears_since == 0 {
            self.late_periods_settled = self.periods_accrued;
            return Ok(());
        }
        // one late fee per installment that passed its grace period unpaid
        while self.late_periods_settled < self.periods_accrued {
            let k = self.late_periods_settled + 1;
            let due = self.due_ts(k)?;
            if due < self.arrears_since {
                // paid before it was late
                self.late_periods_settled = k;
                continue;
            }
            if now <= due.saturating_add(i64::from(self.grace_secs)) {
                break;
            }
            let overdue = add(self.principal_due, self.interest_due)?;
            self.fees_due = add(self.fees_due, bps_ceil(overdue, u64::from(self.late_fee_bps))?)?;
            self.late_periods_settled = k;
        }
        Ok(())
    }

    /// Status from time alone (arrears) and, when `collateral_value` is given, coverage.
    /// Terminal and not-yet-open loans are left as they are.
    pub fn evaluate(&mut self, now: i64, collateral_value: Option<u64>) -> MathResult<LoanStatus> {
        let current = self.status()?;
        if !current.is_open() {
            return Ok(current);
        }
        self.accrue(now)?;
        let mut status = LoanStatus::Current;
        if self.arrears_since != 0 {
            let late = self.arrears_since.saturating_add(i64::from(self.grace_secs));
            if now > late.saturating_add(i64::from(self.cure_secs)) {
                status = LoanStatus::Defaulted;
            } else if now > late {
                status = LoanStatus::Delinquent;
            }
        }
        // coverage: re-measured when a price is given, otherwise the last measurement stands
        // (an open margin call can still expire with time, but never cure without a price)
        let coverage = match collateral_value {
            Some(value) if self.maintenance_bps > 0 => {
                let debt = self.debt()?;
                if !covers(value, debt, self.liquidation_bps) {
                    LoanStatus::Liquidatable
                } else if covers(value, debt, self.maintenance_bps) {
                    self.margin_call_deadline = 0;
                    LoanStatus::Current
                } else {
                    if self.margin_call_deadline == 0 {
                        self.margin_call_deadline = now.saturating_add(i64::from(self.margin_call_secs));
                    }
                    LoanStatus::MarginCall
                }
            }
            Some(_) => LoanStatus::Current,
            None => LoanStatus::from_u8(self.coverage_status)?,
        };
        let coverage = if coverage == LoanStatus::MarginCall && now > self.margin_call_deadline {
            LoanStatus::Liquidatable
        } else {
            coverage
        };
        self.coverage_status = coverage as u8;
        status = status.max(coverage);
        // once recovery has started the loan stays enforceable
        if self.recovering != 0 {
            status = status.max(current).max(LoanStatus::Liquidatable);
        }
        self.status = status as u8;
        Ok(status)
    }

    /// Applies a payment of up to `amount` at `now`; returns what was taken and where it went.
    pub fn pay(&mut self, amount: u64, now: i64) -> MathResult<PaymentApplied> {
        self.accrue(now)?;
        let mut left = amount;
        let take = |owed: &mut u64, left: &mut u64| {
            let x = (*owed).min(*left);
            *owed -= x;
            *left -= x;
            x
        };
        let fees = take(&mut self.fees_due, &mut left);
        let interest = take(&mut self.interest_due, &mut left);
        let principal_due = take(&mut self.principal_due, &mut left);
        self.principal_outstanding -= principal_due;

        let not_due = self.principal_outstanding - self.principal_due;
        let in_window = now < self.due_ts(self.prepay_periods)?;
        let (mut prepaid, mut prepay_fee) = (left.min(not_due), 0);
        if in_window && self.prepay_fee_bps > 0 && prepaid > 0 {
            // the largest prepayment whose fee still fits in what is left
            let bps = u64::from(self.prepay_fee_bps);
            prepaid = not_due.min(crate::fixed::mul_div_floor(left, 10_000, 10_000 + bps)?);
            prepay_fee = bps_ceil(prepaid, bps)?;
            while prepaid > 0 && prepaid + prepay_fee > left {
                prepaid -= 1;
                prepay_fee = bps_ceil(prepaid, bps)?;
            }
        }
        self.principal_outstanding -= prepaid;

        let applied = PaymentApplied {
            fees: fees + prepay_fee,
            interest,
            principal: principal_due + prepaid,
            prepaid,
            prepay_fee,
            taken: fees + prepay_fee + interest + principal_due + prepaid,
        };
        self.fees_paid = add(self.fees_paid, applied.fees)?;
        self.interest_paid = add(self.interest_paid, applied.interest)?;
        self.principal_paid = add(self.principal_paid, applied.principal)?;
        if self.principal_due == 0 && self.interest_due == 0 {
            self.arrears_since = 0;
            self.late_periods_settled = self.periods_accrued;
        }
        if self.debt()? == 0 {
            self.status = LoanStatus::Repaid as u8;
            self.margin_call_deadline = 0;
        }
        Ok(applied)
    }

    /// Applies `value` recovered from collateral: the whole debt is due (acceleration).
    pub fn recover(&mut self, value: u64) -> MathResult<RecoveryApplied> {
        let fees = self.fees_due.min(value);
        let interest = self.interest_due.min(value - fees);
        let principal = self.principal_outstanding.min(value - fees - interest);
        self.fees_due -= fees;
        self.interest_due -= interest;
        self.principal_outstanding -= principal;
        self.principal_due = self.principal_due.min(self.principal_outstanding);
        self.fees_paid = add(self.fees_paid, fees)?;
        self.interest_paid = add(self.interest_paid, interest)?;
        self.principal_paid = add(self.principal_paid, principal)?;
        // only a recovery that repays something starts recovery (no cure after it)
        if value > 0 {
            self.recovering = 1;
        }
        Ok(RecoveryApplied { fees, interest, principal, surplus: value - fees - interest - principal })
    }

    /// Closes the books after recovery: the rest of the debt is written off. Returns it.
    pub fn write_off(&mut self) -> MathResult<u64> {
        let rest = self.debt()?;
        self.fees_due = 0;
        self.interest_due = 0;
        self.principal_due = 0;
        self.principal_outstanding = 0;
        self.arrears_since = 0;
        self.margin_call_deadline = 0;
        self.status = LoanStatus::Liquidated as u8;
        Ok(rest)
    }
}

pub use crate::coverage::covers;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const USD: u64 = 1_000_000;
    const MONTH: u32 = 30 * 86_400;

    fn ledger(kind: ScheduleKind, principal: u64, apr_bps: u16, periods: u16) -> LoanLedger {
        LoanLedger {
            principal,
            start_ts: 1_000,
            period_secs: MONTH,
            grace_secs: 5 * 86_400,
            cure_secs: 10 * 86_400,
            margin_call_secs: 3 * 86_400,
            apr_bps,
            periods,
            late_fee_bps: 200,
            prepay_fee_bps: 100,
            prepay_periods: 12,
            maintenance_bps: 12_000,
            liquidation_bps: 11_000,
            schedule: kind as u8,
            status: LoanStatus::Current as u8,
            principal_outstanding: principal,
            ..Default::default()
        }
    }

    #[test]
    fn interest_only_seed_loan_pays_exactly_the_schedule() {
        let mut l = ledger(ScheduleKind::InterestOnly, 1_000_000 * USD, 1_000, 24);
        let expected = crate::schedule::total_interest(&l.terms().unwrap()).unwrap();
        for k in 1..=24u16 {
            let due = l.due_ts(k).unwrap();
            l.accrue(due).unwrap();
            let owed = l.amount_due().unwrap();
            let paid = l.pay(owed, due).unwrap();
            assert_eq!(paid.taken, owed);
            assert_eq!(paid.prepaid, 0);
        }
        assert_eq!(l.status().unwrap(), LoanStatus::Repaid);
        assert_eq!(l.interest_paid, expected);
        assert_eq!(l.principal_paid, 1_000_000 * USD);
        // the seed's $200,000 of interest-only interest, to within the monthly rounding-up
        assert!(l.interest_paid >= 200_000 * USD && l.interest_paid <= 200_000 * USD + 24);
    }

    #[test]
    fn missed_installment_goes_late_then_defaults_then_cures() {
        let mut l = ledger(ScheduleKind::LevelPayment, 1_000_000 * USD, 1_000, 24);
        let due = l.due_ts(1).unwrap();
        assert_eq!(l.evaluate(due, None).unwrap(), LoanStatus::Current);
        assert_eq!(l.arrears_since, due);
        // within grace: no fee yet
        assert_eq!(l.evaluate(due + 5 * 86_400, None).unwrap(), LoanStatus::Current);
        assert_eq!(l.fees_due, 0);
        assert_eq!(l.evaluate(due + 5 * 86_400 + 1, None).unwrap(), LoanStatus::Delinquent);
        let overdue = l.principal_due + l.interest_due;
        assert_eq!(l.fees_due, bps_ceil(overdue, 200).unwrap());
        // the fee is charged once
        assert_eq!(l.evaluate(due + 15 * 86_400, None).unwrap(), LoanStatus::Delinquent);
        assert_eq!(l.evaluate(due + 15 * 86_400 + 1, None).unwrap(), LoanStatus::Defaulted);
        assert_eq!(l.fees_due, bps_ceil(overdue, 200).unwrap());
        // paying the arrears cures
        let now = due + 16 * 86_400;
        let owed = l.amount_due().unwrap();
        l.pay(owed, now).unwrap();
        assert_eq!(l.evaluate(now, None).unwrap(), LoanStatus::Current);
        assert_eq!(l.arrears_since, 0);
    }

    #[test]
    fn margin_call_expires_into_liquidatable_and_top_up_cures() {
        let mut l = ledger(ScheduleKind::InterestOnly, 100 * USD, 1_000, 12);
        let now = 2_000;
        assert_eq!(l.evaluate(now, Some(150 * USD)).unwrap(), LoanStatus::Current);
        assert_eq!(l.evaluate(now, Some(119 * USD)).unwrap(), LoanStatus::MarginCall);
        let deadline = l.margin_call_deadline;
        assert_eq!(deadline, now + 3 * 86_400);
        assert_eq!(l.evaluate(deadline, Some(119 * USD)).unwrap(), LoanStatus::MarginCall);
        assert_eq!(l.evaluate(deadline + 1, Some(119 * USD)).unwrap(), LoanStatus::Liquidatable);
        assert_eq!(l.evaluate(deadline + 1, Some(120 * USD)).unwrap(), LoanStatus::Current);
        assert_eq!(l.margin_call_deadline, 0);
        assert_eq!(l.evaluate(now, Some(109 * USD)).unwrap(), LoanStatus::Liquidatable);
    }

    #[test]
    fn no_maintenance_means_no_margin_call() {
        let mut l = ledger(ScheduleKind::InterestOnly, 100 * USD, 1_000, 12);
        l.maintenance_bps = 0;
        l.liquidation_bps = 0;
        assert_eq!(l.evaluate(2_000, Some(0)).unwrap(), LoanStatus::Current);
    }

    #[test]
    fn prepayment_fee_applies_only_in_the_first_twelve_months() {
        let mut early = ledger(ScheduleKind::StraightLine, 120 * USD, 1_000, 24);
        let p = early.pay(u64::MAX, 2_000).unwrap();
        assert_eq!(p.prepaid, 120 * USD);
        assert_eq!(p.prepay_fee, 1_200_000); // 1% of $120
        assert_eq!(early.status().unwrap(), LoanStatus::Repaid);

        let mut late = ledger(ScheduleKind::StraightLine, 120 * USD, 1_000, 24);
        for k in 1..=12 {
            let t = late.due_ts(k).unwrap();
            late.accrue(t).unwrap();
            let owed = late.amount_due().unwrap();
            assert_eq!(late.pay(owed, t).unwrap().prepaid, 0);
        }
        let outstanding = late.principal_outstanding;
        let p = late.pay(u64::MAX, late.due_ts(12).unwrap()).unwrap();
        assert_eq!((p.prepaid, p.prepay_fee, p.taken), (outstanding, 0, outstanding));
        assert_eq!(late.status().unwrap(), LoanStatus::Repaid);
    }

    #[test]
    fn recovery_pays_fees_interest_principal_then_surplus() {
        let mut l = ledger(ScheduleKind::InterestOnly, 100 * USD, 1_200, 12);
        l.fees_due = 2;
        l.interest_due = 3;
        let r = l.recover(100 * USD + 10).unwrap();
        assert_eq!(r, RecoveryApplied { fees: 2, interest: 3, principal: 100 * USD, surplus: 5 });
        assert_eq!(l.debt().unwrap(), 0);
        let mut short = ledger(ScheduleKind::InterestOnly, 100 * USD, 1_200, 12);
        short.recover(40 * USD).unwrap();
        assert_eq!(short.write_off().unwrap(), 60 * USD);
        assert_eq!(short.status().unwrap(), LoanStatus::Liquidated);
    }

    /// `accrue` as it stood before the level payment was cached (the per-call schedule rule),
    /// kept verbatim as the reference for `accrual_equals_the_per_call_reference`.
    fn accrue_reference(l: &mut LoanLedger, now: i64) -> MathResult<()> {
        let terms = l.terms()?;
        while l.periods_accrued < l.periods {
            let k = l.periods_accrued + 1;
            let due = l.due_ts(k)?;
            if due > now {
                break;
            }
            let not_due = l.principal_outstanding - l.principal_due;
            let part = crate::schedule::installment_due_reference(&terms, k, not_due)?;
            let interest = crate::schedule::period_interest_ceil(l.principal_outstanding, l.apr_bps)?;
            l.principal_due = add(l.principal_due, part.principal.min(not_due))?;
            l.interest_due = add(l.interest_due, interest)?;
            if l.arrears_since == 0 && l.principal_due + l.interest_due > 0 {
                l.arrears_since = due;
            }
            l.periods_accrued = k;
        }
        if l.arrears_since == 0 {
            l.late_periods_settled = l.periods_accrued;
            return Ok(());
        }
        while l.late_periods_settled < l.periods_accrued {
            let k = l.late_periods_settled + 1;
            let due = l.due_ts(k)?;
            if due < l.arrears_since {
                l.late_periods_settled = k;
                continue;
            }
            if now <= due.saturating_add(i64::from(l.grace_secs)) {
                break;
            }
            let overdue = add(l.principal_due, l.interest_due)?;
            l.fees_due = add(l.fees_due, bps_ceil(overdue, u64::from(l.late_fee_bps))?)?;
            l.late_periods_settled = k;
        }
        Ok(())
    }

    #[test]
    fn every_installment_missed_accrues_like_the_reference() {
        // the CU worst case: a 36-installment level-payment loan cranked once after its term
        for kind in [ScheduleKind::LevelPayment, ScheduleKind::InterestOnly, ScheduleKind::StraightLine] {
            let mut fast = ledger(kind, 10_000_000 * USD, 1_200, 36);
            let mut slow = fast;
            let end = fast.due_ts(36).unwrap() + 30 * 86_400;
            fast.accrue(end).unwrap();
            accrue_reference(&mut slow, end).unwrap();
            assert_eq!(fast, slow);
            assert_eq!(fast.periods_accrued, 36);
            assert_eq!(fast.principal_due, 10_000_000 * USD);
            assert_eq!(fast.late_periods_settled, 36);
        }
    }

    proptest! {
        /// Identical to the atom: random terms, random times (including long jumps over many
        /// installments) and payments in between, the cached accrual and the per-call
        /// reference leave the same ledger after every step.
        #[test]
        fn accrual_equals_the_per_call_reference(
            kind in 0u8..3, principal in 1u64..1u64 << 50, apr in 0u16..=5_000, periods in 1u16..=48,
            late_fee in 0u16..=1_000, grace in 0u32..MONTH, start in 0i64..1i64 << 40,
            steps in proptest::collection::vec((0u32..40 * MONTH, 0u64..1u64 << 50), 1..12),
        ) {
            let mut fast = ledger(ScheduleKind::from_u8(kind).unwrap(), principal, apr, periods);
            fast.start_ts = start;
            fast.late_fee_bps = late_fee;
            fast.grace_secs = grace;
            let mut slow = fast;
            let mut now = start;
            for (dt, amount) in steps {
                now += i64::from(dt);
                let (a, b) = (fast.accrue(now), accrue_reference(&mut slow, now));
                prop_assert_eq!(a, b);
                prop_assert_eq!(fast, slow);
                if a.is_err() {
                    break;
                }
                // pay() accrues again at the same time: a no-op after the accrual above
                let (a, b) = (fast.pay(amount, now), slow.pay(amount, now));
                prop_assert_eq!(a, b);
                prop_assert_eq!(fast, slow);
            }
        }

        #[test]
        fn payments_conserve_money(
            kind in 0u8..3, principal in 1u64..1u64 << 44, apr in 800u16..=1_200, periods in 6u16..=36,
            pays in proptest::collection::vec((0u64..1u64 << 44, 0u32..3 * MONTH), 1..40),
        ) {
            let mut l = ledger(ScheduleKind::from_u8(kind).unwrap(), principal, apr, periods);
            let mut now = l.start_ts;
            let mut taken = 0u64;
            for (amount, dt) in pays {
                now += i64::from(dt);
                let before = l.debt()?;
                let p = l.pay(amount, now)?;
                prop_assert!(p.taken <= amount);
                prop_assert_eq!(p.taken, p.fees + p.interest + p.principal);
                // accrual can only add to the debt; payment removes exactly what it took
                // (less the prepayment fee, which is charged and paid at once)
                prop_assert!(l.debt()? + p.taken - p.prepay_fee >= before);
                prop_assert!(l.principal_due <= l.principal_outstanding);
                taken += p.taken;
            }
            prop_assert_eq!(l.principal_paid + l.principal_outstanding, principal);
            prop_assert_eq!(taken, l.principal_paid + l.interest_paid + l.fees_paid);
        }
    }
}
