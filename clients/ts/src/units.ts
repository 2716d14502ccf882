// Token amounts as the CLI writes and reads them (app/src/commands/output.rs `units`,
// args.rs `Amount`/`Units`): BigInt atoms in, decimal strings out, trailing zeros dropped.
// Never floats.

/** `atoms` with `decimals` decimals as a decimal string (`1234500n`, 6 -> `"1.2345"`). */
export function formatUnits(atoms: bigint, decimals: number): string {
  const sign = atoms < 0n ? '-' : '';
  const abs = atoms < 0n ? -atoms : atoms;
  const p = 10n ** BigInt(decimals);
  const whole = abs / p;
  const frac = abs % p;
  if (frac === 0n) return `${sign}${whole}`;
  return `${sign}${whole}.${frac.toString().padStart(decimals, '0').replace(/0+$/, '')}`;
}

/** A decimal string (`"2.5"`, `"1_000"`) in atoms; refuses more decimals than the token has. */
export function parseUnits(text: string, decimals: number): bigint {
  const t = text.trim().replace(/_/g, '').replace(/,/g, '');
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new Error(`\`${text}\`: not a decimal amount`);
  const frac = m[2] ?? '';
  if (frac.replace(/0+$/, '').length > decimals)
    throw new Error(`\`${text}\`: more than ${decimals} decimals`);
  return BigInt(m[1] || '0') * 10n ** BigInt(decimals) + BigInt((frac + '0'.repeat(decimals)).slice(0, decimals) || '0');
}

/** How a market's prices and sizes convert (lot and tick sizes, both mints' decimals). */
export type MarketUnits = {
  lotSize: bigint;
  tickSize: bigint;
  creditDecimals: number;
  quoteDecimals: number;
};

/** Quote atoms per whole credit at `ticks`, rounded down (the CLI's `Units::price`). */
export function priceAtomsPerCredit(u: MarketUnits, ticks: bigint): bigint {
  const one = 10n ** BigInt(u.creditDecimals);
  const lot = u.lotSize > 0n ? u.lotSize : 1n;
  return (ticks * u.tickSize * one) / lot;
}

/** Quote units per whole credit at `ticks`, as a decimal string. */
export const formatPrice = (u: MarketUnits, ticks: bigint) => formatUnits(priceAtomsPerCredit(u, ticks), u.quoteDecimals);

/** Credits in `lots`, as a decimal string. */
export const formatLots = (u: MarketUnits, lots: bigint) => formatUnits(lots * u.lotSize, u.creditDecimals);

/** A price typed in quote units per credit (`"2.49"`) or ticks (`"249t"`), in ticks; must fall on a tick. */
export function priceToTicks(u: MarketUnits, text: string): bigint {
  const t = text.trim().replace(/_/g, '');
  if (t.endsWith('t')) {
    if (!/^\d+$/.test(t.slice(0, -1))) throw new Error(`\`${text}\`: a whole number of ticks`);
    return BigInt(t.slice(0, -1));
  }
  const perCredit = parseUnits(t, u.quoteDecimals);
  const perLotScaled = perCredit * u.lotSize;
  const tick = u.tickSize * 10n ** BigInt(u.creditDecimals);
  if (tick === 0n || perLotScaled % tick !== 0n)
    throw new Error(`${t} is not on a tick (a tick is ${formatPrice(u, 1n)} per credit)`);
  return perLotScaled / tick;
}

/** A size typed in credits (`"1.5"`), in whole lots; must be a whole number of lots. */
export function sizeToLots(u: MarketUnits, text: string): bigint {
  const atoms = parseUnits(text, u.creditDecimals);
  if (u.lotSize === 0n || atoms % u.lotSize !== 0n)
    throw new Error(`${text.trim()} credits is not a whole number of lots (a lot is ${formatLots(u, 1n)} credits)`);
  return atoms / u.lotSize;
}
