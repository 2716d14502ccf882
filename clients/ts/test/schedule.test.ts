// The schedule port against the figures credit-math's own tests assert (schedule.rs).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MathError } from '../src/math/fixed.ts';
import {
  fullSchedule,
  installmentDue,
  installmentTotal,
  levelPaymentCeil,
  periodInterestCeil,
  Schedule,
  scheduleKindFromCode,
  totalInterest,
  type LoanTerms,
  type ScheduleKind,
} from '../src/math/schedule.ts';

const USD = 1_000_000n;
const seed = (kind: ScheduleKind): LoanTerms => ({ principal: 1_000_000n * USD, aprBps: 1_000, periods: 24, kind });
const outOfRange = (e: unknown) => e instanceof MathError && e.kind === 'OutOfRange';
const overflow = (e: unknown) => e instanceof MathError && e.kind === 'Overflow';

test('interest-only seed: $8,333.33 a month rounded up, $200,000.000016 in all, balloon last', () => {
  const t = seed('interest-only');
  assert.equal(installmentDue(t, 1, t.principal).interest, 8_333_333_334n);
  assert.equal(totalInterest(t), 200_000_000_016n);
  const s = fullSchedule(t);
  assert.equal(s.length, 24);
  assert.equal(s[23].principal, t.principal);
  assert.ok(s.slice(0, 23).every((i) => i.principal === 0n));
});

test('level-payment seed: $46,144.93 a month, $107,478.23 of interest', () => {
  const t = seed('level-payment');
  const payment = levelPaymentCeil(t.principal, t.aprBps, t.periods);
  assert.equal(payment, 46_144_926_338n);
  assert.equal(totalInterest(t), 107_478_232_112n);
  const s = fullSchedule(t);
  assert.ok(s.slice(0, 23).every((i) => installmentTotal(i) === payment));
  assert.equal(s.reduce((a, i) => a + i.principal, 0n), t.principal);
});

test('straight-line seed: $104,166.67 of interest', () => {
  assert.equal(totalInterest(seed('straight-line')), 104_166_666_678n);
});

test('zero rate, bad periods and out-of-range installments refuse as credit-math does', () => {
  assert.equal(levelPaymentCeil(100n, 0, 3), 34n);
  assert.throws(() => levelPaymentCeil(100n, 1_000, 0), outOfRange);
  const t = seed('level-payment');
  assert.throws(() => installmentDue(t, 0, 1n), outOfRange);
  assert.throws(() => installmentDue(t, 25, 1n), outOfRange);
  // a zero-period schedule is empty, as full_schedule returns
  assert.deepEqual(fullSchedule({ ...t, periods: 0 }), []);
});

test('the annuity factor overflows u128 where the Rust limbs do', () => {
  // (1 + r)^n at 655.35% APR (r = 0.546125) exceeds 2^128 at WAD scale long before 400 periods
  const t: LoanTerms = { principal: 1n, aprBps: 65_535, periods: 400, kind: 'level-payment' };
  assert.throws(() => fullSchedule(t), overflow);
  // one period never needs the level payment (the last installment takes what is left)
  assert.deepEqual(fullSchedule({ ...t, periods: 1 }), [{ interest: 1n, principal: 1n }]);
  // a payment past u64 narrows to Overflow: one period at 655.35% pays 1.546125 x principal
  assert.throws(() => levelPaymentCeil((1n << 64n) - 1n, 65_535, 1), overflow);
});

test('principal parts sum to the principal and interest never falls below the exact rate', () => {
  // a deterministic sweep in place of credit-math's proptest
  let x = 0x2545f4914f6cdd1dn;
  const next = (m: bigint) => {
    x ^= (x << 13n) & ((1n << 64n) - 1n);
    x ^= x >> 7n;
    x ^= (x << 17n) & ((1n << 64n) - 1n);
    return x % m;
  };
  const kinds: ScheduleKind[] = ['level-payment', 'interest-only', 'straight-line'];
  for (let n = 0; n < 300; n++) {
    const t: LoanTerms = {
      principal: 1n + next(1n << 45n),
      aprBps: 1 + Number(next(3_000n)),
      periods: 1 + Number(next(36n)),
      kind: kinds[n % 3],
    };
    const s = fullSchedule(t);
    assert.equal(s.reduce((a, i) => a + i.principal, 0n), t.principal);
    let outstanding = t.principal;
    for (const i of s) {
      assert.ok(i.interest * 120_000n >= outstanding * BigInt(t.aprBps));
      assert.ok((i.interest - 1n) * 120_000n < outstanding * BigInt(t.aprBps));
      outstanding -= i.principal;
    }
  }
});

test('a Schedule reuses its level payment and answers as the free function', () => {
  const t = seed('level-payment');
  const cached = new Schedule(t);
  for (const [period, outstanding] of [[3, 900_000n * USD], [1, t.principal], [23, 5n], [24, 7n]] as const) {
    assert.deepEqual(cached.installmentDue(period, outstanding), installmentDue(t, period, outstanding));
  }
});

test('kind codes follow the program and inputs outside u16/u64 are refused', () => {
  assert.equal(scheduleKindFromCode(0), 'level-payment');
  assert.equal(scheduleKindFromCode(1), 'interest-only');
  assert.equal(scheduleKindFromCode(2), 'straight-line');
  assert.equal(scheduleKindFromCode(3), undefined);
  assert.throws(() => fullSchedule({ ...seed('interest-only'), principal: 1n << 64n }), RangeError);
  assert.throws(() => fullSchedule({ ...seed('interest-only'), aprBps: 65_536 }), RangeError);
  assert.throws(() => fullSchedule({ ...seed('interest-only'), periods: -1 }), RangeError);
  assert.equal(periodInterestCeil(1n, 1), 1n);
});
