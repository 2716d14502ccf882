// Loans of the connected wallet, as borrower and as lender; a row opens the loan's page.
import type { Address } from '@solana/kit';
import { fetchLoans, type LoanSummary } from '@compute-credits/client';
import { useConnection } from '../connection';
import { useWallet } from '../wallet/WalletContext';
import { useLive } from '../live/useLive';
import { formatBps, formatGrouped, shortAddress } from '../format';

type Role = 'borrower' | 'lender';

function LoanTable({ role, owner }: { role: Role; owner: Address }) {
  const { rpc } = useConnection();
  const loans = useLive(
    () => fetchLoans(rpc, role === 'borrower' ? { borrower: owner } : { lender: owner }),
    `loans:${role}:${owner}`,
    { mentions: [owner] },
  );
  const rows: LoanSummary[] = loans.data ?? [];
  return (
    <div className="card">
      <h2>As {role}</h2>
      {loans.error && <p className="error">{loans.error}</p>}
      <table>
        <thead>
          <tr>
            <th>Loan</th><th>{role === 'borrower' ? 'Lender' : 'Borrower'}</th><th>Status</th>
            <th className="num">Principal</th><th className="num">Outstanding</th><th className="num">APR</th><th className="num">Periods</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => (
            <tr
              key={l.address}
              className="clickable"
              data-testid="loan-row"
              data-loan={l.address}
              data-role={role}
              onClick={() => (window.location.hash = `#/loans/${l.address}`)}
            >
              <td><a href={`#/loans/${l.address}`} className="mono">{shortAddress(l.address)}</a></td>
              <td className="mono">{shortAddress(role === 'borrower' ? l.loan.lender : l.loan.borrower)}</td>
              <td><span className={`badge status-${l.status}`}>{l.status}</span></td>
              <td className="num">{formatGrouped(l.loan.ledger.principal, l.loan.quoteDecimals)}</td>
              <td className="num">{formatGrouped(l.loan.ledger.principalOutstanding, l.loan.quoteDecimals)}</td>
              <td className="num">{formatBps(l.loan.ledger.aprBps)}</td>
              <td className="num">{l.loan.ledger.periods}</td>
            </tr>
          ))}
          {rows.length === 0 && !loans.loading && (
            <tr><td colSpan={7} className="muted">No loans as {role}.</td></tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

export function Loans() {
  const { owner } = useWallet();
  return (
    <section data-testid="page-loans">
      <h1>Loans</h1>
      {!owner && <p className="muted">Connect a wallet to see its loans as borrower and as lender.</p>}
      {owner && (
        <>
          <LoanTable role="borrower" owner={owner} />
          <LoanTable role="lender" owner={owner} />
        </>
      )}
    </section>
  );
}
