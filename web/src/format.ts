// Display formatting of BigInt atoms and parsing of typed amounts: exact decimal strings,
// never floats.

/** `atoms` as a decimal string with at most `decimals` places, trailing zeros dropped: 1_500_000n, 6 → "1.5". */
export function formatUnits(atoms: bigint, decimals: number): string {
  const negative = atoms < 0n;
  const abs = negative ? -atoms : atoms;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Like formatUnits with thousands separators in the whole part: "12,345.5". */
export function formatGrouped(atoms: bigint, decimals: number): string {
  const [whole, fraction] = formatUnits(atoms, decimals).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** A typed decimal amount in atoms; throws with a readable message on anything else. */
export function parseUnits(text: string, decimals: number): bigint {
  const trimmed = text.trim();
  const match = /^(\d+)(?:\.(\d*))?$/.exec(trimmed);
  if (!match) throw new Error(`not an amount: "${text}"`);
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) throw new Error(`at most ${decimals} decimals: "${text}"`);
  return BigInt(match[1]!) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
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
