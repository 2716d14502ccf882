// A loan's coverage ratio over time against its maintenance and liquidation lines.
import { formatBps, formatDate } from '../format';
import { linear, ticks } from './scale';

export type CoveragePoint = { time: number; bps: number };

const W = 560;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 26 };

export function CoverageChart({
  points,
  maintenanceBps,
  liquidationBps,
}: {
  points: CoveragePoint[];
  maintenanceBps: number;
  liquidationBps: number;
}) {
  const times = points.map((p) => p.time);
  const t0 = times.length ? Math.min(...times) : 0;
  const t1 = times.length ? Math.max(...times) : 1;
  const span = t1 - t0 || 86_400;
  const x = linear([t0 - span * 0.05, t0 + span * 1.05], [PAD.left, W - PAD.right]);
  const top = Math.max(maintenanceBps, liquidationBps, ...points.map((p) => p.bps)) * 1.15 || 10_000;
  const y = linear([0, top], [H - PAD.bottom, PAD.top]);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${x(p.time)} ${y(p.bps)}`).join(' ');

  return (
    <svg className="chart" data-testid="coverage-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Coverage over time">
      <line className="axis" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
      {ticks(0, top).map((t) => (
        <text key={t} x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
          {formatBps(Math.round(t))}
        </text>
      ))}
      <line className="line-maintenance" x1={PAD.left} x2={W - PAD.right} y1={y(maintenanceBps)} y2={y(maintenanceBps)} />
      <text x={W - PAD.right} y={y(maintenanceBps) - 4} textAnchor="end">
        maintenance {formatBps(maintenanceBps)}
      </text>
      <line className="line-liquidation" x1={PAD.left} x2={W - PAD.right} y1={y(liquidationBps)} y2={y(liquidationBps)} />
      <text x={W - PAD.right} y={y(liquidationBps) + 12} textAnchor="end">
        liquidation {formatBps(liquidationBps)}
      </text>
      {path && <path className="series" d={path} />}
      {points.map((p) => (
        <circle key={`${p.time}-${p.bps}`} className="dot" cx={x(p.time)} cy={y(p.bps)} r={3}>
          <title>
            {formatDate(p.time)}: {formatBps(p.bps)}
          </title>
        </circle>
      ))}
      {points.length > 0 && (
        <>
          <text x={x(t0)} y={H - 8} textAnchor="start">
            {formatDate(t0)}
          </text>
          {t1 > t0 && (
            <text x={x(t1)} y={H - 8} textAnchor="end">
              {formatDate(t1)}
            </text>
          )}
        </>
      )}
    </svg>
  );
}
