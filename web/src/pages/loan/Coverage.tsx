// Coverage (collateral value at price − confidence over debt) against the maintenance and
// liquidation lines. The events hold no coverage figure, so the series starts at the value
// read when the page opened and grows with every live re-read.
import { useEffect, useState } from 'react';
import type { LoanView } from '@compute-credits/client';
import { CoverageChart, type CoveragePoint } from '../../charts/CoverageChart';
import { formatBps } from '../../format';

const MAX_POINTS = 120;

export function Coverage({ view }: { view: LoanView }) {
  const [points, setPoints] = useState<CoveragePoint[]>([]);
  const bps = view.coverageBps;
  const now = Number(view.now);
  useEffect(() => setPoints([]), [view.address]);
  useEffect(() => {
    if (bps === null) return;
    setPoints((ps) => {
      const last = ps[ps.length - 1];
      if (last && last.time === now && last.bps === Number(bps)) return ps;
      return [...ps, { time: now, bps: Number(bps) }].slice(-MAX_POINTS);
    });
  }, [bps, now]);
  const { maintenanceBps, liquidationBps } = view.loan.ledger;
  return (
    <div className="card">
      <h2>Coverage</h2>
      <p data-testid="loan-coverage" data-bps={bps === null ? '' : String(bps)}>
        {bps === null ? 'not measured (no usable price, or no debt)' : formatBps(bps)} · maintenance {formatBps(maintenanceBps)} · liquidation{' '}
        {formatBps(liquidationBps)}
      </p>
      <CoverageChart points={points} maintenanceBps={maintenanceBps} liquidationBps={liquidationBps} />
    </div>
  );
}
