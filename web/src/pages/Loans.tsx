// Loans of the connected wallet, as borrower and as lender; a row opens the loan's page.
import { useEffect, useState } from 'react';
import type { Address } from '@solana/kit';
import { fetchLoans, loanStatusName, type LoanAccount } from '@compute-credits/client';
import { useConnection } from '../connection';
import { useWallet } from '../wallet/WalletContext';
import { useLive } from '../live/useLive';
import { formatBps, formatGrouped, shortAddress } from '../format';

type Role = 'borrower' | 'lender';

function LoanTable({ role, owner }: { role: Role; owner: Address }) {
  const { rpc } = useConnection();
  // the listed loans' accounts, once read: a crank's status change names neither party
  const [listed, setListed] = useState<Address[]>([]);
  const loans = useLive(
    () => fetchLoans(rpc, role === 'borrower' ? { borrower: owner } : { lender: owner }),
    `loans:${role}:${owner}`,
    { mentions: [owner], accounts: listed },
  );
  const rows: LoanAccount[] = loans.data ?? [];
  const rowKey = rows.map((l) => l.address).join(',');
  useEffect(() => setListed(rowKey ? (rowKey.split(',') as Address[]) : []), [rowKey]);
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
          {rows.map(({ address, state: loan }) => (
            <tr
              key={address}
              className="clickable"
              data-testid="loan-row"
              data-loan={address}
              data-role={role}
              onClick={() => (window.location.hash = `#/loans/${address}`)}
            >
              <td><a href={`#/loans/${address}`} className="mono">{shortAddress(address)}</a></td>
              <td className="mono">{shortAddress(role === 'borrower' ? loan.lender : loan.borrower)}</td>
              <td><span className={`badge status-${loanStatusName(loan.ledger.status)}`}>{loanStatusName(loan.ledger.status)}</span></td>
              <td className="num">{formatGrouped(loan.ledger.principal, loan.quoteDecimals)}</td>
              <td className="num">{formatGrouped(loan.ledger.principalOutstanding, loan.quoteDecimals)}</td>
              <td className="num">{formatBps(loan.ledger.aprBps)}</td>
              <td className="num">{loan.ledger.periods}</td>
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
