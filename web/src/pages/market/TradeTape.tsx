// The trade tape: the market's latest fills from transaction logs (FillV2 events), re-read when
// a transaction mentioning the market lands (logs subscription).
import type { Address } from '@solana/kit';
import { formatLots, formatPrice, marketTrades, OrderSide, type MarketUnits } from '@compute-credits/client';
import { useConnection } from '../../connection';
import { useLive } from '../../live/useLive';

const TAPE_LENGTH = 30;

export function TradeTape({ market, units }: { market: Address; units: MarketUnits }) {
  const { rpc } = useConnection();
  const trades = useLive(() => marketTrades(rpc, market, TAPE_LENGTH), `tape:${market}`, { mentions: [market] });
  const rows = trades.data ?? [];
  return (
    <div className="card">
      <h2>Trades</h2>
      {trades.error && <p className="error">{trades.error}</p>}
      <table className="tape" data-testid="trade-tape">
        <thead>
          <tr><th>Time</th><th>Taker</th><th className="num">Price</th><th className="num">Size</th></tr>
        </thead>
        <tbody>
          {rows.map((t) => {
            // the taker's side is the maker's opposite: a taker bid lifts an ask
            const takerBuys = t.fill.makerSide === OrderSide.Ask;
            return (
              <tr key={`${t.signature}:${t.fill.seq}`} className={takerBuys ? 'buy' : 'sell'} data-testid="trade-row">
                <td>{t.blockTime === null ? '—' : new Date(Number(t.blockTime) * 1000).toISOString().slice(11, 19)}</td>
                <td>{takerBuys ? 'buy' : 'sell'}</td>
                <td className="num price">{formatPrice(units, t.fill.price)}</td>
                <td className="num">{formatLots(units, t.fill.lots)}</td>
              </tr>
            );
          })}
          {rows.length === 0 && !trades.loading && <tr><td colSpan={4} className="muted">No trades yet</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
