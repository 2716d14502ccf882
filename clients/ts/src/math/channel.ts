// A metering channel's rules as readers need them: an exact BigInt port of
// `credit_math::channel` (ChannelMeter::redeemable_until, headroom with its period roll,
// can_finalize, burn_per_hour) and of the CLI's `status` (app/src/commands/channel/show.rs).
// i64 / u64 semantics are kept where Rust saturates or refuses.
import type { ChannelMeterData } from '../generated/types/channelMeterData.ts';
import type { ChannelTermsData } from '../generated/types/channelTermsData.ts';

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

export type ChannelTermsLike = Pick<ChannelTermsData, 'cap' | 'periodCap' | 'periodSecs' | 'expiryTs' | 'noticeSecs'>;
export type ChannelMeterLike = Pick<
  ChannelMeterData,
  'redeemed' | 'periodRedeemed' | 'periodStart' | 'nextSeq' | 'closeRequestedAt' | 'released'
>;

/** Where a channel stands (the CLI's `channel show` status). */
export type ChannelStatus = 'open' | 'closing' | 'closed' | 'expired' | 'released';

const saturatingAddI64 = (a: bigint, b: bigint) => {
  const s = a + b;
  return s > I64_MAX ? I64_MAX : s < I64_MIN ? I64_MIN : s;
};
const saturatingSub = (a: bigint, b: bigint) => (a > b ? a - b : 0n);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** `ChannelMeter::redeemable_until`: nothing redeems from then on (i64::MIN once released). */
export function channelRedeemableUntil(meter: ChannelMeterLike, terms: ChannelTermsLike): bigint {
  if (meter.released !== 0) return I64_MIN;
  const noticeEnd = meter.closeRequestedAt === 0n ? I64_MAX : saturatingAddI64(meter.closeRequestedAt, BigInt(terms.noticeSecs));
  return min(terms.expiryTs, noticeEnd);
}

/** `ChannelMeter::can_finalize`: released, notice over, or expired. */
export const channelCanFinalize = (meter: ChannelMeterLike, terms: ChannelTermsLike, now: bigint) => now >= channelRedeemableUntil(meter, terms);

/** `roll_period`: the period window containing `now` (whole periods; windows aligned to the opening). */
export function channelPeriod(meter: ChannelMeterLike, terms: ChannelTermsLike, now: bigint): { periodStart: bigint; periodRedeemed: bigint } {
  const same = { periodStart: meter.periodStart, periodRedeemed: meter.periodRedeemed };
  if (terms.periodCap === 0n || terms.periodSecs === 0 || now < meter.periodStart) return same;
  const len = BigInt(terms.periodSecs);
  const elapsed = (now - meter.periodStart) / len;
  if (elapsed === 0n) return same;
  return { periodStart: saturatingAddI64(meter.periodStart, elapsed * len), periodRedeemed: 0n };
}

/**
 * `ChannelMeter::headroom`: what the provider may redeem at `now` with `vault` atoms in the
 * vault: the least of the cap's, the period's and the vault's room; zero once stopped.
 */
export function channelHeadroom(meter: ChannelMeterLike, terms: ChannelTermsLike, now: bigint, vault: bigint): bigint {
  if (now >= channelRedeemableUntil(meter, terms)) return 0n;
  const period = channelPeriod(meter, terms, now);
  let room = min(saturatingSub(terms.cap, meter.redeemed), vault);
  if (terms.periodCap !== 0n) room = min(room, saturatingSub(terms.periodCap, period.periodRedeemed));
  return room;
}

/**
 * `ChannelMeter::burn_per_hour`: atoms redeemed per hour since opening, rounded down; null
 * before any time has passed (or when the rate does not fit in u64 atoms).
 */
export function burnPerHour(redeemed: bigint, openedAt: bigint, now: bigint): bigint | null {
  const elapsed = now - openedAt;
  if (elapsed <= 0n || elapsed > I64_MAX) return null;
  const rate = (redeemed * 3_600n) / elapsed;
  return rate > U64_MAX ? null : rate;
}

/** The CLI's `status`: released; stopped (closed after a close request before expiry, else expired); closing; open. */
export function channelStatus(meter: ChannelMeterLike, terms: ChannelTermsLike, now: bigint): ChannelStatus {
  if (meter.released !== 0) return 'released';
  if (channelCanFinalize(meter, terms, now)) return meter.closeRequestedAt !== 0n && now < terms.expiryTs ? 'closed' : 'expired';
  return meter.closeRequestedAt !== 0n ? 'closing' : 'open';
}

/** A usage reference as text (printable ASCII then zeros) or 0x and hex: the CLI's `usage_text`. */
export function usageText(reference: Uint8Array | readonly number[]): string {
  const bytes = Array.from(reference);
  const zero = bytes.indexOf(0);
  const len = zero < 0 ? bytes.length : zero;
  const text = bytes.slice(0, len);
  const printable = (b: number) => (b > 0x20 && b < 0x7f) || b === 0x20;
  if (len > 0 && bytes.slice(len).every((b) => b === 0) && text.every(printable)) return String.fromCharCode(...text);
  return `0x${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
