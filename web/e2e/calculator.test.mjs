// (e) The calculator page gives, for several inputs, exactly the text of
// `$APP_BIN calculate --output json` (its `display` strings) and the same schedule length.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { openApp, withBrowser } from './ui.mjs';
import { until } from './world.mjs';

/** Output test id -> the CLI's display field. */
const FIELDS = {
  'calc-multiplier-used': 'multiplier',
  'calc-credits': 'credits_value',
  'calc-interest': 'total_interest',
  'calc-net': 'net_credit_value',
  'calc-reduction': 'cost_reduction',
  'calc-first': 'first_installment',
  'calc-last': 'last_installment',
  'calc-break-even': 'break_even_monthly_spend',
  'calc-saving': 'saving',
};

const CASES = [
  { principal: '1000000', multiplier: '', tier: 'series-a', apr: '10', months: '12', schedule: 'interest-only', spend: '100000' },
  { principal: '1000000', multiplier: '', tier: 'series-a', apr: '10', months: '12', schedule: 'amortizing', spend: '100000' },
  { principal: '250000.50', multiplier: '', tier: 'seed', apr: '8.5', months: '24', schedule: 'straight-line', spend: '12345.67' },
  { principal: '5000000', multiplier: '', tier: 'series-b-plus', apr: '11.75', months: '36', schedule: 'amortizing', spend: '400000' },
  { principal: '120000', multiplier: '1.42', tier: 'pre-revenue', apr: '12', months: '7', schedule: 'interest-only', spend: '9000' },
];

function cli(c) {
  const args = ['calculate', '--principal', c.principal, '--tier', c.tier, '--apr', c.apr, '--months', c.months];
  args.push('--schedule', c.schedule, '--monthly-spend', c.spend, '--output', 'json');
  if (c.multiplier) args.push('--multiplier', c.multiplier);
  return JSON.parse(execFileSync(process.env.APP_BIN, args, { encoding: 'utf8', env: { ...process.env, HOME: '/nonexistent' } }));
}

async function fill(page, c) {
  await page.getByTestId('calc-principal').fill(c.principal);
  await page.getByTestId('calc-multiplier').fill(c.multiplier);
  await page.getByTestId('calc-tier').selectOption(c.tier);
  await page.getByTestId('calc-apr').fill(c.apr);
  await page.getByTestId('calc-months').fill(c.months);
  await page.getByTestId('calc-schedule').selectOption(c.schedule);
  await page.getByTestId('calc-spend').fill(c.spend);
}

async function shown(page) {
  const out = {};
  for (const id of Object.keys(FIELDS)) out[id] = (await page.getByTestId(id).textContent())?.trim();
  return out;
}

test('(e) the calculator matches `app calculate` to the cent', () =>
  withBrowser(async (browser) => {
    const { page, errors } = await openApp(browser, '/calculator', []);
    await page.getByTestId('page-calculator').waitFor();
    for (const c of CASES) {
      const expected = cli(c);
      const want = Object.fromEntries(Object.entries(FIELDS).map(([id, field]) => [id, expected.display[field]]));
      for (const [id, text] of Object.entries(want)) assert.ok(text, `the CLI gives ${FIELDS[id]} for ${JSON.stringify(c)}`);
      await fill(page, c);
      const got = await until(`the figures of ${JSON.stringify(c)}`, async () => {
        const now = await shown(page);
        return JSON.stringify(now) === JSON.stringify(want) ? now : null;
      }, 10_000).catch(async (e) => {
        assert.deepEqual(await shown(page), want, `${JSON.stringify(c)}: ${e.message}`);
      });
      assert.deepEqual(got, want);
      assert.equal(await page.getByTestId('calc-schedule-row').count(), expected.installments.length);
    }
    assert.deepEqual(errors, []);
  }));
