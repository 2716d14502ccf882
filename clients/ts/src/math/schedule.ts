// Repayment schedules, an exact port of `credit_math::schedule` (BigInt atoms, same rounding).
//
// Interest for a period is `outstanding * apr / 12`, rounded up to the atom (the lender never
// receives less than the rate). Each schedule ends with the last installment taking whatever
// principal is left, so principal parts always sum to the principal exactly:
// - level payment (amortizing): every installment has the same total, the annuity payment;
// - interest-only: interest every month, all principal in the last installment (balloon);
// - straight-line: the same principal every month, interest on what is left.
import { assertUint, checkedMulU128, divCeil, MathError, mulDivCeil, narrow, U16_MAX, U64_MAX } from './fixed.ts';

export const PERIODS_PER_YEAR = 12n;
/// Fixed-point scale of the annuity factor.
const WAD = 1_000_000_000_000_000_000n;

export type ScheduleKind = 'level-payment' | 'interest-only' | 'straight-line';

/// The program's `ScheduleKind` discriminants (a loan account stores the u8).
const KIND_CODES: readonly ScheduleKind[] = ['level-payment', 'interest-only', 'straight-line'];

export function scheduleKindFromCode(code: number): ScheduleKind | undefined {
  return KIND_CODES[code];
}

export function scheduleKindCode(kind: ScheduleKind): number {
  return KIND_CODES.indexOf(kind);
}

/// A loan's schedule terms: principal in quote atoms (u64), APR in bps (u16), monthly periods (u16).
export interface LoanTerms {
  principal: bigint;
  aprBps: number;
  periods: number;
  kind: ScheduleKind;
}

/// One installment, in quote atoms.
export interface Installment {
  interest: bigint;
  principal: bigint;
}

export function installmentTotal(i: Installment): bigint {
  return narrow(i.interest + i.principal);
}

function checkTerms(t: LoanTerms): void {
  assertUint(t.principal, U64_MAX, 'principal');
  assertUint(BigInt(t.aprBps), U16_MAX, 'aprBps');
  assertUint(BigInt(t.periods), U16_MAX, 'periods');
  if (scheduleKindCode(t.kind) < 0) throw new RangeError(`unknown schedule kind ${String(t.kind)}`);
}

/// One period's interest on `outstanding`, rounded up.
export function periodInterestCeil(outstanding: bigint, aprBps: number): bigint {
  return mulDivCeil(outstanding, BigInt(aprBps), 10_000n * PERIODS_PER_YEAR);
}

/// The annuity payment `P * r / (1 - (1 + r)^-n)` with `r = apr / 12`, rounded up to the atom,
/// as `P * k` with `k = r (1+r)^n / ((1+r)^n - 1)` in 18-decimal fixed point, each product of
/// the power floored back to WAD scale as the Rust code does; a zero rate pays `ceil(P / n)`.
export function levelPaymentCeil(principal: bigint, aprBps: number, periods: number): bigint {
  if (periods === 0) throw new MathError('OutOfRange');
  if (aprBps === 0) return divCeil(principal, BigInt(periods));
  const r = checkedMulU128(BigInt(aprBps), WAD) / (10_000n * PERIODS_PER_YEAR);
  let growth = WAD;
  for (let k = 0; k < periods; k++) {
    growth = checkedMulU128(growth, WAD + r) / WAD;
  }
  const factor = checkedMulU128(r, growth) / (growth - WAD);
  const payment = checkedMulU128(principal, factor);
  return narrow(divCeil(payment, WAD));
}

/// A schedule that computes the level payment at most once, lazily (so it fails exactly when
/// the Rust `Schedule` does: a schedule that never needs the payment never computes it).
export class Schedule {
  readonly terms: LoanTerms;
  private levelPayment: bigint | undefined;

  constructor(terms: LoanTerms) {
    checkTerms(terms);
    this.terms = terms;
  }

  private payment(): bigint {
    if (this.levelPayment === undefined) {
      const t = this.terms;
      this.levelPayment = levelPaymentCeil(t.principal, t.aprBps, t.periods);
    }
    return this.levelPayment;
  }

  /// Installment `period` (1-based) when `outstanding` principal is not yet due.
  installmentDue(period: number, outstanding: bigint): Installment {
    const t = this.terms;
    if (!Number.isInteger(period) || period <= 0 || period > t.periods) throw new MathError('OutOfRange');
    assertUint(outstanding, U64_MAX, 'outstanding');
    const interest = periodInterestCeil(outstanding, t.aprBps);
    const min = (a: bigint, b: bigint) => (a < b ? a : b);
    let principal: bigint;
    if (period === t.periods) {
      principal = outstanding;
    } else if (t.kind === 'interest-only') {
      principal = 0n;
    } else if (t.kind === 'level-payment') {
      const payment = this.payment();
      principal = min(payment > interest ? payment - interest : 0n, outstanding);
    } else {
      principal = min(divCeil(t.principal, BigInt(t.periods)), outstanding);
    }
    return { interest, principal };
  }
}

/// Installment `period` (1-based) of `terms` when `outstanding` principal is not yet due.
export function installmentDue(terms: LoanTerms, period: number, outstanding: bigint): Installment {
  return new Schedule(terms).installmentDue(period, outstanding);
}

/// The whole schedule when every installment is paid on time.
export function fullSchedule(terms: LoanTerms): Installment[] {
  const schedule = new Schedule(terms);
  let outstanding = terms.principal;
  const out: Installment[] = [];
  for (let k = 1; k <= terms.periods; k++) {
    const i = schedule.installmentDue(k, outstanding);
    outstanding -= i.principal;
    out.push(i);
  }
  return out;
}

/// Total interest of the whole schedule, `Overflow` past u64 as the Rust fold.
export function totalInterest(terms: LoanTerms): bigint {
  return fullSchedule(terms).reduce((acc, i) => narrow(acc + i.interest), 0n);
}
