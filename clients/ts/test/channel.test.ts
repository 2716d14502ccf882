// The channel rules' port against the vectors of crates/credit-math/src/channel_tests.rs and
// app/src/commands/channel/show.rs, the holder offset the reads filter on against the generated
// encoder, and a channel's view.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { address, getAddressDecoder } from '@solana/kit';
import { getMeteringChannelEncoder, type MeteringChannel } from '../src/generated/accounts/meteringChannel.ts';
import {
  burnPerHour,
  CHANNEL_HOLDER_OFFSET,
  CHANNEL_PROVIDER_AUTHORITY_OFFSET,
  channelCanFinalize,
  channelHeadroom,
  channelRedeemableUntil,
  channelStatus,
  channelView,
  usageText,
  type ChannelMeterLike,
  type ChannelTermsLike,
} from '../src/channel.ts';

const T0 = 1_000_000n;
const HOUR = 3_600;
const I64_MIN = -(1n << 63n);
const U64_MAX = (1n << 64n) - 1n;

/** 1,000 atoms over the life, 100 an hour, a day long, an hour's notice (the Rust tests' terms). */
const terms: ChannelTermsLike = { cap: 1_000n, periodCap: 100n, periodSecs: HOUR, expiryTs: T0 + 24n * 3_600n, noticeSecs: HOUR };
const opened = (over: Partial<ChannelMeterLike> = {}): ChannelMeterLike => ({
  redeemed: 0n,
  periodRedeemed: 0n,
  periodStart: T0,
  nextSeq: 0n,
  closeRequestedAt: 0n,
  released: 0,
  ...over,
});

test('burn per hour: redeemed * 3600 / elapsed, floor; none over no time or past u64', () => {
  const rate = (atoms: bigint, secs: bigint) => burnPerHour(atoms, T0, T0 + secs);
  assert.equal(rate(3_000_000n, 3_600n), 3_000_000n);
  assert.equal(rate(3_000_000n, 1_800n), 6_000_000n);
  assert.equal(rate(8_250_000n, 3_000n), 9_900_000n);
  assert.equal(rate(1n, 7_200n), 0n);
  assert.equal(rate(7n, 3n), 8_400n);
  assert.equal(rate(0n, 10n), 0n);
  assert.equal(rate(5n, 0n), null);
  assert.equal(rate(5n, -1n), null);
  assert.equal(burnPerHour(5n, I64_MIN, (1n << 63n) - 1n), null);
  assert.equal(rate(U64_MAX, 1n), null);
  assert.equal(rate(U64_MAX, 3_600n), U64_MAX);
});

test('burn per hour is the floor for any amount and time', () => {
  let seed = 7n;
  const next = (bound: bigint) => (seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 64n)) % bound;
  for (let i = 0; i < 2_000; i++) {
    const redeemed = next(U64_MAX / 3_600n);
    const secs = next(100_000_000n) + 1n;
    const r = burnPerHour(redeemed, T0, T0 + secs)!;
    assert.ok(r * secs <= redeemed * 3_600n && (r + 1n) * secs > redeemed * 3_600n, `${redeemed} over ${secs}`);
  }
});

test('headroom: the least of cap, period and vault; the period rolls in whole windows', () => {
  assert.equal(channelHeadroom(opened(), terms, T0, 500n), 100n);
  assert.equal(channelHeadroom(opened(), terms, T0, 40n), 40n);
  const spent = opened({ redeemed: 100n, periodRedeemed: 100n });
  assert.equal(channelHeadroom(spent, terms, T0 + 10n, 400n), 0n);
  // the next hour's window opens a fresh allowance; a partial hour does not
  assert.equal(channelHeadroom(spent, terms, T0 + 3_599n, 400n), 0n);
  assert.equal(channelHeadroom(spent, terms, T0 + 3_600n, 400n), 100n);
  assert.equal(channelHeadroom(spent, terms, T0 + 5n * 3_600n + 7n, 400n), 100n);
  // the lifetime cap binds across periods
  assert.equal(channelHeadroom(opened({ redeemed: 950n, periodRedeemed: 10n }), terms, T0 + 1n, 500n), 50n);
  const noPeriod = { ...terms, periodCap: 0n, periodSecs: 0 };
  assert.equal(channelHeadroom(opened({ redeemed: 400n, periodRedeemed: 400n }), noPeriod, T0, 2_000n), 600n);
  // a clock before the window leaves it as it is
  assert.equal(channelHeadroom(opened({ periodStart: T0 + 100n, periodRedeemed: 60n }), terms, T0 + 50n, 500n), 40n);
  // nothing once stopped: expiry, notice over, released
  assert.equal(channelHeadroom(opened(), terms, terms.expiryTs, 500n), 0n);
  assert.equal(channelHeadroom(opened({ released: 1 }), terms, T0 + 1n, 500n), 0n);
  const asked = opened({ closeRequestedAt: T0 + 100n });
  assert.equal(channelHeadroom(asked, terms, T0 + 100n + 3_599n, 500n), 100n);
  assert.equal(channelHeadroom(asked, terms, T0 + 100n + 3_600n, 500n), 0n);
});

