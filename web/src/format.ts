// Display formatting beyond the client's formatUnits/parseUnits: grouped amounts, basis
// points, short addresses, dates. Exact decimal strings, never floats.
import { formatUnits } from '@compute-credits/client';

export { formatUnits, parseUnits } from '@compute-credits/client';

/** Like formatUnits with thousands separators in the whole part: "12,345.5". */
export function formatGrouped(atoms: bigint, decimals: number): string {
  const [whole, fraction] = formatUnits(atoms, decimals).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** Basis points as a percentage: 12_345 → "123.45%". */
export function formatBps(bps: bigint | number): string {
  return `${formatUnits(BigInt(bps), 2)}%`;
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 4)}…${address.slice(-4)}`;
}

/** A unix timestamp (seconds) as a UTC date. */
export function formatDate(unixSeconds: bigint | number): string {
  return new Date(Number(unixSeconds) * 1000).toISOString().slice(0, 10);
}

/** A period length in words: whole days, hours, minutes or seconds (no fractions). */
export function periodText(secs: number): string {
  const units: [number, string][] = [[86_400, 'day'], [3_600, 'hour'], [60, 'minute']];
  for (const [size, name] of units) {
    if (secs >= size && secs % size === 0) {
      const n = secs / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${secs} s`;
}
