// A market account built byte by byte per the program's layout (market_v2.rs, credit_math
// market/state.rs), then decoded: header, both sides (stored worst first), seats, a partial
// trailing seat ignored; the ladder and depth in quote units per credit.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { address, getAddressEncoder, type Address } from '@solana/kit';
import { getMarketV2Encoder } from '../src/generated/index.ts';
import { decodeMarket, depth, ladder, ordersOf, seatOf, V2_SEATS_OFFSET } from '../src/market.ts';

const K = (s: string) => address(s);
const TRADER_A = K('9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin');
const TRADER_B = K('SysvarC1ock11111111111111111111111111111111');
const ZERO = K('11111111111111111111111111111111');

type RawOrder = [price: number, lots: number, seq: number, seat: number];

function side(worstFirst: RawOrder[]): Uint8Array {
  const b = new Uint8Array(10_248);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, BigInt(worstFirst.length), true);
  worstFirst.forEach(([price, lots, seq, seat], i) => {
    const o = 8 + 40 * i;
    v.setBigUint64(o, BigInt(price), true);
    v.setBigUint64(o + 8, BigInt(lots), true);
    v.setBigUint64(o + 16, BigInt(seq), true);
    v.setBigInt64(o + 24, 0n, true);
    v.setUint32(o + 32, seat, true);
  });
  return b;
}

function engine(): Uint8Array {
  const b = new Uint8Array(80);
  const v = new DataView(b.buffer);
  // lot 0.1 credit (credits have 6 decimals), tick 1_000 quote atoms per lot
  [100_000n, 1_000n, 5_000_000n, 9n, 30n, 77n, 1_200_000n, 3_000_000n].forEach((x, i) => v.setBigUint64(8 * i, x, true));
  v.setUint32(64, 2, true);
  v.setUint32(68, 64, true);
  v.setUint16(72, 10, true);
  v.setUint16(74, 25, true);
  return b;
}

function seat(owner: Address, baseFree: bigint, quoteFree: bigint, orders: number, frozen: boolean): Uint8Array {
  const b = new Uint8Array(72);
  const v = new DataView(b.buffer);
  b.set(getAddressEncoder().encode(owner), 0);
  v.setBigUint64(32, baseFree, true);
  v.setBigUint64(40, 7n, true);
  v.setBigUint64(48, quoteFree, true);
  v.setBigUint64(56, 8n, true);
  v.setUint32(64, orders, true);
  b[68] = frozen ? 1 : 0;
  return b;
}

function account(): Uint8Array {
  const fixed = getMarketV2Encoder().encode({
    class: TRADER_B, creditMint: ZERO, quoteMint: ZERO, creditTokenProgram: ZERO, quoteTokenProgram: ZERO,
    baseVault: ZERO, quoteVault: ZERO, marketAuthority: ZERO,
    paused: 0, authorityBump: 255, creditDecimals: 6, quoteDecimals: 6, padding: new Uint8Array(4),
    engine: engine(),
    // bids worst (lowest) first, asks worst (highest) first
    bids: side([[240, 5, 3, 1], [245, 2, 1, 0], [245, 3, 4, 1]]),
    asks: side([[260, 1, 8, 0], [255, 4, 2, 1], [255, 6, 5, 0]]),
  });
  assert.equal(fixed.length, V2_SEATS_OFFSET);
  const seats = [seat(TRADER_A, 1_500_000n, 2_000_000n, 3, false), seat(TRADER_B, 0n, 42n, 3, true)];
  // half a seat of trailing bytes: not a seat
  return Uint8Array.from([...fixed, ...seats[0], ...seats[1], ...new Uint8Array(36)]);
}

test('decodes the header, the books best first and every whole seat', () => {
  const m = decodeMarket(account());
  assert.equal(m.header.lotSize, 100_000n);
  assert.equal(m.header.tickSize, 1_000n);
  assert.equal(m.header.minOrderNotional, 5_000_000n);
  assert.equal(m.header.treasuryFees, 77n);
  assert.deepEqual([m.header.seatCount, m.header.maxOrdersPerSeat, m.header.makerFeeBps, m.header.takerFeeBps], [2, 64, 10, 25]);
  assert.deepEqual(m.bids.map((o) => [o.price, o.seq]), [[245n, 4n], [245n, 1n], [240n, 3n]]);
  assert.deepEqual(m.asks.map((o) => [o.price, o.seq]), [[255n, 5n], [255n, 2n], [260n, 8n]]);
  assert.equal(m.seats.length, 2);
  assert.equal(m.seats[1]!.owner, TRADER_B);
  assert.equal(m.seats[1]!.frozen, true);
  assert.equal(m.seats[0]!.frozen, false);
  assert.equal(m.seats[0]!.baseFree, 1_500_000n);
  assert.equal(m.fixed.class, TRADER_B);
});

test('seats and orders of a trader', () => {
  const m = decodeMarket(account());
  assert.equal(seatOf(m, TRADER_A)?.index, 0);
  assert.equal(seatOf(m, TRADER_B)?.index, 1);
  assert.equal(seatOf(m, ZERO), undefined);
  assert.deepEqual(ordersOf(m, 0).map((o) => `${o.side}#${o.seq}`), ['bid#1', 'ask#5', 'ask#8']);
});

test('ladder levels aggregate by price, in quote units per credit and credits', () => {
  const { bids, asks } = ladder(decodeMarket(account()));
  // 245 ticks x 1_000 atoms per lot of 0.1 credit = 2_450_000 atoms = 2.45 per credit
  assert.deepEqual(bids.map((l) => [l.ticks, l.lots, l.orders, l.price, l.size]), [
    [245n, 5n, 2, '2.45', '0.5'],
    [240n, 5n, 1, '2.4', '0.5'],
  ]);
  assert.deepEqual(asks.map((l) => [l.price, l.size, l.orders]), [['2.55', '1', 2], ['2.6', '0.1', 1]]);
  const d = depth(decodeMarket(account()));
  assert.deepEqual(d.bids.map((p) => [p.price, p.cumulative]), [['2.45', '0.5'], ['2.4', '1']]);
  assert.deepEqual(d.asks.map((p) => [p.price, p.cumulativeLots]), [['2.55', 10n], ['2.6', 11n]]);
});

test('refuses other accounts and short data', () => {
  const bytes = account();
  assert.throws(() => decodeMarket(bytes.subarray(0, V2_SEATS_OFFSET - 1)), /too short/);
  const other = bytes.slice();
  other[0] ^= 1;
  assert.throws(() => decodeMarket(other), /not a market/);
});
