// Burn rate: credits redeemed per UTC day, from CreditsRedeemed events of a holder's
// transactions, as bars.
import type { Address } from '@solana/kit';
import { redemptions } from '@compute-credits/client';
import { useConnection } from '../connection';
import { useLive } from '../live/useLive';
import { formatUnits } from '../format';
import { BurnRateChart, type BurnDay } from '../charts/BurnRateChart';

const HISTORY = 200;

export function BurnRate({ holder, decimals }: { holder: Address; decimals: number }) {
  const { rpc } = useConnection();
  const events = useLive(() => redemptions(rpc, holder, HISTORY), `burn:${holder}`, { mentions: [holder] });
  const perDay = new Map<string, bigint>();
  let total = 0n;
  for (const r of events.data ?? []) {
    const day = r.blockTime === null ? 'unknown' : new Date(Number(r.blockTime) * 1000).toISOString().slice(0, 10);
    perDay.set(day, (perDay.get(day) ?? 0n) + r.redeemed.amount);
    total += r.redeemed.amount;
  }
  const days: BurnDay[] = [...perDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, atoms]) => ({ day, label: formatUnits(atoms, decimals), credits: Number(formatUnits(atoms, decimals)) }));
  return (
    <div className="card">
      <h2>Burn rate</h2>
      {events.data === undefined ? (
        <p className="muted">{events.error ? '' : 'Reading redemptions…'}</p>
      ) : (
        <>
          <p className="muted">
            Credits redeemed for delivered compute, per day: {formatUnits(total, decimals)} in all
            {events.data.length >= HISTORY ? ` (the last ${HISTORY} redemptions)` : ''}.
          </p>
          <BurnRateChart days={days} />
        </>
      )}
      {events.error && <p className="error">{events.error}</p>}
    </div>
  );
}
