// The calculator against the CLI it ports: every figure and every display string of
// `app calculate --output json` over a grid of inputs, and the CLI's refusals refused alike.
// APP_BIN names the binary (default: the workspace's target/debug/app); it must exist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { calculate, CalculatorError, type CalculatorFigures, type CalculatorInput } from '../src/calculator.ts';
import { BORROWER_TIER_NAMES } from '../src/math/underwriting.ts';
import { calculatorGrid, calculatorRefusals, cliArgs } from './calculator-grid.ts';

const here = dirname(fileURLToPath(import.meta.url));
const APP_BIN = resolve(here, '..', process.env.APP_BIN ?? '../../target/debug/app');
if (!existsSync(APP_BIN)) {
  throw new Error(
    `APP_BIN ${APP_BIN} does not exist: build the CLI first (cargo build -p app) or set APP_BIN to it; ` +
      'the calculator is checked against it, this test is not optional',
  );
}

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCli(input: CalculatorInput): CliRun {
  const r = spawnSync(APP_BIN, ['calculate', ...cliArgs(input), '--output', 'json-compact'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/// The TypeScript figures in the CLI's JSON shape (snake_case, atoms as decimal strings).
function asCliJson(f: CalculatorFigures): unknown {
  const s = (v: bigint | undefined) => (v === undefined ? null : v.toString());
  const d = f.display;
  return {
    principal_atoms: s(f.principal),
    multiplier_bps: f.multiplierBps,
    multiplier_from_table: f.multiplierFromTable,
    apr_bps: f.aprBps,
    months: f.months,
    schedule: f.schedule,
    credits_value_atoms: s(f.creditsValue),
    total_interest_atoms: s(f.totalInterest),
    net_credit_value_atoms: s(f.netCreditValue),
    cost_reduction_bps: Number(f.costReductionBps),
    first_installment_atoms: s(f.firstInstallment),
    first_interest_atoms: s(f.firstInterest),
    first_principal_atoms: s(f.firstPrincipal),
    last_installment_atoms: s(f.lastInstallment),
    monthly_interest_atoms: s(f.monthlyInterest),
    break_even_monthly_spend_atoms: s(f.breakEvenMonthlySpend),
    monthly_spend_atoms: s(f.monthlySpend),
    saving_atoms: s(f.saving),
    pays_for_itself: f.paysForItself ?? null,
    installments: f.installments.map((i) => [i.interest.toString(), i.principal.toString()]),
    display: {
      principal: d.principal,
      multiplier: d.multiplier,
      apr: d.apr,
      schedule: d.schedule,
      credits_value: d.creditsValue,
      total_interest: d.totalInterest,
      net_credit_value: d.netCreditValue,
      cost_reduction: d.costReduction,
      first_installment: d.firstInstallment,
      first_interest: d.firstInterest,
      first_principal: d.firstPrincipal,
      last_installment: d.lastInstallment,
      monthly_interest: d.monthlyInterest,
      break_even_monthly_spend: d.breakEvenMonthlySpend ?? null,
      monthly_spend: d.monthlySpend ?? null,
      saving: d.saving ?? null,
    },
  };
}

test('the grid covers every schedule, tier, table lookup and explicit multiplier', () => {
  const grid = calculatorGrid();
  assert.ok(grid.length >= 150, `${grid.length} inputs`);
  for (const s of ['amortizing', 'interest-only', 'straight-line']) assert.ok(grid.some((i) => i.schedule === s), s);
  for (const t of BORROWER_TIER_NAMES) assert.ok(grid.some((i) => i.tier === t && i.multiplier === undefined), t);
  assert.ok(grid.some((i) => i.multiplier !== undefined));
  assert.ok(grid.some((i) => i.monthlySpend !== undefined));
  assert.ok(grid.some((i) => i.principal.includes('.')) && grid.some((i) => i.apr.includes('.')));
});

test('every figure and string equals `app calculate --output json` over the grid', () => {
  let compared = 0;
  for (const input of calculatorGrid()) {
    const cli = runCli(input);
    const args = cliArgs(input).join(' ');
    assert.equal(cli.status, 0, `app calculate ${args} refused: ${cli.stderr}`);
    const expected: unknown = JSON.parse(cli.stdout);
    assert.deepStrictEqual(asCliJson(calculate(input)), expected, `app calculate ${args}`);
    compared++;
  }
  assert.ok(compared >= 150);
});

test("the CLI's refusals are refused alike, with its message", () => {
  for (const input of calculatorRefusals()) {
    const args = cliArgs(input).join(' ');
    const cli = runCli(input);
    assert.notEqual(cli.status, 0, `app calculate ${args} did not refuse: ${cli.stdout.slice(0, 200)}`);
    let ours: unknown;
    try {
      calculate(input);
    } catch (e) {
      ours = e;
    }
    assert.ok(ours instanceof CalculatorError, `calculate refused ${args} with ${String(ours)}`);
    assert.equal(cli.status, 1, `app calculate ${args} exited ${cli.status}: ${cli.stderr.slice(0, 200)}`);
    assert.equal(`error: ${ours.message}`, cli.stderr.trim(), args);
  }
});
