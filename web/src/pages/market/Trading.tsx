// The connected trader's side of a market: seat balances, deposit/withdraw (the client's
// deposit claims a seat in the same transaction when the trader has none), the order form, open orders with cancel and
// cancel-all, and a batch (cancel all, then place every listed order).
import { useState } from 'react';
import type { Address } from '@solana/kit';
import {
  batchOrders,
  cancelAllOrders,
  cancelOrder,
  deposit,
  formatLots,
  formatPrice,
  marketUnits,
  ordersOf,
  placeOrder,
  priceToTicks,
  seatOf,
  sizeToLots,
  withdraw,
  type MarketState,
  type OrderTypeName,
  type Side,
} from '@compute-credits/client';
import { useConnection } from '../../connection';
import { useWallet } from '../../wallet/WalletContext';
import { useAction } from '../../tx/TxStatus';
import { formatUnits, parseUnits } from '../../format';

/** `bid 2.30 5` per line → sides, ticks and lots; names the first bad line. */
function parseBatch(market: MarketState, text: string) {
  const units = marketUnits(market);
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, i) => {
      const [side, price, size, extra] = line.split(/\s+/);
      if ((side !== 'bid' && side !== 'ask') || !price || !size || extra)
        throw new Error(`batch line ${i + 1}: "${line}" is not "bid|ask price size"`);
      return { side: side as Side, ticks: priceToTicks(units, price), lots: sizeToLots(units, size) };
    });
}

