// The book's depth: cumulative size against price, bids (left, green) and asks (right, red)
// as step areas meeting at the spread.
import { compact, linear, ticks } from './scale';

export type DepthPoint = { price: number; cumulative: number };

const W = 560;
const H = 220;
const PAD = { left: 48, right: 12, top: 10, bottom: 26 };

export function DepthChart({ bids, asks }: { bids: DepthPoint[]; asks: DepthPoint[] }) {
  const prices = [...bids, ...asks].map((p) => p.price);
  const sizes = [...bids, ...asks].map((p) => p.cumulative);
  const empty = prices.length === 0;
  const lo = empty ? 0 : Math.min(...prices);
  const hi = empty ? 1 : Math.max(...prices);
  const margin = (hi - lo) * 0.08 || hi * 0.05 || 1;
  const x = linear([lo - margin, hi + margin], [PAD.left, W - PAD.right]);
  const maxSize = empty ? 1 : Math.max(...sizes);
  const y = linear([0, maxSize * 1.1], [H - PAD.bottom, PAD.top]);
  const base = y(0);

  // bids: best (highest) price first, the area steps outward to the left
  const bidPath = (() => {
    if (bids.length === 0) return '';
    let d = `M ${x(bids[0]!.price)} ${base}`;
    bids.forEach((p, i) => {
      d += ` L ${x(p.price)} ${y(i === 0 ? 0 : bids[i - 1]!.cumulative)} L ${x(p.price)} ${y(p.cumulative)}`;
    });
    return `${d} L ${x(lo - margin)} ${y(bids[bids.length - 1]!.cumulative)} L ${x(lo - margin)} ${base} Z`;
  })();
  const askPath = (() => {
    if (asks.length === 0) return '';
    let d = `M ${x(asks[0]!.price)} ${base}`;
    asks.forEach((p, i) => {
      d += ` L ${x(p.price)} ${y(i === 0 ? 0 : asks[i - 1]!.cumulative)} L ${x(p.price)} ${y(p.cumulative)}`;
    });
    return `${d} L ${x(hi + margin)} ${y(asks[asks.length - 1]!.cumulative)} L ${x(hi + margin)} ${base} Z`;
  })();

  return (
    <svg className="chart" data-testid="depth-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Depth chart">
      <line className="axis" x1={PAD.left} x2={W - PAD.right} y1={base} y2={base} />
      {ticks(0, maxSize).map((t) => (
        <text key={`y${t}`} x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
          {compact(t)}
        </text>
      ))}
      {!empty &&
        ticks(lo - margin, hi + margin, 5).map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - 8} textAnchor="middle">
            {t}
          </text>
        ))}
      {bidPath && <path className="bid-area" d={bidPath} />}
      {askPath && <path className="ask-area" d={askPath} />}
      {empty && (
        <text x={W / 2} y={H / 2} textAnchor="middle">
          The book is empty
        </text>
      )}
    </svg>
  );
}
