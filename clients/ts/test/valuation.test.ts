// The one valuation, with the vectors of the Rust tests: credit-math price.rs (gpu_hour_at_two_fifty,
// exponents_and_bands), coverage.rs (seed_ratios), median.rs (confidence_bps_ceil), and the
// feed guards of oracle::check_aggregate in the program's order.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { address } from '@solana/kit';
import { MathError, U64_MAX } from '../src/math/fixed.ts';
import {
  bandLow,
  checkAggregate,
  collateralValue,
  confidenceBpsCeil,
  coverageBpsFloor,
  covers,
  maxDebtFloor,
  priceBand,
  valueFloor,
  type FeedPrice,
} from '../src/valuation.ts';

const refused = (kind: string) => (e: unknown) => e instanceof MathError && e.kind === kind;

test('gpu hour at $2.50 (price.rs)', () => {
  const p = { mantissa: 250n, expo: -2 };
  assert.equal(valueFloor(1_000_000n, p, 6, 6), 2_500_000n);
  assert.equal(valueFloor(1n, p, 6, 6), 2n);
});

test('exponents and bands (price.rs)', () => {
  assert.throws(() => valueFloor(1n, { mantissa: 0n, expo: 0 }, 0, 0), refused('InvalidPrice'));
  assert.throws(() => valueFloor(1n, { mantissa: 1n, expo: -19 }, 0, 0), refused('InvalidPrice'));
  assert.throws(() => valueFloor(1n, { mantissa: 1n, expo: 11 }, 0, 0), refused('InvalidPrice'));
  assert.throws(() => valueFloor(U64_MAX, { mantissa: U64_MAX, expo: 10 }, 0, 9), refused('Overflow'));
  assert.equal(valueFloor(1n, { mantissa: 1n, expo: -18 }, 18, 0), 0n);
  const band = priceBand(250n, 5n, -2);
  assert.equal(bandLow(band).mantissa, 245n);
  assert.throws(() => priceBand(10n, 10n, 0), refused('InvalidPrice'));
});

test('shifts past u128: a huge divisor values at zero, a huge multiplier overflows', () => {
  assert.equal(valueFloor(U64_MAX, { mantissa: U64_MAX, expo: -18 }, 30, 0), 0n);
  assert.throws(() => valueFloor(1n, { mantissa: 1n, expo: 10 }, 0, 29), refused('Overflow'));
  // the result must fit u64 even when the u128 product does
  assert.throws(() => valueFloor(U64_MAX, { mantissa: 2n, expo: 0 }, 0, 0), refused('Overflow'));
  assert.equal(valueFloor(U64_MAX, { mantissa: 1n, expo: 0 }, 0, 0), U64_MAX);
});

test('seed ratios (coverage.rs)', () => {
  assert.equal(coverageBpsFloor(1_350_000n, 1_000_000n), 13_500n);
  assert.ok(covers(1_500_000n, 1_000_000n, 15_000));
  assert.ok(!covers(1_499_999n, 1_000_000n, 15_000));
  assert.ok(covers(0n, 0n, 15_000));
  assert.equal(coverageBpsFloor(1n, 0n), U64_MAX);
  assert.equal(maxDebtFloor(1_200n, 12_000), 1_000n);
  // floored: 2/3 is 6,666 bps, never rounded up
  assert.equal(coverageBpsFloor(2n, 3n), 6_666n);
});

test('confidence in bps, rounded up (median.rs)', () => {
  assert.equal(confidenceBpsCeil(250n, 5n), 200n);
  assert.equal(confidenceBpsCeil(3n, 1n), 3_334n);
  assert.equal(confidenceBpsCeil(0n, 1n), U64_MAX);
});

const CLASS = address('GX6GtvEt7feovTkcWZVg2JSvuQBp8VvEmwW1hgkJ4c82');
const feed = (over: Partial<FeedPrice> = {}): FeedPrice => ({
  class: CLASS, price: 250n, conf: 5n, expo: -2, publishTime: 100n, maxStalenessSecs: 60, maxConfidenceBps: 200, tripped: 0, ...over,
});
const refusal = (f: FeedPrice, now: bigint) => {
  const c = checkAggregate(f, CLASS, now);
  return c.ok ? 'ok' : c.refusal.name;
};

test('feed guards in the program\'s order: class, breaker, price, staleness, confidence, band', () => {
  assert.equal(refusal(feed(), 160n), 'ok');
  assert.equal(refusal(feed(), 161n), 'StalePrice');
  assert.equal(refusal(feed(), 99n), 'StalePrice'); // published in the future
  assert.equal(refusal(feed({ class: address('9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin'), tripped: 1 }), 100n), 'WrongPriceFeed');
  assert.equal(refusal(feed({ tripped: 1, price: 0n }), 100n), 'CircuitBreakerTripped');
  assert.equal(refusal(feed({ price: 0n, publishTime: 0n }), 100n), 'NoPrice');
  assert.equal(refusal(feed({ conf: 6n }), 100n), 'ConfidenceTooWide'); // 240 bps > 200
  assert.equal(refusal(feed({ expo: 11 }), 100n), 'InvalidPrice');
  assert.equal(refusal(feed({ conf: 250n, maxConfidenceBps: 10_000 }), 100n), 'InvalidPrice'); // conf >= price
});

test('collateral at the low side; a value past u64 is the program\'s MathOverflow', () => {
  const v = collateralValue(CLASS, { decimals: 6, quoteDecimals: 6 }, feed(), 1_000_000n, 100n);
  assert.ok(v.ok && v.value === 2_450_000n);
  const big = collateralValue(CLASS, { decimals: 0, quoteDecimals: 9 }, feed({ price: U64_MAX, conf: 0n, expo: 10, maxConfidenceBps: 0 }), U64_MAX, 100n);
  assert.ok(!big.ok && big.refusal.name === 'MathOverflow' && big.refusal.message === 'arithmetic overflow');
});
