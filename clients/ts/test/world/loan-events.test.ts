// loanView against `app loan show --output json` for both seeded loans, and the events read from
// recent transactions: the market's fills against `app market trades`, redemptions against the
// class's burned total.
//
// `loan show` accrues the ledger to now (what a crank would charge); loanView shows the stored
// ledger and flags an uncharged past-due installment `overdue`. So a row may differ only where
// loanView says overdue, and debt and coverage agree whenever nothing is overdue. Time moves
// between the reads: the CLI must agree with the view read just before it or just after it.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { address } from '@solana/kit';
import { loanView, type LoanView } from '../../src/loan.ts';
import { fetchClasses, marketTrades, redemptions } from '../../src/read.ts';
import { app, rpc, world } from './world.ts';

type Q = { atoms: number };
type CliLoan = {
  status: string;
  statusNow: string | null;
  crankRefusal: string | null;
  now: number;
  debtNow: Q;
  vaultCredits: Q;
  saleCredits: Q;
  collateralValue: Q | null;
  coverageBps: number | null;
  maintenanceBps: number;
  liquidationBps: number;
  aprBps: number;
  periods: number;
  periodSecs: number;
  startTs: number;
  principal: Q;
  kind: string;
  frozen: boolean;
  held: string[];
  schedule: { k: number; dueTs: number; principal: Q; interest: Q; state: string }[];
};

/** Where the time-dependent parts of a view and the CLI's report disagree (empty: they agree). */
function timeDependentMismatch(v: LoanView, cli: CliLoan): string[] {
  const out: string[] = [];
  v.schedule.forEach((row, i) => {
    const theirs = cli.schedule[i]!.state;
    if (row.overdue ? theirs === 'upcoming' : theirs !== row.state) out.push(`row ${row.k}: ${row.state}${row.overdue ? ' (overdue)' : ''} vs ${theirs}`);
  });
  if (v.coverage.known !== (cli.collateralValue !== null)) out.push(`coverage known ${v.coverage.known} vs value ${JSON.stringify(cli.collateralValue)}`);
  if (v.coverage.known && cli.collateralValue && v.coverage.value !== BigInt(cli.collateralValue.atoms)) out.push('collateral value');
  if (!v.coverage.known && !(cli.crankRefusal ?? '').startsWith(v.coverage.reason.name)) out.push(`refusal ${v.coverage.reason.name} vs ${cli.crankRefusal}`);
  if (!v.uncranked) {
    if (v.debt !== BigInt(cli.debtNow.atoms)) out.push(`debt ${v.debt} vs ${cli.debtNow.atoms}`);
    const bps = v.coverage.known ? v.coverage.bps : null;
    if ((bps === null ? null : Number(bps)) !== cli.coverageBps) out.push(`coverage ${bps} vs ${cli.coverageBps}`);
  }
  return out;
}

for (const which of ['defaulted', 'current'] as const) {
  test(`loanView of the ${which} loan agrees with app loan show`, async () => {
    const loan = address(world.loans[which]);
    const before = await loanView(rpc, loan);
    const cli = app<CliLoan>('loan', 'show', loan);
    const after = await loanView(rpc, loan);

    assert.equal(before.status, which === 'defaulted' ? 'Defaulted' : 'Current');
    assert.equal(before.status, cli.status);
    const g = before.ledger;
    assert.deepEqual(
      [g.principal, g.aprBps, g.periods, g.periodSecs, g.startTs, g.maintenanceBps, g.liquidationBps, before.kind],
      [BigInt(cli.principal.atoms), cli.aprBps, cli.periods, cli.periodSecs, BigInt(cli.startTs), cli.maintenanceBps, cli.liquidationBps, cli.kind],
    );
    assert.equal(before.vaultCredits, BigInt(cli.vaultCredits.atoms));
    assert.equal(before.saleCredits, BigInt(cli.saleCredits.atoms));
    assert.equal(before.lenderFreeze, cli.frozen);
    assert.deepEqual(before.held.map((h) => h.address), cli.held);
    assert.equal(before.collateralFrozen, before.held.some((h) => h.frozen));
    assert.ok(before.vaultCredits > 0n, 'a financed loan holds its credits in the vault');

    // the schedule as originated: terms and due times are not time-dependent
    assert.equal(before.schedule.length, cli.schedule.length);
    assert.ok(before.schedule.length > 0);
    before.schedule.forEach((row, i) => {
      const r = cli.schedule[i]!;
      assert.deepEqual([row.k, row.dueTs, row.principal, row.interest], [r.k, BigInt(r.dueTs), BigInt(r.principal.atoms), BigInt(r.interest.atoms)]);
    });
    if (which === 'defaulted') assert.ok(before.schedule.some((r) => r.state === 'due'), 'the defaulted loan has an installment due');

    const mismatches = [before, after].map((v) => timeDependentMismatch(v, cli));
    assert.ok(mismatches.some((m) => m.length === 0), `at ${before.now}/${cli.now}/${after.now}: ${JSON.stringify(mismatches)}`);
  });
}

test('the trade tape: the seeded fills, as app market trades decodes them', async () => {
  const mine = await marketTrades(rpc, address(world.market), 100);
  const cli = app<{ fills: { signature: string; seq: number; ticks: number; lots: number; makerSeat: number; makerSeq: number; takerSeat: number; makerFee: number; takerFee: number }[] }>(
    'market', 'trades', world.market,
  ).fills;
  assert.ok(mine.length >= 1, 'the world has at least one trade');
  assert.deepEqual(
    mine.map((t) => ({
      signature: t.signature, seq: t.fill.seq, ticks: t.fill.price, lots: t.fill.lots, makerSeat: t.fill.makerSeat, makerSeq: t.fill.makerSeq,
      takerSeat: t.fill.takerSeat.__option === 'Some' ? t.fill.takerSeat.value : null, makerFee: t.fill.makerFee, takerFee: t.fill.takerFee,
    })),
    cli.map((f) => ({ ...f, seq: BigInt(f.seq), ticks: BigInt(f.ticks), lots: BigInt(f.lots), makerSeq: BigInt(f.makerSeq), makerFee: BigInt(f.makerFee), takerFee: BigInt(f.takerFee) }))
      .map(({ signature, seq, ticks, lots, makerSeat, makerSeq, takerSeat, makerFee, takerFee }) => ({ signature, seq, ticks, lots, makerSeat, makerSeq, takerSeat, makerFee, takerFee })),
  );
});

test('redemptions: the seeded ones, adding up to what the class has burned', async () => {
  const cls = (await fetchClasses(rpc)).find((c) => c.address === world.class)!;
  const mine = await redemptions(rpc, address(world.class), 1_000);
  assert.ok(mine.length >= 2, 'the world has a few redemptions');
  assert.ok(mine.every((r) => r.redeemed.class === world.class && r.redeemed.amount > 0n));
  assert.equal(mine.reduce((s, r) => s + r.redeemed.amount, 0n), cls.state.burned);
  // newest first: each event's running total is the class's burned total at that time
  assert.equal(mine[0]!.redeemed.burnedTotal, cls.state.burned);
  const byHolder = await redemptions(rpc, mine[0]!.redeemed.holder, 1_000);
  assert.ok(byHolder.some((r) => r.signature === mine[0]!.signature));
});
