// The schedule-row rule on a stored ledger (the cases of credit-client read.rs's test, plus the
// overdue flag this client adds), and a loan view built from decoded accounts: stored status by
// name, coverage at the band's low side against the lines, a stale feed giving no coverage.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { address } from '@solana/kit';
import { getLoanDecoder, getLoanSize, type Loan } from '../src/generated/accounts/loan.ts';
import type { LedgerData } from '../src/generated/types/ledgerData.ts';
import { dueTs, loanStatusName, loanViewFrom, scheduleRows, type LoanViewInputs } from '../src/loan.ts';
import type { FeedPrice } from '../src/valuation.ts';

const CLASS = address('GX6GtvEt7feovTkcWZVg2JSvuQBp8VvEmwW1hgkJ4c82');
const OTHER = address('9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin');
const STRAIGHT_LINE = 2;

const zeroLoan = (): Loan => getLoanDecoder().decode(new Uint8Array(getLoanSize()));

/** $1,200 straight-line over 3 periods at 12% APR, starting at t=1,000, a period of 100 s (read.rs). */
function ledger(periodsAccrued: number, principalDue: bigint, interestDue: bigint): LedgerData {
  return {
    ...zeroLoan().ledger,
    principal: 1_200_000_000n,
    principalOutstanding: 1_200_000_000n,
    aprBps: 1_200,
    periods: 3,
    schedule: STRAIGHT_LINE,
    startTs: 1_000n,
    periodSecs: 100,
    periodsAccrued,
    principalDue,
    interestDue,
  };
}

test('the unpaid amount marks the latest charged installments due (read.rs cases)', () => {
  let rows = scheduleRows(ledger(0, 0n, 0n));
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((r) => r.dueTs), [1_100n, 1_200n, 1_300n]);
  assert.ok(rows.every((r) => r.state === 'upcoming' && r.principal === 400_000_000n && !r.overdue));
  // interest on what is left: 1% a month of 1,200, 800, 400
  assert.deepEqual(rows.map((r) => r.interest), [12_000_000n, 8_000_000n, 4_000_000n]);

  const second = rows[1]!.principal + rows[1]!.interest;
  rows = scheduleRows(ledger(2, 400_000_000n, second - 400_000_000n));
  assert.deepEqual(rows.map((r) => r.state), ['paid', 'due', 'upcoming']);

  rows = scheduleRows(ledger(2, 800_000_000n, 1n));
  assert.deepEqual(rows.map((r) => r.state), ['due', 'due', 'upcoming']);

  rows = scheduleRows(ledger(2, 0n, 0n));
  assert.deepEqual(rows.map((r) => r.state), ['paid', 'paid', 'upcoming']);

  // one atom short of two installments unpaid: the earlier one is still partly unpaid
  const first = 412_000_000n;
  rows = scheduleRows(ledger(2, 0n, first + second - 1n));
  assert.deepEqual(rows.map((r) => r.state), ['due', 'due', 'upcoming']);
  rows = scheduleRows(ledger(2, 0n, second));
  assert.deepEqual(rows.map((r) => r.state), ['paid', 'due', 'upcoming']);
});

test('upcoming rows past their due time are flagged overdue (not charged: no crank yet)', () => {
  const g = ledger(1, 0n, 0n);
  assert.deepEqual(scheduleRows(g, 1_199n).map((r) => r.overdue), [false, false, false]);
  // installment 2 fell due at 1,200 (a crank at 1,200 charges it); 3 not before 1,300
  assert.deepEqual(scheduleRows(g, 1_200n).map((r) => [r.state, r.overdue]), [['paid', false], ['upcoming', true], ['upcoming', false]]);
  assert.deepEqual(scheduleRows(g, 5_000n).map((r) => r.overdue), [false, true, true]);
});

test('terms the schedule refuses give no rows; due times saturate at i64::MAX', () => {
  assert.deepEqual(scheduleRows({ ...ledger(0, 0n, 0n), schedule: 9 }), []);
  assert.deepEqual(scheduleRows({ ...ledger(0, 0n, 0n), periods: 0 }), []);
  assert.equal(dueTs({ startTs: (1n << 63n) - 10n, periodSecs: 100 }, 1), (1n << 63n) - 1n);
});

