// Every class, holding, loan and market of the seeded world read by this client and compared
// with what the CLI (APP_BIN, credit-client's reads) says of the same chain: class metadata and
// supply, each role's credit accounts (balance, frozen, by whom), loans and their stored status
// (the seeded defaulted loan is Defaulted, the other Current), the market's book and seats.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { address } from '@solana/kit';
import { fetchClasses, fetchHoldings, fetchLoans, fetchMarket, fetchMarkets, holdSources } from '../../src/read.ts';
import { loanStatusName } from '../../src/loan.ts';
import { ladder, ordersOf, seatOf } from '../../src/market.ts';
import { app, rpc, ROLES, wallet, world } from './world.ts';

test('classes: metadata, decimals, supply, prices and mints as the CLI shows them', async () => {
  const mine = await fetchClasses(rpc);
  const listed = app<{ classes: { address: string }[] }>('class', 'list').classes;
  assert.deepEqual(mine.map((c) => c.address).sort(), listed.map((c) => c.address).sort());
  assert.ok(mine.some((c) => c.address === world.class && c.creditMint === world.creditMint && c.quoteMint === world.quoteMint));
  for (const c of mine) {
    const cli = app('class', 'show', c.address);
    assert.equal(c.classId, cli.classId);
    assert.equal(c.name, cli.metadata.name);
    assert.equal(c.symbol, cli.metadata.symbol);
    assert.equal(c.uri, cli.metadata.uri);
    assert.equal(c.unit, cli.unit);
    assert.equal(c.decimals, cli.decimals);
    assert.equal(c.quoteDecimals, cli.quoteDecimals);
    assert.equal(c.supply, BigInt(cli.supply));
    assert.equal(c.state.burned, BigInt(cli.burned));
    assert.equal(c.paused, cli.paused);
    assert.equal(c.listPrice, BigInt(cli.listPrice));
    assert.equal(c.creditMint, cli.mint);
    assert.equal(c.quoteMint, cli.quoteMint);
  }
});

type CliWallet = {
  credits: { account: string; amount: number; class: string; frozen: boolean; heldBy: unknown }[];
  loansAsBorrower: { address: string; status: string; principalOutstanding: number }[];
  loansAsLender: { address: string; status: string; principalOutstanding: number }[];
  seats: { market: string; seat: number; baseFree: number; baseLocked: number; quoteFree: number; quoteLocked: number; orders: number }[];
};

test('holdings of every role: accounts, balances, frozen flags and holds', async () => {
  let accounts = 0;
  for (const role of ROLES) {
    const owner = wallet(role);
    const [mine, cli] = [await fetchHoldings(rpc, owner), app<CliWallet>('wallet', owner)];
    const flat = mine.flatMap((h) => h.accounts.map((a) => ({ account: a.address, class: h.class.address, amount: a.amount, frozen: a.frozen, holds: holdSources(a.holds) })));
    const expected = cli.credits.map((c) => ({ account: c.account, class: c.class, amount: BigInt(c.amount), frozen: c.frozen }));
    assert.deepEqual(
      flat.map(({ holds: _, ...a }) => a).sort((x, y) => x.account.localeCompare(y.account)),
      expected.sort((x, y) => x.account.localeCompare(y.account)),
      `${role}'s credit accounts`,
    );
    // a hold source is named exactly when the account is frozen
    for (const a of flat) assert.equal(a.holds.length > 0, a.frozen, `${role} ${a.account}: holds ${a.holds}`);
    for (const h of mine) assert.equal(h.balance, h.accounts.reduce((s, a) => s + a.amount, 0n));
    accounts += flat.length;
  }
  assert.ok(accounts >= 4, 'the seeded roles hold credits');
  const holder = await fetchHoldings(rpc, wallet('holder'));
  assert.ok(holder.find((h) => h.class.address === world.class)!.balance > 0n, 'the holder holds credits of the class');
});

test('loans by borrower and by lender, with their stored status', async () => {
  for (const role of ['borrower', 'lender'] as const) {
    const by = role === 'borrower' ? { borrower: wallet(role) } : { lender: wallet(role) };
    const mine = await fetchLoans(rpc, by);
    const cli = app<CliWallet>('wallet', wallet(role));
    const theirs = role === 'borrower' ? cli.loansAsBorrower : cli.loansAsLender;
    assert.deepEqual(
      mine.map((l) => [l.address, loanStatusName(l.state.ledger.status), l.state.ledger.principalOutstanding]).sort(),
      theirs.map((l) => [l.address, l.status, BigInt(l.principalOutstanding)]).sort(),
    );
  }
  const all = await fetchLoans(rpc);
  const status = (a: string) => loanStatusName(all.find((l) => l.address === a)!.state.ledger.status);
  assert.equal(status(world.loans.defaulted), 'Defaulted');
  assert.equal(status(world.loans.current), 'Current');
});

type CliLevel = { ticks: number; lots: number; orders: number; price: string; credits: string };

test('markets: header, ladder and seats as the CLI reads them', async () => {
  const markets = await fetchMarkets(rpc);
  assert.ok(markets.some((m) => m.address === world.market));
  for (const { address: m, market } of markets) {
    const cli = app('market', 'show', m);
    const h = market.header;
    const big = ['lotSize', 'tickSize', 'minOrderNotional', 'baseTotal', 'quoteTotal', 'treasuryFees'] as const;
    const small = ['seatCount', 'makerFeeBps', 'takerFeeBps', 'maxOrdersPerSeat'] as const;
    for (const k of big) assert.equal(h[k], BigInt(cli[k]), k);
    for (const k of small) assert.equal(h[k], cli[k], k);
    const l = ladder(market);
    const levels = (xs: typeof l.bids) => xs.map((x) => ({ ticks: Number(x.ticks), lots: Number(x.lots), orders: x.orders, price: x.price, credits: x.size }));
    assert.deepEqual(levels(l.bids), (cli.bids as CliLevel[]).map(({ ticks, lots, orders, price, credits }) => ({ ticks, lots, orders, price, credits })));
    assert.deepEqual(levels(l.asks), (cli.asks as CliLevel[]).map(({ ticks, lots, orders, price, credits }) => ({ ticks, lots, orders, price, credits })));
  }
  const market = await fetchMarket(rpc, address(world.market));
  assert.ok(ladder(market).bids.length > 0 && ladder(market).asks.length > 0, 'the maker rests bids and asks');
  for (const role of ['maker', 'trader'] as const) {
    const seat = seatOf(market, wallet(role));
    const cli = app<CliWallet>('wallet', wallet(role)).seats.find((s) => s.market === world.market);
    assert.ok(seat && cli, `${role} has a seat`);
    assert.deepEqual(
      [seat.index, seat.baseFree, seat.baseLocked, seat.quoteFree, seat.quoteLocked, ordersOf(market, seat.index).length],
      [cli.seat, BigInt(cli.baseFree), BigInt(cli.baseLocked), BigInt(cli.quoteFree), BigInt(cli.quoteLocked), cli.orders],
    );
  }
});
