// The financing calculator: an exact port of the CLI's `app calculate` (app/src/commands/
// calculate.rs) on BigInt atoms, giving the same figures and the same text to the cent, and
// refusing what the CLI refuses with the CLI's message. No floats anywhere.
import { MathError, U16_MAX, U64_MAX } from './math/fixed.ts';
import { fullSchedule, type Installment, type ScheduleKind } from './math/schedule.ts';
import {
  amountTierForPrincipal,
  borrowerTierCode,
  costReductionBpsFloor,
  creditsValueFloor,
  defaultTable,
  tableIndex,
  termTier,
  type BorrowerTier,
} from './math/underwriting.ts';

/// The quote mint's decimals the CLI assumes (USD with 6 places).
export const QUOTE_DECIMALS = 6;

/// The CLI's `--schedule` values.
export const CALCULATOR_SCHEDULES = ['amortizing', 'interest-only', 'straight-line'] as const;
export type CalculatorSchedule = (typeof CALCULATOR_SCHEDULES)[number];

const SCHEDULE_KIND: Record<CalculatorSchedule, ScheduleKind> = {
  amortizing: 'level-payment',
  'interest-only': 'interest-only',
  'straight-line': 'straight-line',
};

/// The names the CLI prints for each schedule.
const SCHEDULE_NAME: Record<CalculatorSchedule, string> = {
  amortizing: 'amortizing (level payment)',
  'interest-only': 'interest-only with balloon',
  'straight-line': 'straight-line principal',
};

/// The CLI's arguments: decimal strings as typed (`--principal 250000.50`, `--apr 8.5`).
export interface CalculatorInput {
  principal: string;
  /// e.g. "1.35"; undefined looks it up in the underwriting table with `tier`.
  multiplier?: string;
  /// Default `series-a`, as the CLI.
  tier?: BorrowerTier;
  apr: string;
  /// Whole months, a u16 as the CLI's `--months`.
  months: number;
  /// Default `interest-only`, as the CLI.
  schedule?: CalculatorSchedule;
  monthlySpend?: string;
}

/// The figures as the CLI displays them (`$1,350,000.00`, `25.92%`, multiplier `1.35`).
export interface CalculatorDisplay {
  principal: string;
  multiplier: string;
  apr: string;
  schedule: string;
  creditsValue: string;
  totalInterest: string;
  netCreditValue: string;
  costReduction: string;
  firstInstallment: string;
  firstInterest: string;
  firstPrincipal: string;
  lastInstallment: string;
  monthlyInterest: string;
  /// Absent when the multiplier is at or below 1x (no saving to break even with).
  breakEvenMonthlySpend?: string;
  monthlySpend?: string;
  saving?: string;
}

/// Every figure `app calculate` reports, in quote atoms and basis points, plus the display text.
export interface CalculatorFigures {
  principal: bigint;
  multiplierBps: number;
  /// The multiplier came from the underwriting table.
  multiplierFromTable: boolean;
  aprBps: number;
  months: number;
  schedule: CalculatorSchedule;
  creditsValue: bigint;
  totalInterest: bigint;
  netCreditValue: bigint;
  costReductionBps: bigint;
  firstInstallment: bigint;
  firstInterest: bigint;
  firstPrincipal: bigint;
  lastInstallment: bigint;
  /// Average monthly interest, rounded down.
  monthlyInterest: bigint;
  breakEvenMonthlySpend?: bigint;
  monthlySpend?: bigint;
  saving?: bigint;
  paysForItself?: boolean;
  installments: Installment[];
  display: CalculatorDisplay;
}

/// A refusal with the CLI's message (what `app calculate` prints after `error: `).
export class CalculatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalculatorError';
  }
}

/// A string as Rust's `{:?}` prints it: quoted, with quotes, backslashes and control
/// characters escaped (the CLI quotes a refused number this way).
function rustDebugString(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\0') out += '\\0';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += c;
  }
  return `${out}"`;
}

/// A non-negative decimal as an integer with `decimals` places, without floats: digits, an
/// optional point and at most `decimals` fraction digits, the result within u64.
export function parseDecimal(s: string, decimals: number): bigint {
  const bad = () => new CalculatorError(`not a non-negative decimal with at most ${decimals} places: ${rustDebugString(s)}`);
  const dot = s.indexOf('.');
  const [whole, frac] = dot < 0 ? [s, ''] : [s.slice(0, dot), s.slice(dot + 1)];
  const digits = (p: string) => /^[0-9]+$/.test(p);
  if (!digits(whole) || (frac !== '' && !digits(frac)) || frac.length > decimals) throw bad();
  const scale = 10n ** BigInt(decimals);
  const w = BigInt(whole);
  const f = frac === '' ? 0n : BigInt(frac) * 10n ** BigInt(decimals - frac.length);
  // u64 parse of the whole part and the checked multiply/add both refuse past u64
  if (w > U64_MAX || w * scale + f > U64_MAX) throw bad();
  return w * scale + f;
}

