// Coverage (collateral valued at price − confidence over debt) against the maintenance and
// liquidation lines. The events hold no coverage figure, so the series starts at the value read
// when the page opened and grows with every live re-read.
import { useEffect, useState } from 'react';
import type { LoanView } from '@compute-credits/client';
import { CoverageChart, type CoveragePoint } from '../../charts/CoverageChart';
import { formatBps, formatGrouped } from '../../format';

const MAX_POINTS = 120;

export function Coverage({ view }: { view: LoanView }) {
  const [points, setPoints] = useState<CoveragePoint[]>([]);
  const { coverage } = view;
  const bps = coverage.known ? coverage.bps : null;
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
  const maintenance = coverage.maintenance.bps;
  const liquidation = coverage.liquidation.bps;
  return (
    <div className="card">
      <h2>Coverage</h2>
      <p data-testid="loan-coverage" data-bps={bps === null ? '' : String(bps)}>
        <strong>{bps !== null ? formatBps(bps) : coverage.known ? 'no debt' : `not measured: ${coverage.reason.name}`}</strong>
        {coverage.known && <> · collateral worth {formatGrouped(coverage.value, view.quoteDecimals)}</>} · maintenance {formatBps(maintenance)} ·
        liquidation {formatBps(liquidation)}
      </p>
      {!coverage.known && <p className="muted">{coverage.reason.message}</p>}
      <CoverageChart points={points} maintenanceBps={maintenance} liquidationBps={liquidation} />
    </div>
  );
}
