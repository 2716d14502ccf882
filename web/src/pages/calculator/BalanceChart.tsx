// Principal outstanding month by month (a step line down as principal is repaid, left axis)
// and each month's interest (bars, right axis), in an SVG. Numbers are converted for drawing
// only; the figures themselves stay BigInt.
import type { CalculatorFigures } from '@compute-credits/client';
import { compact, linear, ticks } from '../../charts/scale';

const W = 1080;
const H = 260;
const PAD = { left: 64, right: 64, top: 14, bottom: 28 };
/// Atoms per dollar (USD with 6 decimals), for the axes only.
const ATOMS_PER_USD = 1_000_000;

export function BalanceChart({ figures }: { figures: CalculatorFigures }) {
  const n = figures.installments.length;
  const balances: number[] = [Number(figures.principal) / ATOMS_PER_USD];
  let balance = figures.principal;
  for (const i of figures.installments) {
    balance -= i.principal;
    balances.push(Number(balance) / ATOMS_PER_USD);
  }
  const interest = figures.installments.map((i) => Number(i.interest) / ATOMS_PER_USD);
  const topBalance = (balances[0] || 1) * 1.05;
  const topInterest = (Math.max(0, ...interest) || 1) * 1.25;
  const x = linear([0, n || 1], [PAD.left, W - PAD.right]);
  const yBalance = linear([0, topBalance], [H - PAD.bottom, PAD.top]);
  const yInterest = linear([0, topInterest], [H - PAD.bottom, PAD.top]);
  // a step line: flat during month k, down at its end
  const path = balances
    .slice(0, n)
    .map(
      (b, k) =>
        `${k === 0 ? 'M' : 'L'} ${x(k)} ${yBalance(b)} L ${x(k + 1)} ${yBalance(b)} L ${x(k + 1)} ${yBalance(balances[k + 1] ?? 0)}`,
    )
    .join(' ');
  const barWidth = Math.max(1, (x(1) - x(0)) * 0.6);
  return (
    <>
      <svg className="chart calc-chart" data-testid="calc-balance-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Balance and interest over the term">
        {ticks(0, topBalance).map((t) => (
          <g key={`b${t}`}>
            <line className="calc-grid" x1={PAD.left} x2={W - PAD.right} y1={yBalance(t)} y2={yBalance(t)} />
            <text x={PAD.left - 6} y={yBalance(t) + 4} textAnchor="end">
              ${compact(t)}
            </text>
          </g>
        ))}
        {ticks(0, topInterest).map((t) => (
          <text key={`i${t}`} className="calc-interest-tick" x={W - PAD.right + 6} y={yInterest(t) + 4} textAnchor="start">
            ${compact(t)}
          </text>
        ))}
        {interest.map((v, k) => (
          <rect
            key={k}
            className="calc-interest-bar"
            x={x(k + 0.5) - barWidth / 2}
            y={yInterest(v)}
            width={barWidth}
            height={yInterest(0) - yInterest(v)}
          >
            <title>
              month {k + 1}: interest ${compact(v)}
            </title>
          </rect>
        ))}
        {path && <path className="series" d={path} />}
        <line className="axis" x1={PAD.left} x2={W - PAD.right} y1={yBalance(0)} y2={yBalance(0)} />
        <text x={x(0)} y={H - 8} textAnchor="start">
          month 0
        </text>
        <text x={x(n || 1)} y={H - 8} textAnchor="end">
          month {n}
        </text>
      </svg>
      <p className="calc-legend muted">
        <span className="calc-key calc-key-balance" /> principal outstanding (left axis)
        <span className="calc-key calc-key-interest" /> interest each month (right axis)
      </p>
    </>
  );
}
