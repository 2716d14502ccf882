// The calculator on the seed documents' figures (README, "calculate") and its formatting and
// parsing rules, without the CLI (test/calculator-cli.test.ts compares with it).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { calculate, CalculatorError, multiplierText, parseDecimal, percent, usd } from '../src/calculator.ts';
import {
  amountTierForPrincipal,
  costReductionBpsFloor,
  creditsValueFloor,
  defaultTable,
  tableIndex,
  termTier,
  validateTable,
} from '../src/math/underwriting.ts';

const USD = 1_000_000n;
const refused = (message: string) => (e: unknown) => e instanceof CalculatorError && e.message === message;

test('the seed loan, interest-only: $1,350,000.00 of credits, $200,000.00 interest, break-even $32,150.21', () => {
  const f = calculate({ principal: '1000000', multiplier: '1.35', apr: '10', months: 24, monthlySpend: '30000' });
  assert.equal(f.creditsValue, 1_350_000n * USD);
  assert.equal(f.totalInterest, 200_000_000_016n);
  assert.equal(f.display.creditsValue, '$1,350,000.00');
  assert.equal(f.display.totalInterest, '$200,000.00');
  assert.equal(f.display.netCreditValue, '$1,150,000.00');
  assert.equal(f.costReductionBps, 2_592n);
  assert.equal(f.display.costReduction, '25.92%');
  assert.equal(f.display.breakEvenMonthlySpend, '$32,150.21');
  assert.equal(f.display.firstInstallment, '$8,333.33');
  assert.equal(f.display.lastInstallment, '$1,008,333.33');
  assert.equal(f.display.saving, '$7,776.00');
  assert.equal(f.paysForItself, false);
  assert.equal(f.display.multiplier, '1.35');
  assert.equal(f.display.schedule, 'interest-only with balloon');
  assert.equal(f.installments.length, 24);
  assert.equal(f.multiplierFromTable, false);
});

test('the seed loan, amortizing: $46,144.93 first installment, $107,478.23 interest', () => {
  const f = calculate({ principal: '1000000', multiplier: '1.35', apr: '10', months: 24, schedule: 'amortizing' });
  assert.equal(f.firstInstallment, 46_144_926_338n);
  assert.equal(f.display.firstInstallment, '$46,144.93');
  assert.equal(f.totalInterest, 107_478_232_112n);
  assert.equal(f.display.totalInterest, '$107,478.23');
  assert.equal(f.display.schedule, 'amortizing (level payment)');
});

test('the multiplier from the table: the seed points and the tiers', () => {
  const table = (principal: string, months: number, tier?: 'pre-revenue' | 'series-b-plus') =>
    calculate({ principal, apr: '10', months, tier });
  assert.equal(table('200000', 6, 'pre-revenue').multiplierBps, 12_500);
  assert.equal(table('1000000', 24).multiplierBps, 13_500); // series-a by default
  const top = calculate({ principal: '5000000', apr: '10', months: 36, tier: 'series-b-plus', monthlySpend: '30000' });
  assert.equal(top.multiplierBps, 15_000);
  assert.equal(top.display.multiplier, '1.5');
  assert.equal(top.display.costReduction, '33.33%');
  assert.equal(top.multiplierFromTable, true);
  assert.equal(amountTierForPrincipal(249_999n * USD, 6), 0);
  assert.equal(amountTierForPrincipal(250_000n * USD, 6), 1);
  assert.equal(amountTierForPrincipal((1n << 64n) - 1n, 6), 4);
  assert.equal(termTier(36), 3);
  assert.throws(() => termTier(37));
  assert.throws(() => termTier(5));
  assert.equal(defaultTable()[tableIndex(4, 3, 3)], 15_000);
  validateTable(defaultTable());
  assert.throws(() => validateTable(defaultTable().map((m, i) => (i === 7 ? 15_001 : m))));
  assert.equal(creditsValueFloor(1_000_000n * USD, 13_500), 1_350_000n * USD);
  assert.equal(costReductionBpsFloor(12_500), 2_000n);
  assert.equal(costReductionBpsFloor(10_000), 0n);
});

