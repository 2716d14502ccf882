// Events built with the generated encoders and Anchor's discriminators, logged as the
// program logs them; back-to-back market events split; foreign, truncated and non-base64
// fields skipped.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { address, none, some } from '@solana/kit';
import { getCreditsPurchasedEncoder, getFillV2Encoder, getOrderPlacedV2Encoder } from '../src/generated/index.ts';
import { COMPUTE_CREDITS_EVENTS, eventsFromLogs, eventsNamed, split } from '../src/events.ts';

const MARKET = address('9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin');
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const disc = (name: keyof typeof COMPUTE_CREDITS_EVENTS) => COMPUTE_CREDITS_EVENTS[name].discriminator;
const fill = (seq: bigint, takerSeat: number | null) =>
  cat(
    disc('FillV2'),
    new Uint8Array(getFillV2Encoder().encode({
      market: MARKET, seq, makerSeat: 1, makerSide: 0, makerSeq: 7n, takerSeat: takerSeat === null ? none() : some(takerSeat),
      price: 250n, lots: 3n, makerFee: 1n, takerFee: 2n,
    })),
  );
const placed = (seq: bigint) =>
  cat(
    disc('OrderPlacedV2'),
    new Uint8Array(getOrderPlacedV2Encoder().encode({ market: MARKET, seq, seat: 2, side: 1, orderSeq: 9n, price: 255n, lots: 4n, expiry: 0n })),
  );
const line = (b: Uint8Array) => `Program data: ${Buffer.from(b).toString('base64')}`;

test('every discriminator is Anchor\'s sha256("event:<Name>") and the IDL\'s', () => {
  const idl = JSON.parse(readFileSync(new URL('../../../idl/compute_credits.json', import.meta.url), 'utf8'));
  assert.equal(Object.keys(COMPUTE_CREDITS_EVENTS).length, idl.events.length);
  for (const e of idl.events) {
    const want = createHash('sha256').update(`event:${e.name}`).digest().subarray(0, 8);
    const got = COMPUTE_CREDITS_EVENTS[e.name as keyof typeof COMPUTE_CREDITS_EVENTS].discriminator;
    assert.deepEqual([...got], [...want], e.name);
  }
});

test('back-to-back market events split and decode in order', () => {
  const packed = cat(placed(1n), fill(2n, null), fill(3n, 5));
  assert.deepEqual(split(packed).map((b) => b.length), [placed(1n).length, fill(2n, null).length, fill(3n, 5).length]);
  const events = eventsFromLogs([line(packed)]);
  assert.deepEqual(events.map((e) => e.name), ['OrderPlacedV2', 'FillV2', 'FillV2']);
  const fills = eventsNamed([line(packed)], 'FillV2');
  assert.deepEqual(fills.map((f) => [f.seq, f.takerSeat]), [[2n, none()], [3n, some(5)]]);
  assert.equal(fills[0]!.market, MARKET);
});

test('a non-market event is the whole field', () => {
  const bought = cat(
    disc('CreditsPurchased'),
    new Uint8Array(getCreditsPurchasedEncoder().encode({ class: MARKET, buyer: MARKET, recipient: MARKET, credits: 5_000_000n, quotePaid: 12n, fee: 1n, mintedTotal: 9n })),
  );
  const [e] = eventsFromLogs([line(bought)]);
  assert.equal(e?.name, 'CreditsPurchased');
  assert.equal(e?.name === 'CreditsPurchased' && e.data.credits, 5_000_000n);
});

test('foreign, truncated and non-base64 data is skipped', () => {
  const good = fill(9n, 1);
  const logs = [
    'Program data: !!not base64!!',
    line(good.subarray(0, good.length - 3)),
    line(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9])),
    'Program log: Instruction: PlaceOrderV2',
    line(good),
  ];
  const events = eventsFromLogs(logs);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.name === 'FillV2' && events[0]!.data.seq, 9n);
});
