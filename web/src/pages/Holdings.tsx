// Holdings: every credit class with its Token-2022 metadata and price, the connected wallet's
// balance in each, whether its account is frozen and by whom (the guardian, loans), and a
// buy form. The classes show without a wallet.
import { useState } from 'react';
import {
  associatedTokenAddress,
  buyCredits,
  fetchClasses,
  fetchHoldings,
  holdSources,
  purchasePrice,
  type ClassInfo,
  type Holding,
} from '@compute-credits/client';
import { useConnection } from '../connection';
import { useWallet } from '../wallet/WalletContext';
import { useAction } from '../tx/TxStatus';
import { useLive } from '../live/useLive';
import { formatGrouped, formatUnits, parseUnits } from '../format';
import { BurnRate } from './BurnRate';

/** A class with what one whole credit costs a buyer now (list price or the feed's high side). */
type PricedClass = ClassInfo & { price: bigint; priceSource: 'list' | 'feed' };

async function pricedClasses(rpc: Parameters<typeof fetchClasses>[0]): Promise<PricedClass[]> {
  const classes = await fetchClasses(rpc);
  return Promise.all(
    classes.map(async (c) => {
      const p = await purchasePrice(rpc, c).catch(() => ({ atoms: c.listPrice, source: 'list' as const }));
      return { ...c, price: p.atoms, priceSource: p.source };
    }),
  );
}

/** The slippage a purchase accepts over the price shown: 2%, rounded up to the atom. */
const SLIPPAGE_PERCENT = 2n;
export const maxPriceFor = (price: bigint) => (price * (100n + SLIPPAGE_PERCENT) + 99n) / 100n;

function FrozenBadge({ holding }: { holding: Holding }) {
  if (!holding.frozen) return null;
  const holders = holdSources(holding.holds);
  return (
    <span className="badge frozen" data-testid="frozen" data-holders={holders.join(',')} title={holders.join(', ')}>
      frozen by {holders.join(', ') || 'the class'}
    </span>
  );
}

function ClassRow({ cls, holding }: { cls: PricedClass; holding: Holding | undefined }) {
  const atoms = holding?.balance ?? 0n;
  return (
    <tr data-testid="class-row" data-class={cls.address} data-mint={cls.creditMint}>
      <td>
        <div data-testid="class-name">{cls.name}</div>
        <div className="muted">
          {cls.unit}
          {cls.paused ? ' · paused' : ''}
          {cls.uri && (
            <>
              {' · '}
              <a href={cls.uri} target="_blank" rel="noreferrer">metadata</a>
            </>
          )}
        </div>
      </td>
      <td data-testid="class-symbol">{cls.symbol}</td>
      <td className="num" data-testid="class-price" data-atoms={String(cls.price)} title={cls.priceSource === 'feed' ? 'price feed: price + confidence' : 'list price'}>
        {formatUnits(cls.price, cls.quoteDecimals)}
      </td>
      <td className="num">{formatGrouped(cls.supply, cls.decimals)}</td>
      <td className="num" data-testid="balance" data-atoms={String(atoms)}>
        {formatUnits(atoms, cls.decimals)}
      </td>
      <td>{holding && <FrozenBadge holding={holding} />}</td>
    </tr>
  );
}

function BuyForm({ classes }: { classes: PricedClass[] }) {
  const { rpc } = useConnection();
  const act = useAction();
  const [choice, setChoice] = useState('');
  const [amount, setAmount] = useState('');
  const cls = classes.find((c) => c.address === choice) ?? classes[0];
  if (!cls) return null;
  const onBuy = () =>
    act(`Buy ${amount} ${cls.symbol}`, async (buyer) =>
      buyCredits(rpc, { buyer, class: cls.address, amount: parseUnits(amount, cls.decimals), maxPrice: maxPriceFor(cls.price) }),
    );
  return (
    <div className="card">
      <h2>Buy credits</h2>
      <div className="form">
        <label>
          Class
          <select data-testid="buy-class" value={cls.address} onChange={(e) => setChoice(e.target.value)}>
            {classes.map((c) => (
              <option key={c.address} value={c.address}>
                {c.symbol}: {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Credits
          <input data-testid="buy-amount" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="10" />
        </label>
        <button data-testid="buy-submit" onClick={() => void onBuy()}>
          Buy
        </button>
      </div>
      <p className="muted">
        At most {formatUnits(maxPriceFor(cls.price), cls.quoteDecimals)} per credit (the price shown + {String(SLIPPAGE_PERCENT)}%), plus the
        platform's purchase fee.
      </p>
    </div>
  );
}

export function Holdings() {
  const { rpc } = useConnection();
  const { owner } = useWallet();
  const classes = useLive(() => pricedClasses(rpc), 'classes');
  const classKey = classes.data?.map((c) => c.address).join(',') ?? '';
  // the wallet's credit accounts, existing or not yet created (a first purchase creates one)
  const accounts = useLive(
    owner && classes.data
      ? () => Promise.all(classes.data!.map((c) => associatedTokenAddress(owner, c.creditMint, c.state.creditTokenProgram)))
      : null,
    `atas:${owner}:${classKey}`,
  );
  const holdings = useLive(owner ? () => fetchHoldings(rpc, owner) : null, `holdings:${owner}`, {
    accounts: [...(accounts.data ?? []), ...(classes.data?.map((c) => c.address) ?? [])],
    mentions: accounts.data ?? [],
  });
  const byClass = new Map((holdings.data ?? []).map((h) => [h.class.address, h]));

  return (
    <section data-testid="page-holdings">
      <h1>Holdings</h1>
      {classes.error && <p className="error">{classes.error}</p>}
      {holdings.error && <p className="error">{holdings.error}</p>}
      <div className="card">
        <table>
          <thead>
            <tr>
              <th>Class</th><th>Symbol</th><th className="num">Price</th><th className="num">Supply</th>
              <th className="num">{owner ? 'Your balance' : 'Balance (connect a wallet)'}</th><th />
            </tr>
          </thead>
          <tbody>
            {(classes.data ?? []).map((c) => (
              <ClassRow key={c.address} cls={c} holding={byClass.get(c.address)} />
            ))}
            {classes.data?.length === 0 && <tr><td colSpan={6} className="muted">No credit classes on this cluster yet.</td></tr>}
          </tbody>
        </table>
      </div>
      {owner && classes.data && <BuyForm classes={classes.data} />}
      {owner && classes.data?.[0] && <BurnRate holder={owner} decimals={classes.data[0].decimals} />}
    </section>
  );
}
