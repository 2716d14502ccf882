// Integer helpers mirroring `credit_math::fixed` and `credit_math::error`: BigInt in place of
// u64/u128, with the same overflow checks where the Rust code checks (no floats anywhere).

export const U16_MAX = 0xffffn;
export const U64_MAX = (1n << 64n) - 1n;
export const U128_MAX = (1n << 128n) - 1n;
/// Basis points in one whole (100%).
export const BPS_ONE = 10_000n;

export type MathErrorKind = 'Overflow' | 'DivideByZero' | 'InvalidPrice' | 'OutOfRange';

/// The messages of `MathError`'s `Display`, so a refusal reads as the CLI's does.
const MESSAGES: Record<MathErrorKind, string> = {
  Overflow: 'arithmetic overflow',
  DivideByZero: 'division by zero',
  InvalidPrice: 'invalid price',
  OutOfRange: 'value out of range',
};

/// Why a domain computation refused to produce a number (`credit_math::MathError`).
export class MathError extends Error {
  readonly kind: MathErrorKind;
  constructor(kind: MathErrorKind) {
    super(MESSAGES[kind]);
    this.name = 'MathError';
    this.kind = kind;
  }
}

/// Throws unless `v` is an integer in `0..=max`: the Rust signatures take u16/u64, so a value
/// outside the type is a caller's mistake, not a domain refusal.
export function assertUint(v: bigint, max: bigint, what: string): void {
  if (typeof v !== 'bigint' || v < 0n || v > max) {
    throw new RangeError(`${what} must be an integer in 0..=${max}, got ${String(v)}`);
  }
}

/// Checked u128 multiplication (`checked_mul_u128`).
export function checkedMulU128(a: bigint, b: bigint): bigint {
  const p = a * b;
  if (p > U128_MAX) throw new MathError('Overflow');
  return p;
}

/// `u128 -> u64` or `Overflow` (`narrow`).
export function narrow(x: bigint): bigint {
  if (x > U64_MAX) throw new MathError('Overflow');
  return x;
}

/// `ceil(n / d)` for non-negative operands.
export function divCeil(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new MathError('DivideByZero');
  const q = n / d;
  return n % d === 0n ? q : q + 1n;
}

/// `floor(a * b / d)` for u64 operands, the result narrowed to u64.
export function mulDivFloor(a: bigint, b: bigint, d: bigint): bigint {
  if (d === 0n) throw new MathError('DivideByZero');
  return narrow((a * b) / d);
}

/// `ceil(a * b / d)` for u64 operands, the result narrowed to u64.
export function mulDivCeil(a: bigint, b: bigint, d: bigint): bigint {
  return narrow(divCeil(a * b, d));
}

/// `10^e` as a BigInt (exact).
export function pow10(e: number): bigint {
  return 10n ** BigInt(e);
}
