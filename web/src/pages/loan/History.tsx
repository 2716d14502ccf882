// The loan's history: its events (offered, originated, payments, status changes, collateral
// moved, frozen, sold, liquidated, closed) from the transactions that name it, newest first.
import type { Address } from '@solana/kit';
import { loanStatusName, recentEvents, type ComputeCreditsEvent, type LoanView } from '@compute-credits/client';
import { useConnection } from '../../connection';
import { useLive } from '../../live/useLive';
import { formatDate, formatGrouped, formatUnits } from '../../format';

const HISTORY = 100;

/** CollateralMoved.direction: 0 withdrawn, 1 topped up, 2 redeemed by a provider. */
const MOVED = ['withdrawn from the vault', 'topped up', 'redeemed from the vault for compute'];

/** One line about an event, in the loan's units. */
function describe(e: ComputeCreditsEvent, view: LoanView): string | null {
  const q = (v: bigint) => formatGrouped(v, view.quoteDecimals);
  const c = (v: bigint) => formatUnits(v, view.creditDecimals);
  switch (e.name) {
    case 'LoanOffered':
      return `offered ${q(e.data.principal)} over ${e.data.periods} periods`;
    case 'LoanOriginated':
      return `originated: ${c(e.data.collateralCredits)} credits of collateral`;
    case 'LoanPayment':
      return `payment: ${q(e.data.principal)} principal, ${q(e.data.interest)} interest, ${q(e.data.fees)} fees`;
    case 'LoanStatusChanged':
      return `${loanStatusName(e.data.from)} → ${loanStatusName(e.data.to)} (debt ${q(e.data.debt)}, collateral ${c(e.data.collateralCredits)})`;
    case 'CollateralMoved':
      return `${MOVED[e.data.direction] ?? 'collateral moved'}: ${c(e.data.amount)} credits (vault ${c(e.data.vaultBalance)})`;
    case 'CreditAccountFreezeChanged':
      return `${e.data.frozen ? 'froze' : 'thawed'} ${e.data.account}`;
    case 'CollateralSold':
      return `sold ${c(e.data.creditsSold)} credits for ${q(e.data.proceeds)}`;
    case 'CollateralLiquidated':
      return `liquidated ${c(e.data.creditsSeized)} credits for ${q(e.data.debtRepaid)} of debt`;
    case 'LoanClosed':
      return `closed as ${loanStatusName(e.data.status)}: ${c(e.data.creditsReleased)} credits released`;
    default:
      return null;
  }
}

export function History({ loan, view }: { loan: Address; view: LoanView }) {
  const { rpc } = useConnection();
  const history = useLive(() => recentEvents(rpc, loan, HISTORY), `history:${loan}`, { mentions: [loan] });
  const rows = (history.data ?? []).flatMap((tx) =>
    tx.events.map((e, i) => ({ key: `${tx.signature}:${i}`, time: tx.blockTime, text: describe(e, view) })),
  );
  return (
    <div className="card">
      <h2>History</h2>
      {history.error && <p className="error">{history.error}</p>}
      <table>
        <tbody>
          {rows
            .filter((r) => r.text)
            .map((r) => (
              <tr key={r.key}>
                <td>{r.time === null ? '—' : formatDate(r.time)}</td>
                <td>{r.text}</td>
              </tr>
            ))}
          {rows.length === 0 && !history.loading && <tr><td className="muted">No events yet.</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
