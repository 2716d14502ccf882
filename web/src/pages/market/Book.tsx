// The book: the ladder (asks above, bids below, best prices meeting at the spread) and its
// depth chart.
import { depth, formatPrice, ladder, marketUnits, type MarketState } from '@compute-credits/client';
import { DepthChart } from '../../charts/DepthChart';

export function Book({ market }: { market: MarketState }) {
  const { bids, asks } = ladder(market);
  const curve = depth(market);
  const [bestBid, bestAsk] = [bids[0], asks[0]];
  const spread = bestBid && bestAsk ? `spread ${formatPrice(marketUnits(market), bestAsk.ticks - bestBid.ticks)}` : 'one-sided book';
  // plotting only: the decimal strings become chart coordinates
  const plot = (points: typeof curve.bids) => points.map((p) => ({ price: Number(p.price), cumulative: Number(p.cumulative) }));
  return (
    <div className="grid">
      <div className="card">
        <h2>Order book</h2>
        <table className="ladder" data-testid="book-ladder">
          <thead>
            <tr>
              <th className="num">Price</th>
              <th className="num">Size (credits)</th>
              <th className="num">Orders</th>
            </tr>
          </thead>
          <tbody>
            {[...asks].reverse().map((l) => (
              <tr key={`a${l.ticks}`} className="ask" data-testid="ask-level" data-price={l.price} data-size={l.size}>
                <td className="num price">{l.price}</td>
                <td className="num">{l.size}</td>
                <td className="num">{l.orders}</td>
              </tr>
            ))}
            <tr className="spread">
              <td colSpan={3}>{asks.length === 0 && bids.length === 0 ? 'no orders' : spread}</td>
            </tr>
            {bids.map((l) => (
              <tr key={`b${l.ticks}`} className="bid" data-testid="bid-level" data-price={l.price} data-size={l.size}>
                <td className="num price">{l.price}</td>
                <td className="num">{l.size}</td>
                <td className="num">{l.orders}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h2>Depth</h2>
        <DepthChart bids={plot(curve.bids)} asks={plot(curve.asks)} />
      </div>
    </div>
  );
}