test('dollars round half up to the cent with thousands separators; percent and multiplier text', () => {
  assert.equal(usd(46_144_926_338n), '$46,144.93');
  assert.equal(usd(0n), '$0.00');
  assert.equal(usd(999_999n), '$1.00');
  assert.equal(usd(4_999n), '$0.00');
  assert.equal(usd(5_000n), '$0.01');
  assert.equal(usd(999_999_995_000n), '$1,000,000.00');
  assert.equal(usd(123_456_789n), '$123.46');
  assert.equal(usd((1n << 64n) - 1n), '$18,446,744,073,709.55');
  assert.equal(percent(2_592n), '25.92%');
  assert.equal(percent(5n), '0.05%');
  assert.equal(multiplierText(13_500), '1.35');
  assert.equal(multiplierText(10_000), '1');
  assert.equal(multiplierText(12_505), '1.2505');
  assert.equal(multiplierText(5_000), '0.5');
});

test('decimals parse without floats, refusing what the CLI refuses', () => {
  assert.equal(parseDecimal('1.35', 4), 13_500n);
  assert.equal(parseDecimal('10', 2), 1_000n);
  assert.equal(parseDecimal('8.5', 2), 850n);
  assert.equal(parseDecimal('1000000', 6), 1_000_000_000_000n);
  assert.equal(parseDecimal('7.', 2), 700n);
  assert.equal(parseDecimal('0.000001', 6), 1n);
  assert.equal(parseDecimal('18446744073709551615', 0), (1n << 64n) - 1n);
  for (const s of ['1.234', '-1', '1e3', '.5', '', '1.2.3', ' 1', '+1', '١']) {
    assert.throws(() => parseDecimal(s, 2), CalculatorError, s);
  }
  assert.throws(() => parseDecimal('18446744073709551616', 0), CalculatorError);
  assert.throws(() => parseDecimal('18446744073709.551616', 6), CalculatorError);
  assert.throws(() => parseDecimal('1.5e', 2), refused('not a non-negative decimal with at most 2 places: "1.5e"'));
  assert.throws(() => parseDecimal('a"b\\', 2), refused('not a non-negative decimal with at most 2 places: "a\\"b\\\\"'));
});

test('refusals carry the CLI messages', () => {
  const base = { principal: '1000000', apr: '10', months: 24 };
  assert.throws(() => calculate({ ...base, months: 40 }), refused('the table covers 6 to 36 months'));
  assert.throws(() => calculate({ ...base, apr: '655.36', multiplier: '1.3' }), refused('APR too large'));
  assert.throws(() => calculate({ ...base, multiplier: '6.5536' }), refused('multiplier too large'));
  assert.throws(() => calculate({ ...base, multiplier: '0' }), refused('division by zero'));
  assert.throws(() => calculate({ ...base, principal: '1.0000001' }), refused('not a non-negative decimal with at most 6 places: "1.0000001"'));
  assert.throws(
    () => calculate({ ...base, multiplier: '1.35', apr: '655.35', months: 400, schedule: 'amortizing' }),
    refused('arithmetic overflow'),
  );
  assert.throws(() => calculate({ ...base, multiplier: '1.35', months: 0 }), refused('value out of range'));
  assert.throws(() => calculate({ ...base, months: 70_000 }), CalculatorError);
  assert.throws(() => calculate({ ...base, monthlySpend: 'lots' }), refused('not a non-negative decimal with at most 6 places: "lots"'));
});

test('a multiplier at or below 1x has no break-even and no saving', () => {
  const f = calculate({ principal: '100', multiplier: '0.5', apr: '10', months: 3, monthlySpend: '10' });
  assert.equal(f.costReductionBps, 0n);
  assert.equal(f.breakEvenMonthlySpend, undefined);
  assert.equal(f.display.breakEvenMonthlySpend, undefined);
  assert.equal(f.saving, 0n);
  assert.equal(f.paysForItself, false);
  assert.equal(f.display.netCreditValue, '$47.50');
});