test('redeemable until, finalizable and the status names of the CLI', () => {
  assert.equal(channelRedeemableUntil(opened(), terms), terms.expiryTs);
  assert.equal(channelRedeemableUntil(opened({ released: 1 }), terms), I64_MIN);
  const asked = opened({ closeRequestedAt: T0 + 100n });
  assert.equal(channelRedeemableUntil(asked, terms), T0 + 100n + 3_600n);
  assert.equal(channelRedeemableUntil(opened({ closeRequestedAt: terms.expiryTs - 10n }), terms), terms.expiryTs);
  assert.equal(channelRedeemableUntil(opened({ closeRequestedAt: (1n << 63n) - 2n }), { ...terms, expiryTs: (1n << 63n) - 1n }), (1n << 63n) - 1n);
  assert.equal(channelCanFinalize(opened(), terms, terms.expiryTs - 1n), false);
  assert.equal(channelCanFinalize(opened(), terms, terms.expiryTs), true);

  assert.equal(channelStatus(opened(), terms, T0 + 1n), 'open');
  assert.equal(channelStatus(asked, terms, T0 + 200n), 'closing');
  assert.equal(channelStatus(asked, terms, T0 + 100n + 3_600n), 'closed');
  assert.equal(channelStatus(opened(), terms, terms.expiryTs), 'expired');
  // asked to close, but the expiry came first: expired
  assert.equal(channelStatus(opened({ closeRequestedAt: terms.expiryTs - 10n }), terms, terms.expiryTs), 'expired');
  assert.equal(channelStatus(opened({ released: 1 }), terms, T0 + 1n), 'released');
  assert.equal(channelStatus({ ...asked, released: 1 }, terms, T0 + 1n), 'released');
});

test('usage references read back as text or hex (show.rs vectors)', () => {
  const r = new Uint8Array(32);
  r.set(new TextEncoder().encode('batch1'));
  assert.equal(usageText(r), 'batch1');
  r[31] = 0xc7;
  assert.equal(usageText(r), `0x${'626174636831'}${'00'.repeat(25)}c7`);
  assert.equal(usageText(new Uint8Array(32).fill(0xab)), `0x${'ab'.repeat(32)}`);
  assert.ok(usageText(new Uint8Array(32)).startsWith('0x00'));
  const spaced = new Uint8Array(32);
  spaced.set(new TextEncoder().encode('job 7'));
  assert.equal(usageText(spaced), 'job 7');
  const tab = new Uint8Array(32);
  tab.set([0x61, 0x09, 0x62]);
  assert.ok(usageText(tab).startsWith('0x610962'));
});

const keyAt = (n: number) => getAddressDecoder().decode(new Uint8Array(32).fill(n));
const sample = (over: Partial<MeteringChannel> = {}): MeteringChannel => ({
  discriminator: new Uint8Array(8),
  holder: keyAt(1),
  provider: keyAt(2),
  providerAuthority: keyAt(3),
  class: keyAt(4),
  vault: keyAt(5),
  terms: { cap: 30_000_000n, periodCap: 10_000_000n, expiryTs: T0 + 30n * 86_400n, periodSecs: HOUR, noticeSecs: HOUR },
  meter: { ...opened({ redeemed: 6_500_000n, periodRedeemed: 6_500_000n, nextSeq: 2n }), padding: new Uint8Array(7) },
  deposited: 30_000_000n,
  openedAt: T0,
  bump: 255,
  vaultBump: 254,
  holdsBump: 253,
  padding: new Uint8Array(5),
  ...over,
});

test('the reads filter on the holder and provider keys where the generated encoder puts them', () => {
  const bytes = getMeteringChannelEncoder().encode(sample());
  assert.deepEqual([...bytes.subarray(CHANNEL_HOLDER_OFFSET, CHANNEL_HOLDER_OFFSET + 32)], Array(32).fill(1));
  assert.deepEqual([...bytes.subarray(CHANNEL_PROVIDER_AUTHORITY_OFFSET, CHANNEL_PROVIDER_AUTHORITY_OFFSET + 32)], Array(32).fill(3));
});

test('a channel view: status, amounts, cap used, headroom after the period rolled, burn rate', () => {
  const at = (now: bigint, over?: Partial<MeteringChannel>) =>
    channelView({ address: address('11111111111111111111111111111111'), state: sample(over) }, 23_500_000n, now);
  const v = at(T0 + 1_800n);
  assert.equal(v.status, 'open');
  assert.equal(v.vaultBalance, 23_500_000n);
  assert.equal(v.capUsedBps, 2_166n);
  assert.equal(v.headroom, 3_500_000n);
  assert.equal(v.periodRedeemed, 6_500_000n);
  assert.equal(v.burnPerHour, 13_000_000n);
  assert.equal(v.nextSeq, 2n);
  assert.equal(v.redeemableUntil, T0 + 30n * 86_400n);
  assert.equal(v.closeRequestedAt, null);
  assert.equal(v.finalizable, false);
  // two hours later: a fresh period (10 credits of room), half the rate
  const later = at(T0 + 3_600n);
  assert.equal(later.headroom, 10_000_000n);
  assert.equal(later.periodRedeemed, 0n);
  assert.equal(later.burnPerHour, 6_500_000n);
  const closing = at(T0 + 100n, { meter: { ...sample().meter, closeRequestedAt: T0 + 50n } });
  assert.equal(closing.status, 'closing');
  assert.equal(closing.closeRequestedAt, T0 + 50n);
  assert.equal(closing.redeemableUntil, T0 + 50n + 3_600n);
  const released = at(T0 + 100n, { meter: { ...sample().meter, released: 1 } });
  assert.deepEqual([released.status, released.redeemableUntil, released.headroom, released.finalizable], ['released', null, 0n, true]);
  assert.equal(at(T0).burnPerHour, null);
});
