// Burn rate: credits redeemed per day, as bars (from CreditsRedeemed events).
import { compact, linear, ticks } from './scale';

export type BurnDay = { day: string; credits: number; label: string };

const W = 560;
const H = 200;
const PAD = { left: 48, right: 12, top: 12, bottom: 26 };

export function BurnRateChart({ days }: { days: BurnDay[] }) {
  const max = Math.max(1, ...days.map((d) => d.credits));
  const y = linear([0, max * 1.1], [H - PAD.bottom, PAD.top]);
  const slot = (W - PAD.left - PAD.right) / Math.max(days.length, 1);
  const bar = Math.min(40, slot * 0.7);
  return (
    <svg className="chart chart-bars" data-testid="burn-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Credits redeemed per day">
      <line className="axis" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
      {ticks(0, max).map((t) => (
        <text key={t} x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
          {compact(t)}
        </text>
      ))}
      {days.map((d, i) => {
        const cx = PAD.left + slot * i + slot / 2;
        return (
          <g key={d.day}>
            <rect className="bar" x={cx - bar / 2} y={y(d.credits)} width={bar} height={y(0) - y(d.credits)}>
              <title>
                {d.day}: {d.label} credits
              </title>
            </rect>
            <text x={cx} y={H - 8} textAnchor="middle">
              {/^\d{4}-/.test(d.day) ? d.day.slice(5) : d.day}
            </text>
          </g>
        );
      })}
      {days.length === 0 && (
        <text x={W / 2} y={H / 2} textAnchor="middle">
          No redemptions yet
        </text>
      )}
    </svg>
  );
}
