import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unitCostCeil } from '../src/purchase.ts';

test('a feed price of 2.51 (mantissa 251, expo -2) is 2,510,000 atoms of a 6-decimal quote', () => {
  assert.equal(unitCostCeil(251n, -2, 6), 2_510_000n);
});

test('finer than a quote atom rounds up (the buyer never pays below the price)', () => {
  // 2.5100001 quote units with 6 decimals: 2,510,000.1 atoms -> 2,510,001
  assert.equal(unitCostCeil(25_100_001n, -7, 6), 2_510_001n);
  assert.equal(unitCostCeil(25_100_000n, -7, 6), 2_510_000n);
});

test('a positive exponent scales up', () => {
  assert.equal(unitCostCeil(3n, 1, 2), 3_000n);
});
