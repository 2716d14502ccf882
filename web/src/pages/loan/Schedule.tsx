// The loan's schedule as originated, each installment paid, due or upcoming.
import type { LoanView } from '@compute-credits/client';
import { formatDate, formatGrouped } from '../../format';

export function Schedule({ view }: { view: LoanView }) {
  const decimals = view.quoteDecimals;
  return (
    <div className="card">
      <h2>Schedule</h2>
      <table>
        <thead>
          <tr><th>#</th><th>Due</th><th className="num">Principal</th><th className="num">Interest</th><th className="num">Total</th><th>State</th></tr>
        </thead>
        <tbody>
          {view.schedule.map((row) => (
            <tr key={row.k} data-testid="schedule-row" data-state={row.state}>
              <td>{row.k}</td>
              <td>{formatDate(row.dueTs)}{row.overdue && <span className="muted"> (past due, not yet charged)</span>}</td>
              <td className="num">{formatGrouped(row.principal, decimals)}</td>
              <td className="num">{formatGrouped(row.interest, decimals)}</td>
              <td className="num">{formatGrouped(row.principal + row.interest, decimals)}</td>
              <td><span className={`badge ${row.state}`}>{row.state}</span></td>
            </tr>
          ))}
          {view.schedule.length === 0 && <tr><td colSpan={6} className="muted">No schedule (the loan is not originated).</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