export function Trading({ address, market }: { address: Address; market: MarketState }) {
  const { rpc } = useConnection();
  const { owner } = useWallet();
  const act = useAction();
  const [asset, setAsset] = useState<'base' | 'quote'>('quote');
  const [amount, setAmount] = useState('');
  const [side, setSide] = useState<Side>('bid');
  const [price, setPrice] = useState('');
  const [size, setSize] = useState('');
  const [kind, setKind] = useState<OrderTypeName>('limit');
  const [batch, setBatch] = useState('');

  if (!owner) {
    return <div className="card muted">Connect a wallet to trade: seat balances, deposits and orders appear here.</div>;
  }
  const units = marketUnits(market);
  const seat = seatOf(market, owner);
  const orders = seat ? ordersOf(market, seat.index) : [];
  const assetDecimals = asset === 'base' ? units.creditDecimals : units.quoteDecimals;

  const onDeposit = () =>
    act('Deposit', (trader) => deposit(rpc, { trader, market: address, asset, amount: parseUnits(amount, assetDecimals) }));
  const onWithdraw = () =>
    act('Withdraw', (trader) => withdraw(rpc, { trader, market: address, asset, amount: parseUnits(amount, assetDecimals) }));
  const onPlace = () =>
    act('Place order', (trader) =>
      placeOrder(rpc, { trader, market: address, side, priceTicks: priceToTicks(units, price), lots: sizeToLots(units, size), orderType: kind }),
    );
  const onCancelAll = () => act('Cancel all orders', (trader) => cancelAllOrders(rpc, { trader, market: address }));
  const onBatch = () =>
    act('Batch', async (trader) => {
      const places = parseBatch(market, batch).map((o) => ({ side: o.side, priceTicks: o.ticks, lots: o.lots }));
      return batchOrders(rpc, { trader, market: address, cancelAll: true, places });
    });

  return (
    <div className="grid">
      <div className="card">
        <h2>Your seat</h2>
        <div className="stats">
          <div className="stat">
            <span className="label">Credits free</span>
            <span className="value" data-testid="seat-base" data-atoms={String(seat?.baseFree ?? 0n)}>
              {formatUnits(seat?.baseFree ?? 0n, units.creditDecimals)}
            </span>
          </div>
          <div className="stat">
            <span className="label">Quote free</span>
            <span className="value" data-testid="seat-quote" data-atoms={String(seat?.quoteFree ?? 0n)}>
              {formatUnits(seat?.quoteFree ?? 0n, units.quoteDecimals)}
            </span>
          </div>
          <div className="stat">
            <span className="label">Locked in orders</span>
            <span className="value">
              {formatUnits(seat?.baseLocked ?? 0n, units.creditDecimals)} cr / {formatUnits(seat?.quoteLocked ?? 0n, units.quoteDecimals)}
            </span>
          </div>
        </div>
        {!seat && <p className="muted">No seat yet: the first deposit claims one.</p>}
        <div className="form">
          <label>
            Asset
            <select data-testid="funds-asset" value={asset} onChange={(e) => setAsset(e.target.value as 'base' | 'quote')}>
              <option value="base">base (credits)</option>
              <option value="quote">quote</option>
            </select>
          </label>
          <label>
            Amount
            <input data-testid="funds-amount" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="100" />
          </label>
          <button data-testid="deposit-submit" onClick={() => void onDeposit()}>Deposit</button>
          <button className="secondary" data-testid="withdraw-submit" onClick={() => void onWithdraw()}>Withdraw</button>
        </div>
      </div>
      <div className="card">
        <h2>Place an order</h2>
        <div className="form">
          <label>
            Side
            <select data-testid="order-side" value={side} onChange={(e) => setSide(e.target.value as Side)}>
              <option value="bid">bid (buy)</option>
              <option value="ask">ask (sell)</option>
            </select>
          </label>
          <label>
            Price per credit
            <input data-testid="order-price" value={price} onChange={(e) => setPrice(e.target.value)} placeholder="2.30" size={8} />
          </label>
          <label>
            Size (credits)
            <input data-testid="order-size" value={size} onChange={(e) => setSize(e.target.value)} placeholder="10" size={8} />
          </label>
          <label>
            Type
            <select data-testid="order-type" value={kind} onChange={(e) => setKind(e.target.value as OrderTypeName)}>
              <option value="limit">limit</option>
              <option value="post-only">post-only</option>
              <option value="ioc">ioc</option>
            </select>
          </label>
          <button data-testid="order-submit" onClick={() => void onPlace()}>Place</button>
        </div>
        <p className="muted">
          A tick is {formatPrice(units, 1n)} per credit; a lot is {formatLots(units, 1n)} credits.
        </p>
      </div>
      <div className="card">
        <h2>Your open orders</h2>
        <table>
          <thead>
            <tr><th>Side</th><th className="num">Price</th><th className="num">Size</th><th className="num">#</th><th /></tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={`${o.side}${o.seq}`} data-testid="open-order" data-side={o.side} data-price={formatPrice(units, o.price)} data-size={formatLots(units, o.lots)} data-seq={String(o.seq)}>
                <td>{o.side}</td>
                <td className="num">{formatPrice(units, o.price)}</td>
                <td className="num">{formatLots(units, o.lots)}</td>
                <td className="num">{String(o.seq)}</td>
                <td>
                  <button
                    className="secondary"
                    data-testid="cancel-order"
                    onClick={() =>
                      void act('Cancel order', (trader) =>
                        cancelOrder(rpc, { trader, market: address, side: o.side, priceTicks: o.price, seq: o.seq }),
                      )
                    }
                  >
                    Cancel
                  </button>
                </td>
              </tr>
            ))}
            {orders.length === 0 && <tr><td colSpan={5} className="muted">No open orders</td></tr>}
          </tbody>
        </table>
        <button className="danger" data-testid="cancel-all" onClick={() => void onCancelAll()}>
          Cancel all
        </button>
      </div>
      <div className="card">
        <h2>Batch</h2>
        <p className="muted">Cancels all your orders, then places one order per line: <code>bid|ask price size</code>.</p>
        <textarea data-testid="batch-orders" rows={4} value={batch} onChange={(e) => setBatch(e.target.value)} placeholder={'bid 2.25 10\nask 2.75 10'} />
        <button data-testid="batch-submit" onClick={() => void onBatch()}>Submit batch</button>
      </div>
    </div>
  );
}
