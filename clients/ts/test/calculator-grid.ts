// The inputs the calculator is compared with the CLI on (test/calculator-cli.test.ts).
import type { CalculatorInput, CalculatorSchedule } from '../src/calculator.ts';
import { BORROWER_TIER_NAMES } from '../src/math/underwriting.ts';

const SCHEDULES: CalculatorSchedule[] = ['amortizing', 'interest-only', 'straight-line'];
/// Odd amounts with cents and every amount tier's edges ($250K, $500K, $2M, $5M).
const PRINCIPALS = [
  '1000000', '250000.50', '1234567.89', '249999.99', '250000', '499999.999999', '500000', '2000000',
  '1999999.99', '4999999.01', '5000000', '12345678.9', '73.01', '0.01', '987654.321', '3141592.653589',
];
const APRS = ['10', '8.5', '12.75', '0', '0.01', '29.99', '5.05', '18', '100', '655.35'];
const MULTIPLIERS = ['1.35', '1.25', '1.5', '1.2345', '2', '1', '1.0001', '0.5', '6.5535', '1.3'];
const SPENDS = [undefined, '30000', '12345.67', '0.5', '1000000', '0'];
/// Every term tier's edges.
const TABLE_MONTHS = [6, 7, 11, 12, 18, 24, 25, 30, 35, 36];

/// `--name=value` arguments for `app calculate` (the `=` form keeps a leading `-` a value).
export function cliArgs(i: CalculatorInput): string[] {
  const args = [`--principal=${i.principal}`, `--apr=${i.apr}`, `--months=${i.months}`];
  if (i.multiplier !== undefined) args.push(`--multiplier=${i.multiplier}`);
  if (i.tier !== undefined) args.push(`--tier=${i.tier}`);
  if (i.schedule !== undefined) args.push(`--schedule=${i.schedule}`);
  if (i.monthlySpend !== undefined) args.push(`--monthly-spend=${i.monthlySpend}`);
  return args;
}

/// A deterministic grid: every schedule x tier x term-tier edge from the table, then picks
/// (a fixed linear congruential sequence) of explicit multipliers, odd principals, rates,
/// terms of 1..48 months and spends, and the CLI's defaults left out.
export function calculatorGrid(): CalculatorInput[] {
  const grid: CalculatorInput[] = [];
  let n = 0;
  for (const schedule of SCHEDULES) {
    for (const tier of BORROWER_TIER_NAMES) {
      for (const months of TABLE_MONTHS) {
        grid.push({
          principal: PRINCIPALS[n % PRINCIPALS.length],
          apr: APRS[n % 7],
          months,
          tier,
          schedule,
          monthlySpend: SPENDS[n % SPENDS.length],
        });
        n++;
      }
    }
  }
  let seed = 20_261_203;
  const pick = (len: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((seed / 2_147_483_648) * len);
  };
  for (let k = 0; k < 120; k++) {
    const fromTable = k % 4 === 0;
    const months = fromTable ? TABLE_MONTHS[pick(TABLE_MONTHS.length)] : 1 + pick(48);
    const apr = APRS[pick(APRS.length)];
    grid.push({
      principal: PRINCIPALS[pick(PRINCIPALS.length)],
      multiplier: fromTable ? undefined : MULTIPLIERS[pick(MULTIPLIERS.length)],
      tier: k % 3 === 0 ? undefined : BORROWER_TIER_NAMES[pick(4)],
      // 655.35% compounds past u128 in the level payment after ~12 months: keep that to the refusals
      apr: apr === '655.35' && months > 6 ? '65.5' : apr,
      months,
      schedule: k % 5 === 0 ? undefined : SCHEDULES[pick(3)],
      monthlySpend: SPENDS[pick(SPENDS.length)],
    });
  }
  return grid;
}

/// Inputs the CLI refuses: a term outside the table, malformed or oversized decimals, a zero
/// multiplier, the annuity overflowing, credits past u64, a term of no months, sums past u64.
export function calculatorRefusals(): CalculatorInput[] {
  const base = { principal: '1000000', apr: '10', months: 24 };
  const explicit = { ...base, multiplier: '1.35' };
  return [
    ...[0, 1, 5, 37, 48, 400].map((months) => ({ ...base, months })),
    { ...base, months: 40, tier: 'seed' as const },
    ...['1.0000001', '-5', '1e6', '', '.5', '1,000', ' 1', '18446744073710'].map((principal) => ({ ...explicit, principal })),
    ...['10.001', '655.36', '-1', 'ten', '99999999999999999999'].map((apr) => ({ ...explicit, apr })),
    ...['6.5536', '0', '1.23456', '10', 'x'].map((multiplier) => ({ ...base, multiplier })),
    { ...explicit, apr: '655.35', months: 200, schedule: 'amortizing' as const },
    { ...explicit, apr: '300', months: 60, schedule: 'amortizing' as const },
    { ...base, principal: '18446744073709', multiplier: '6.5', months: 12 },
    { ...base, monthlySpend: 'lots' },
    { ...base, monthlySpend: '1.0000001' },
    { ...explicit, months: 0 },
    { ...explicit, principal: '1000000000000', apr: '655.35', months: 65_535 },
  ];
}
