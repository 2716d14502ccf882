// The market page: `#/market` shows the first market, `#/market/<address>` a given one. The
// book, depth chart and seats re-read when the market account changes; the tape when a
// transaction mentions the market.
import { address as toAddress, type Address } from '@solana/kit';
import { fetchMarket, fetchMarkets, marketUnits } from '@compute-credits/client';
import { useConnection } from '../connection';
import { useLive } from '../live/useLive';
import { formatUnits, shortAddress } from '../format';
import { Book } from './market/Book';
import { TradeTape } from './market/TradeTape';
import { Trading } from './market/Trading';

export function Market({ market: routed }: { market: string | null }) {
  const { rpc } = useConnection();
  const markets = useLive(() => fetchMarkets(rpc), 'markets');
  const chosen: Address | null = routed ? toAddress(routed) : (markets.data?.[0]?.address ?? null);
  const state = useLive(chosen ? () => fetchMarket(rpc, chosen) : null, `market:${chosen}`, { accounts: [chosen] });

  return (
    <section data-testid="page-market">
      <h1>Market</h1>
      {(markets.data?.length ?? 0) > 1 && (
        <p>
          Markets:{' '}
          {markets.data!.map((m) => (
            <a key={m.address} href={`#/market/${m.address}`} className={m.address === chosen ? 'active' : ''}>
              {shortAddress(m.address)}{' '}
            </a>
          ))}
        </p>
      )}
      {markets.error && <p className="error">{markets.error}</p>}
      {!chosen && !markets.loading && <p className="muted">No market on this cluster yet.</p>}
      {state.error && <p className="error">{state.error}</p>}
      {chosen && state.data && (
        <>
          <div className="card stats">
            <div className="stat"><span className="label">Market</span><span className="mono">{chosen}</span></div>
            <div className="stat"><span className="label">Credits in the market</span><span className="value">{formatUnits(state.data.header.baseTotal, state.data.fixed.creditDecimals)}</span></div>
            <div className="stat"><span className="label">Quote in the market</span><span className="value">{formatUnits(state.data.header.quoteTotal, state.data.fixed.quoteDecimals)}</span></div>
            <div className="stat"><span className="label">Fees maker / taker</span><span className="value">{state.data.header.makerFeeBps} / {state.data.header.takerFeeBps} bps</span></div>
            <div className="stat"><span className="label">Seats</span><span className="value">{state.data.seats.length}</span></div>
          </div>
          <Book market={state.data} />
          <div className="grid">
            <TradeTape market={chosen} units={marketUnits(state.data)} />
          </div>
          <Trading address={chosen} market={state.data} />
        </>
      )}
    </section>
  );
}
