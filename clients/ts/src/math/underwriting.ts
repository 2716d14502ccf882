// The multiplier, an exact port of `credit_math::underwriting`: a published table, financing
// amount tier x term tier x borrower credit tier, gives the multiplier in bps (12,500 = 1.25x ..
// 15,000 = 1.50x), read once at origination. The default table reproduces the seed points:
// (< $250K, 6 months, pre-revenue) = 1.25x; ($500K-$2M, 12-24 months, Series A) = 1.35x;
// ($5M+, 36 months, Series B+) = 1.50x.
import { assertUint, BPS_ONE, MathError, mulDivFloor, U16_MAX, U64_MAX } from './fixed.ts';

export const AMOUNT_TIERS = 5;
export const TERM_TIERS = 4;
export const BORROWER_TIERS = 4;
export const TABLE_LEN = AMOUNT_TIERS * TERM_TIERS * BORROWER_TIERS;
export const MIN_MULTIPLIER_BPS = 12_500;
export const MAX_MULTIPLIER_BPS = 15_000;

/// Lower bounds of amount tiers 1..=4 in whole quote units: $250K, $500K, $2M, $5M.
const AMOUNT_BOUNDS = [250_000n, 500_000n, 2_000_000n, 5_000_000n] as const;
const AMOUNT_STEP = [0, 150, 300, 450, 600] as const;
const TERM_STEP = [0, 300, 600, 900] as const;
const BORROWER_STEP = [0, 200, 400, 1_000] as const;

/// Borrower credit tiers as the lender underwrites them, in the program's order (0..=3), named
/// as the CLI's `--tier` values.
export const BORROWER_TIER_NAMES = ['pre-revenue', 'seed', 'series-a', 'series-b-plus'] as const;
export type BorrowerTier = (typeof BORROWER_TIER_NAMES)[number];

export function borrowerTierCode(tier: BorrowerTier): number {
  const code = BORROWER_TIER_NAMES.indexOf(tier);
  if (code < 0) throw new RangeError(`unknown borrower tier ${String(tier)}`);
  return code;
}

/// `one_unit`: `10^decimals` as a u64, `Overflow` past it.
export function oneUnit(decimals: number): bigint {
  const unit = 10n ** BigInt(decimals);
  if (unit > U64_MAX) throw new MathError('Overflow');
  return unit;
}

/// Financing-amount tier of a principal in atoms: < $250K, $250K-$500K, $500K-$2M, $2M-$5M, $5M+.
export function amountTierForPrincipal(principal: bigint, quoteDecimals: number): number {
  assertUint(principal, U64_MAX, 'principal');
  const whole = principal / oneUnit(quoteDecimals);
  return AMOUNT_BOUNDS.filter((b) => whole >= b).length;
}

/// Term tier of a number of months: 6-11, 12-24, 25-35, 36; `OutOfRange` elsewhere.
export function termTier(months: number): number {
  if (!Number.isInteger(months)) throw new MathError('OutOfRange');
  if (months >= 6 && months <= 11) return 0;
  if (months >= 12 && months <= 24) return 1;
  if (months >= 25 && months <= 35) return 2;
  if (months === 36) return 3;
  throw new MathError('OutOfRange');
}

export function tableIndex(amount: number, term: number, borrower: number): number {
  return (amount * TERM_TIERS + term) * BORROWER_TIERS + borrower;
}

export function defaultTable(): number[] {
  const t = new Array<number>(TABLE_LEN).fill(0);
  for (let a = 0; a < AMOUNT_TIERS; a++) {
    for (let m = 0; m < TERM_TIERS; m++) {
      for (let b = 0; b < BORROWER_TIERS; b++) {
        t[tableIndex(a, m, b)] = MIN_MULTIPLIER_BPS + AMOUNT_STEP[a] + TERM_STEP[m] + BORROWER_STEP[b];
      }
    }
  }
  return t;
}

/// Every entry within 1.25x..=1.50x, else `OutOfRange`.
export function validateTable(table: readonly number[]): void {
  const ok = table.length === TABLE_LEN && table.every((m) => m >= MIN_MULTIPLIER_BPS && m <= MAX_MULTIPLIER_BPS);
  if (!ok) throw new MathError('OutOfRange');
}

/// Quote value of the credits a financing issues: `principal x multiplier`, rounded down.
export function creditsValueFloor(principal: bigint, multiplierBps: number): bigint {
  assertUint(principal, U64_MAX, 'principal');
  assertUint(BigInt(multiplierBps), U16_MAX, 'multiplierBps');
  return mulDivFloor(principal, BigInt(multiplierBps), BPS_ONE);
}

/// The effective cost reduction `1 - 1/multiplier` = `(m - 1) / m`, in bps, rounded down (never
/// overstated); 0 for a multiplier at or below 1x, `DivideByZero` for 0.
export function costReductionBpsFloor(multiplierBps: number): bigint {
  assertUint(BigInt(multiplierBps), U16_MAX, 'multiplierBps');
  if (multiplierBps === 0) throw new MathError('DivideByZero');
  const m = BigInt(multiplierBps);
  return mulDivFloor(m > BPS_ONE ? m - BPS_ONE : 0n, BPS_ONE, m);
}
