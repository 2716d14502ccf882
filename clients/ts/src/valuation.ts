// The program's one valuation of collateral, ported exactly (BigInt, same guards and rounding):
// the feed checks of `oracle::check_aggregate`, the price band's low side, `credit_math::price::
// value_floor` as `loans::value_at` calls it, and `credit_math::coverage` (ratio floored, threshold
// comparisons exact). A refusal carries the program error's name and message, as the CLI shows it.
import type { Address } from '@solana/kit';
import type { PriceFeed } from './generated/accounts/priceFeed.ts';
import { COMPUTE_CREDITS_ERROR_TABLE } from './generated/errorTable.ts';
import { BPS_ONE, MathError, narrow, pow10, U128_MAX, U64_MAX } from './math/fixed.ts';

/** Exponents a feed may use (`credit_math::price::{MIN_EXPO, MAX_EXPO}`). */
export const MIN_EXPO = -18;
export const MAX_EXPO = 10;
/** `pow10_u128` holds 10^0..=10^38; a larger power is an overflow. */
const MAX_POW10_U128 = 38;

/** `mantissa * 10^expo` whole quote units per whole credit, ± `conf` (same exponent). */
export type PriceBand = { mantissa: bigint; conf: bigint; expo: number };
export type Price = { mantissa: bigint; expo: number };

/** A program error by name and message (`StalePrice: price is older than ...`). */
export type Refusal = { name: string; message: string };

/** The program error `name` with its message from the IDL's table. */
export function programRefusal(name: string, detail?: string): Refusal {
  const entry = Object.values(COMPUTE_CREDITS_ERROR_TABLE).find(([n]) => n === name);
  const message = entry?.[1] ?? name;
  return { name, message: detail ? `${message} (${detail})` : message };
}

/** The program's name for a domain refusal (`From<MathError> for CreditsError`). */
const MATH_TO_PROGRAM = { Overflow: 'MathOverflow', DivideByZero: 'DivideByZero', InvalidPrice: 'InvalidPrice', OutOfRange: 'OutOfRange' };

function checkPrice(p: Price): void {
  if (p.mantissa <= 0n || p.mantissa > U64_MAX || p.expo < MIN_EXPO || p.expo > MAX_EXPO) throw new MathError('InvalidPrice');
}

/** Price minus confidence: the side collateral is valued at (`PriceBand::low`). */
export const bandLow = (b: PriceBand): Price => ({ mantissa: b.mantissa - b.conf, expo: b.expo });

/** `PriceBand::new`: a valid price and `conf < mantissa`. */
export function priceBand(mantissa: bigint, conf: bigint, expo: number): PriceBand {
  checkPrice({ mantissa, expo });
  if (conf >= mantissa) throw new MathError('InvalidPrice');
  return { mantissa, conf, expo };
}

/**
 * Quote value of `credits` atoms at `price`, rounded down (`value_floor`): the numerator
 * `credits * mantissa` shifted by `expo + quote decimals - credit decimals`; a power of ten past
 * u128 overflows when multiplying and means "below one atom" when dividing.
 */
export function valueFloor(credits: bigint, price: Price, creditDecimals: number, quoteDecimals: number): bigint {
  checkPrice(price);
  const n = credits * price.mantissa;
  const shift = price.expo + quoteDecimals - creditDecimals;
  if (shift >= 0) {
    if (shift > MAX_POW10_U128) throw new MathError('Overflow');
    const v = n * pow10(shift);
    if (v > U128_MAX) throw new MathError('Overflow');
    return narrow(v);
  }
  if (-shift > MAX_POW10_U128) return 0n;
  return narrow(n / pow10(-shift));
}

/** `ceil(conf * 10_000 / price)`, saturating at u64::MAX; u64::MAX when `price` is zero. */
export function confidenceBpsCeil(price: bigint, conf: bigint): bigint {
  if (price === 0n) return U64_MAX;
  const n = conf * BPS_ONE;
  const q = n / price + (n % price === 0n ? 0n : 1n);
  return q > U64_MAX ? U64_MAX : q;
}

/** What `check_aggregate` reads of a feed. */
export type FeedPrice = Pick<PriceFeed, 'class' | 'price' | 'conf' | 'expo' | 'publishTime' | 'maxStalenessSecs' | 'maxConfidenceBps' | 'tripped'>;

export type CheckedPrice = { ok: true; band: PriceBand; publishTime: bigint } | { ok: false; refusal: Refusal };

/** `oracle::check_aggregate`: the feed's guards in the program's order, at cluster time `now`. */
export function checkAggregate(feed: FeedPrice, classAddress: Address, now: bigint): CheckedPrice {
  const refuse = (name: string, detail?: string): CheckedPrice => ({ ok: false, refusal: programRefusal(name, detail) });
  if (feed.class !== classAddress) return refuse('WrongPriceFeed');
  if (feed.tripped !== 0) return refuse('CircuitBreakerTripped');
  if (feed.price <= 0n) return refuse('NoPrice');
  if (!(feed.publishTime <= now && now - feed.publishTime <= BigInt(feed.maxStalenessSecs))) {
    return refuse('StalePrice', `published at ${feed.publishTime}, now ${now}, at most ${feed.maxStalenessSecs} s old`);
  }
  if (confidenceBpsCeil(feed.price, feed.conf) > BigInt(feed.maxConfidenceBps)) return refuse('ConfidenceTooWide');
  try {
    return { ok: true, band: priceBand(feed.price, feed.conf, feed.expo), publishTime: feed.publishTime };
  } catch (e) {
    if (e instanceof MathError) return refuse('InvalidPrice');
    throw e;
  }
}

export type ValuedCollateral = { ok: true; value: bigint; band: PriceBand } | { ok: false; refusal: Refusal };

/**
 * `loans::collateral_value_off_chain`: `credits` of the class valued at the low side of its
 * checked price, as `update_loan` would now; a missing feed is refused as the CLI refuses it.
 */
export function collateralValue(
  classAddress: Address,
  decimals: { decimals: number; quoteDecimals: number },
  feed: FeedPrice | undefined,
  credits: bigint,
  now: bigint,
): ValuedCollateral {
  if (!feed) return { ok: false, refusal: programRefusal('WrongPriceFeed', 'the class has no price feed account') };
  const checked = checkAggregate(feed, classAddress, now);
  if (!checked.ok) return checked;
  try {
    return { ok: true, value: valueFloor(credits, bandLow(checked.band), decimals.decimals, decimals.quoteDecimals), band: checked.band };
  } catch (e) {
    if (e instanceof MathError) return { ok: false, refusal: programRefusal(MATH_TO_PROGRAM[e.kind]) };
    throw e;
  }
}

/** `value / debt` in bps, rounded down; u64::MAX when there is no debt or it does not fit. */
export function coverageBpsFloor(value: bigint, debt: bigint): bigint {
  if (debt === 0n) return U64_MAX;
  const bps = (value * BPS_ONE) / debt;
  return bps > U64_MAX ? U64_MAX : bps;
}

/** `value / debt >= ratio_bps / 10_000`, exactly; an empty debt is always covered. */
export const covers = (value: bigint, debt: bigint, ratioBps: number): boolean => value * BPS_ONE >= debt * BigInt(ratioBps);

/** The largest debt `value` supports at `ratioBps`, rounded down. */
export function maxDebtFloor(value: bigint, ratioBps: number): bigint {
  if (ratioBps === 0) throw new MathError('DivideByZero');
  return narrow((value * BPS_ONE) / BigInt(ratioBps));
}