test('status names are the program\'s, in discriminant order', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map(loanStatusName), [
    'Offered', 'Current', 'MarginCall', 'Delinquent', 'Liquidatable', 'Defaulted', 'Repaid', 'Liquidated',
  ]);
  assert.equal(loanStatusName(8), 'Unknown(8)');
});

/** $2.50 ± $0.05 per credit (expo -2), fresh at t=5,000, 60 s staleness, 3% confidence cap. */
const feed = (over: Partial<FeedPrice> = {}): FeedPrice => ({
  class: CLASS, price: 250n, conf: 5n, expo: -2, publishTime: 5_000n, maxStalenessSecs: 60, maxConfidenceBps: 300, tripped: 0, ...over,
});

function inputs(over: Partial<LoanViewInputs> = {}): LoanViewInputs {
  const loan = zeroLoan();
  loan.class = CLASS;
  loan.ledger = { ...ledger(0, 0n, 0n), status: 1, maintenanceBps: 11_000, liquidationBps: 10_500, periodSecs: 3_600, startTs: 4_000n };
  return { address: OTHER, loan, class: { decimals: 6, quoteDecimals: 6 }, feed: feed(), vaultCredits: 528_000_000n, now: 5_030n, held: [], ...over };
}

test('coverage: vault credits at price − confidence over the stored debt, against both lines', () => {
  const v = loanViewFrom(inputs());
  assert.equal(v.status, 'Current');
  assert.equal(v.debt, 1_200_000_000n);
  assert.ok(v.coverage.known);
  // 528 credits at $2.45 = $1,293.60 over $1,200 = 107.8%: under maintenance 110%, over liquidation 105%
  assert.equal(v.coverage.value, 1_293_600_000n);
  assert.equal(v.coverage.bps, 10_780n);
  assert.deepEqual(v.coverage.maintenance, { bps: 11_000, covered: false });
  assert.deepEqual(v.coverage.liquidation, { bps: 10_500, covered: true });
  assert.equal(v.uncranked, false);
  assert.equal(v.collateralFrozen, false);
});

test('a stale, missing, foreign or tripped feed leaves coverage unknown with the program\'s reason', () => {
  const reason = (i: Partial<LoanViewInputs>) => {
    const c = loanViewFrom(inputs(i)).coverage;
    assert.equal(c.known, false);
    return c.known ? '' : c.reason.name;
  };
  assert.equal(reason({ now: 5_061n }), 'StalePrice');
  assert.equal(reason({ now: 4_999n }), 'StalePrice');
  assert.equal(reason({ feed: undefined }), 'WrongPriceFeed');
  assert.equal(reason({ feed: feed({ class: OTHER }) }), 'WrongPriceFeed');
  assert.equal(reason({ feed: feed({ tripped: 1 }) }), 'CircuitBreakerTripped');
  assert.equal(reason({ feed: feed({ price: 0n }) }), 'NoPrice');
  assert.equal(reason({ feed: feed({ conf: 8n }) }), 'ConfidenceTooWide');
  const c = loanViewFrom(inputs({ now: 5_061n })).coverage;
  assert.ok(!c.known && c.reason.message.startsWith('price is older than'));
  assert.deepEqual(c.maintenance, { bps: 11_000, covered: null });
});

test('held accounts, the lender freeze and overdue installments are reported', () => {
  const i = inputs({ now: 7_700n });
  i.loan.frozen = 1;
  const v = loanViewFrom({ ...i, held: [{ address: OTHER, exists: true, frozen: true, amount: 5n }] });
  assert.equal(v.collateralFrozen, true);
  assert.equal(v.lenderFreeze, true);
  // due at 7,600 and 11,200 (start 4,000 + k·3,600): the first is past due and uncharged
  assert.deepEqual(v.schedule.map((r) => r.overdue), [true, false, false]);
  assert.equal(v.uncranked, true);
  assert.equal(v.coverage.known, false); // the feed is stale by then
});
