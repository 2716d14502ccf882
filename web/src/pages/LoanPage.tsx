// One loan, for its borrower and its lender: terms, status, coverage against the lines,
// collateral and the accounts it holds frozen, the schedule, history and the borrower's burn
// rate, and each side's actions. Re-read when the loan or its vault changes.
import { useEffect, useState } from 'react';
import { address as toAddress, type Address } from '@solana/kit';
import { loanView, type LoanView } from '@compute-credits/client';
import { useConnection } from '../connection';
import { useLive } from '../live/useLive';
import { formatBps, formatDate, formatGrouped, formatUnits, periodText } from '../format';
import { Schedule } from './loan/Schedule';
import { Coverage } from './loan/Coverage';
import { LoanActions } from './loan/LoanActions';
import { History } from './loan/History';
import { BurnRate } from './BurnRate';

function Terms({ view }: { view: LoanView }) {
  const { ledger, quoteDecimals: q } = view;
  const items: [string, string][] = [
    ['Kind', view.kind === 'financing' ? 'compute financing' : 'credit-backed'],
    ['Principal', formatGrouped(ledger.principal, q)],
    ['Outstanding', formatGrouped(ledger.principalOutstanding, q)],
    ['Debt now', formatGrouped(view.debt, q)],
    ['APR', formatBps(ledger.aprBps)],
    ['Periods', `${ledger.periods} × ${periodText(ledger.periodSecs)}${view.scheduleKind ? `, ${view.scheduleKind}` : ''}`],
    ['Started', ledger.startTs > 0n ? formatDate(ledger.startTs) : '—'],
    ['Paid', `${formatGrouped(ledger.principalPaid, q)} principal, ${formatGrouped(ledger.interestPaid, q)} interest`],
  ];
  return (
    <div className="card stats">
      {items.map(([label, value]) => (
        <div className="stat" key={label}>
          <span className="label">{label}</span>
          <span className="value">{value}</span>
        </div>
      ))}
    </div>
  );
}

function Collateral({ view }: { view: LoanView }) {
  const frozen = view.held.filter((h) => h.frozen);
  return (
    <div className="card">
      <h2>Collateral</h2>
      <div className="stats">
        <div className="stat">
          <span className="label">In the vault</span>
          <span className="value">{formatGrouped(view.vaultCredits, view.creditDecimals)} credits</span>
        </div>
        <div className="stat">
          <span className="label">In a market sale</span>
          <span className="value">{formatGrouped(view.saleCredits, view.creditDecimals)}</span>
        </div>
        <div className="stat">
          <span className="label">Seized / recovered</span>
          <span className="value">
            {formatUnits(view.loan.creditsSeized, view.creditDecimals)} / {formatGrouped(view.loan.recovered, view.quoteDecimals)}
          </span>
        </div>
      </div>
      {view.lenderFreeze && <p>The lender's freeze is in force: the borrower cannot move credits out of the vault.</p>}
      {view.collateralFrozen ? (
        <div data-testid="collateral-frozen" data-accounts={frozen.map((h) => h.address).join(',')}>
          <p>
            <span className="badge frozen">frozen</span> This loan holds {frozen.length} account{frozen.length > 1 ? 's' : ''} of the borrower
            frozen:
          </p>
          <ul>
            {frozen.map((h) => (
              <li key={h.address}>
                <span className="mono">{h.address}</span> ({formatUnits(h.amount, view.creditDecimals)} credits)
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted">No account of the borrower is held frozen by this loan.</p>
      )}
    </div>
  );
}

export function LoanPage({ loan }: { loan: string }) {
  let address: Address;
  try {
    address = toAddress(loan);
  } catch {
    return <section data-testid="page-loan"><p className="error">Not a loan address: {loan}</p></section>;
  }
  return <LoanLoaded address={address} />;
}

function LoanLoaded({ address }: { address: Address }) {
  const { rpc } = useConnection();
  // the vault's address comes with the first read; then its balance changes re-read too
  const [vault, setVault] = useState<Address | null>(null);
  const view = useLive(() => loanView(rpc, address), `loan:${address}`, { accounts: [address, vault], mentions: [address] });
  const v = view.data;
  useEffect(() => setVault(v?.loan.vault ?? null), [v?.loan.vault]);
  return (
    <section data-testid="page-loan">
      <h1>
        Loan <span className="mono">{address}</span>
      </h1>
      {view.error && (
        <p className="error">
          {view.error}
          {v && ' (a released loan closes its account: its history stays in its transactions)'}
        </p>
      )}
      {v && view.error && <History loan={address} view={v} />}
      {v && !view.error && (
        <>
          <p>
            Status: <span className={`badge status-${v.status}`} data-testid="loan-status">{v.status}</span>
            {v.uncranked && <span className="muted"> (an installment is past due: the next crank updates the status)</span>}
            {' · '}borrower <span className="mono">{v.borrower}</span> · lender <span className="mono">{v.lender}</span>
          </p>
          <Terms view={v} />
          <LoanActions view={v} />
          <div className="grid">
            <Coverage view={v} />
            <Collateral view={v} />
          </div>
          <Schedule view={v} />
          <div className="grid">
            <History loan={address} view={v} />
            <BurnRate holder={v.borrower} decimals={v.creditDecimals} />
          </div>
        </>
      )}
    </section>
  );
}
