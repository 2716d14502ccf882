import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { formatUnits, parseUnits, priceToTicks, sizeToLots, formatPrice, type MarketUnits } from '../src/units.ts';

test('formatUnits drops trailing zeros, parseUnits is exact', () => {
  assert.equal(formatUnits(1_234_500n, 6), '1.2345');
  assert.equal(formatUnits(5_000_000n, 6), '5');
  assert.equal(formatUnits(7n, 6), '0.000007');
  assert.equal(formatUnits(18_446_744_073_709_551_615n, 9), '18446744073.709551615');
  assert.equal(parseUnits('1.2345', 6), 1_234_500n);
  assert.equal(parseUnits('1_000', 2), 100_000n);
  assert.equal(parseUnits('.5', 1), 5n);
  assert.equal(parseUnits('2.50', 1), 25n);
  assert.throws(() => parseUnits('0.0000001', 6), /more than 6 decimals/);
  assert.throws(() => parseUnits('1e3', 6), /not a decimal/);
  assert.throws(() => parseUnits('-1', 6), /not a decimal/);
});

test('prices convert between quote per credit and ticks on a tick only', () => {
  const u: MarketUnits = { lotSize: 100_000n, tickSize: 1_000n, creditDecimals: 6, quoteDecimals: 6 };
  assert.equal(priceToTicks(u, '2.45'), 245n);
  assert.equal(priceToTicks(u, '245t'), 245n);
  assert.equal(formatPrice(u, 245n), '2.45');
  assert.throws(() => priceToTicks(u, '2.455'), /not on a tick \(a tick is 0.01 per credit\)/);
  assert.equal(sizeToLots(u, '1.5'), 15n);
  assert.throws(() => sizeToLots(u, '0.05'), /not a whole number of lots/);
});
