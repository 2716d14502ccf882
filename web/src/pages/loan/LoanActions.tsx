// The actions a loan's page offers: the borrower repays, tops up and withdraws collateral; the
// lender freezes, liquidates and sells it; anyone releases it once the loan is closed. Each
// builds its instructions for the connected wallet and goes through the shared status line.
import { useState } from 'react';
import type { Address, Instruction } from '@solana/kit';
import {
  fetchMarkets,
  freezeCollateral,
  marketUnits,
  priceToTicks,
  sizeToLots,
  liquidateCollateral,
  releaseCollateral,
  repayLoan,
  sellCollateral,
  topUpCollateral,
  withdrawCollateral,
  type LoanView,
} from '@compute-credits/client';
import { useConnection } from '../../connection';
import { useWallet } from '../../wallet/WalletContext';
import { useAction } from '../../tx/TxStatus';
import { parseUnits } from '../../format';

/** Liquidate without a limit: as many credits as the debt needs (the CLI's `--max all`). */
const U64_MAX = 2n ** 64n - 1n;

export function LoanActions({ view }: { view: LoanView }) {
  const { rpc } = useConnection();
  const { owner } = useWallet();
  const act = useAction();
  const [amount, setAmount] = useState('');
  const [price, setPrice] = useState('');
  if (!owner) return <div className="card muted">Connect the borrower's or the lender's wallet to act on this loan.</div>;

  const isBorrower = owner === view.borrower;
  const isLender = owner === view.lender;
  const quote = (text: string) => parseUnits(text, view.quoteDecimals);
  const credits = (text: string) => parseUnits(text, view.creditDecimals);
  const loan = view.address;
  const run = (label: string, build: (signer: Address) => Promise<Instruction[]>) => () => void act(label, build);
  /** The sale: on the market of the loan's class, at no less than the price, the size typed (default: the vault's credits). */
  const sell = async (lender: Address) => {
    if (!price.trim()) throw new Error('a price per credit to sell at');
    const found = (await fetchMarkets(rpc)).find((m) => m.market.fixed.class === view.class);
    if (!found) throw new Error(`no market for class ${view.class}`);
    const units = marketUnits(found.market);
    const lots = amount.trim() ? sizeToLots(units, amount) : view.vaultCredits / units.lotSize;
    return sellCollateral(rpc, { lender, loan, market: found.address, priceTicks: priceToTicks(units, price), lots, orderType: 'ioc' });
  };

  return (
    <div className="card">
      <h2>Actions</h2>
      <p className="muted">
        You are {isBorrower ? 'the borrower' : isLender ? 'the lender' : 'neither party'} of this loan. Amounts: quote units to repay, credits
        otherwise; sell also takes a price per credit (empty amount: liquidate or sell everything).
      </p>
      <div className="form">
        <label>
          Amount
          <input data-testid="action-amount" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="1000" />
        </label>
        {isLender && (
          <label>
            Price (sell)
            <input data-testid="action-price" value={price} onChange={(e) => setPrice(e.target.value)} placeholder="2.30" size={8} />
          </label>
        )}
        {isBorrower && (
          <>
            <button data-testid="action-repay" onClick={run('Repay', (signer) => repayLoan(rpc, { loan, payer: signer, maxAmount: quote(amount) }))}>
              Repay
            </button>
            <button data-testid="action-top-up" onClick={run('Top up collateral', (signer) => topUpCollateral(rpc, { loan, borrower: signer, amount: credits(amount) }))}>
              Top up
            </button>
            <button
              className="secondary"
              data-testid="action-withdraw"
              onClick={run('Withdraw collateral', (signer) => withdrawCollateral(rpc, { loan, borrower: signer, amount: credits(amount) }))}
            >
              Withdraw
            </button>
          </>
        )}
        {isLender && (
          <>
            <button className="danger" data-testid="action-freeze" onClick={run('Freeze collateral', (signer) => freezeCollateral(rpc, { loan, lender: signer }))}>
              Freeze
            </button>
            <button
              className="danger"
              data-testid="action-liquidate"
              onClick={run('Liquidate collateral', (signer) =>
                liquidateCollateral(rpc, { loan, lender: signer, maxCredits: amount.trim() ? credits(amount) : U64_MAX }),
              )}
            >
              Liquidate
            </button>
            <button
              className="danger"
              data-testid="action-sell"
              onClick={run('Sell collateral', sell)}
            >
              Sell
            </button>
          </>
        )}
        <button className="secondary" data-testid="action-release" onClick={run('Release collateral', (signer) => releaseCollateral(rpc, { loan, payer: signer }))}>
          Release
        </button>
      </div>
      <p className="muted">Loan {loan}</p>
    </div>
  );
}