/// Quote atoms as dollars, rounded half up to the cent, with thousands separators.
export function usd(atoms: bigint): string {
  const cents = (atoms + 5_000n) / 10_000n;
  const dollars = (cents / 100n).toString();
  const grouped = dollars.replace(/\B(?=(\d{3})+$)/g, ',');
  return `$${grouped}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/// Basis points as a percentage with two places: 2592 -> `25.92%`.
export function percent(bps: bigint): string {
  return `${bps / 100n}.${(bps % 100n).toString().padStart(2, '0')}%`;
}

/// A multiplier in bps as the CLI writes it before its `x`: 13500 -> `1.35`, 10000 -> `1`.
export function multiplierText(bps: number): string {
  const b = BigInt(bps);
  const fixed = `${b / 10_000n}.${(b % 10_000n).toString().padStart(4, '0')}`;
  return fixed.replace(/0+$/, '').replace(/\.$/, '');
}

function u64Sum(values: bigint[]): bigint {
  const sum = values.reduce((a, v) => a + v, 0n);
  // the CLI adds in u64 (debug build: a panic past it); refuse instead
  if (sum > U64_MAX) throw new MathError('Overflow');
  return sum;
}

function saturateU64(x: bigint): bigint {
  return x > U64_MAX ? U64_MAX : x;
}

/// The arithmetic of `app calculate`, step for step, refusing where and as it refuses.
export function calculate(input: CalculatorInput): CalculatorFigures {
  const { months } = input;
  const tier = input.tier ?? 'series-a';
  const schedule = input.schedule ?? 'interest-only';
  if (!Number.isInteger(months) || months < 0 || BigInt(months) > U16_MAX) {
    throw new CalculatorError(`months must be a whole number from 0 to ${U16_MAX}`);
  }
  if (!(schedule in SCHEDULE_KIND)) throw new CalculatorError(`unknown schedule ${String(schedule)}`);
  try {
    const principal = parseDecimal(input.principal, QUOTE_DECIMALS);
    const apr = parseDecimal(input.apr, 2);
    if (apr > U16_MAX) throw new CalculatorError('APR too large');
    const aprBps = Number(apr);
    let multiplierBps: number;
    const multiplierFromTable = input.multiplier === undefined;
    if (input.multiplier !== undefined) {
      const m = parseDecimal(input.multiplier, 4);
      if (m > U16_MAX) throw new CalculatorError('multiplier too large');
      multiplierBps = Number(m);
    } else {
      const amount = amountTierForPrincipal(principal, QUOTE_DECIMALS);
      let term: number;
      try {
        term = termTier(months);
      } catch {
        throw new CalculatorError('the table covers 6 to 36 months');
      }
      multiplierBps = defaultTable()[tableIndex(amount, term, borrowerTierCode(tier))];
    }
    const installments = fullSchedule({ principal, aprBps, periods: months, kind: SCHEDULE_KIND[schedule] });
    const totalInterest = u64Sum(installments.map((i) => i.interest));
    const creditsValue = creditsValueFloor(principal, multiplierBps);
    const costReductionBps = costReductionBpsFloor(multiplierBps);
    // a term of no months has no first installment (the CLI panics on it: refuse instead)
    if (installments.length === 0) throw new MathError('OutOfRange');
    const first = installments[0];
    const last = installments[installments.length - 1];
    const netCreditValue = creditsValue > totalInterest ? creditsValue - totalInterest : 0n;
    // the monthly spend at which the multiplier's saving equals the average monthly interest:
    // spend x reduction = interest / months
    const monthlyInterest = totalInterest / BigInt(months);
    const breakEvenMonthlySpend =
      costReductionBps > 0n ? saturateU64((monthlyInterest * 10_000n) / costReductionBps) : undefined;
    const monthlySpend =
      input.monthlySpend === undefined ? undefined : parseDecimal(input.monthlySpend, QUOTE_DECIMALS);
    const saving = monthlySpend === undefined ? undefined : saturateU64((monthlySpend * costReductionBps) / 10_000n);
    const firstInstallment = u64Sum([first.interest, first.principal]);
    const lastInstallment = u64Sum([last.interest, last.principal]);
    const opt = (v: bigint | undefined) => (v === undefined ? undefined : usd(v));
    return {
      principal,
      multiplierBps,
      multiplierFromTable,
      aprBps,
      months,
      schedule,
      creditsValue,
      totalInterest,
      netCreditValue,
      costReductionBps,
      firstInstallment,
      firstInterest: first.interest,
      firstPrincipal: first.principal,
      lastInstallment,
      monthlyInterest,
      breakEvenMonthlySpend,
      monthlySpend,
      saving,
      paysForItself: saving === undefined ? undefined : saving >= monthlyInterest,
      installments,
      display: {
        principal: usd(principal),
        multiplier: multiplierText(multiplierBps),
        apr: percent(BigInt(aprBps)),
        schedule: SCHEDULE_NAME[schedule],
        creditsValue: usd(creditsValue),
        totalInterest: usd(totalInterest),
        netCreditValue: usd(netCreditValue),
        costReduction: percent(costReductionBps),
        firstInstallment: usd(firstInstallment),
        firstInterest: usd(first.interest),
        firstPrincipal: usd(first.principal),
        lastInstallment: usd(lastInstallment),
        monthlyInterest: usd(monthlyInterest),
        breakEvenMonthlySpend: opt(breakEvenMonthlySpend),
        monthlySpend: opt(monthlySpend),
        saving: opt(saving),
      },
    };
  } catch (e) {
    // the CLI prints a math refusal by its Display text, as MathError's message is
    if (e instanceof MathError) throw new CalculatorError(e.message);
    throw e;
  }
}
