// The installments as originated, each row with its atoms in data attributes.
import { usd, type CalculatorFigures } from '@compute-credits/client';

/// Rows drawn at most (the CLI allows 65,535 months; a page of that many rows helps nobody).
const MAX_ROWS = 600;

export function ScheduleTable({ figures }: { figures: CalculatorFigures }) {
  let balance = figures.principal;
  const rows = figures.installments.slice(0, MAX_ROWS).map((i, k) => {
    balance -= i.principal;
    return { period: k + 1, interest: i.interest, principal: i.principal, total: i.interest + i.principal, balance };
  });
  const hidden = figures.installments.length - rows.length;
  return (
    <table className="calc-table">
      <thead>
        <tr>
          <th>Month</th>
          <th className="num">Installment</th>
          <th className="num">Interest</th>
          <th className="num">Principal</th>
          <th className="num">Balance after</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={r.period}
            data-testid="calc-schedule-row"
            data-period={r.period}
            data-interest={r.interest.toString()}
            data-principal={r.principal.toString()}
          >
            <td>{r.period}</td>
            <td className="num">{usd(r.total)}</td>
            <td className="num">{usd(r.interest)}</td>
            <td className="num">{usd(r.principal)}</td>
            <td className="num">{usd(r.balance)}</td>
          </tr>
        ))}
        {hidden > 0 && (
          <tr>
            <td colSpan={5} className="muted">
              … {hidden.toLocaleString('en-US')} more months
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
