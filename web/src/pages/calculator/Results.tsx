// The calculator's figures, each element's text exactly as `app calculate` prints it; the
// atoms and basis points ride along in data attributes.
import type { CalculatorFigures } from '@compute-credits/client';

function Figure({ label, testId, text, atoms, note }: { label: string; testId: string; text: string; atoms?: bigint; note?: string }) {
  return (
    <div className="stat">
      <span className="label">{label}</span>
      <span className="value">
        <span data-testid={testId} data-atoms={atoms?.toString()}>
          {text}
        </span>
      </span>
      {note && <span className="calc-sub muted">{note}</span>}
    </div>
  );
}

export function Results({ figures: f }: { figures: CalculatorFigures }) {
  const d = f.display;
  return (
    <div className="card">
      <p className="calc-summary">
        Financing {d.principal} at{' '}
        <span data-testid="calc-multiplier-used" data-bps={f.multiplierBps} data-from-table={String(f.multiplierFromTable)}>
          {d.multiplier}
        </span>
        x{f.multiplierFromTable ? ' (from the table)' : ''}, {d.apr} APR, {f.months} months, {d.schedule}
      </p>
      <div className="stats calc-stats">
        <Figure label="Credits issued (value)" testId="calc-credits" text={d.creditsValue} atoms={f.creditsValue} />
        <Figure label="Total interest" testId="calc-interest" text={d.totalInterest} atoms={f.totalInterest} />
        <Figure label="Net credit value" testId="calc-net" text={d.netCreditValue} atoms={f.netCreditValue} />
        <div className="stat">
          <span className="label">Effective cost reduction</span>
          <span className="value">
            <span data-testid="calc-reduction" data-bps={f.costReductionBps.toString()}>
              {d.costReduction}
            </span>
          </span>
          <span className="calc-sub muted">1 − 1/multiplier</span>
        </div>
        <Figure
          label="First installment"
          testId="calc-first"
          text={d.firstInstallment}
          atoms={f.firstInstallment}
          note={`interest ${d.firstInterest} + principal ${d.firstPrincipal}`}
        />
        <Figure label="Last installment" testId="calc-last" text={d.lastInstallment} atoms={f.lastInstallment} />
        {d.breakEvenMonthlySpend !== undefined ? (
          <Figure
            label="Break-even monthly spend"
            testId="calc-break-even"
            text={d.breakEvenMonthlySpend}
            atoms={f.breakEvenMonthlySpend}
            note={`average interest ${d.monthlyInterest} a month ÷ cost reduction`}
          />
        ) : (
          <div className="stat">
            <span className="label">Break-even monthly spend</span>
            <span className="value muted">none</span>
            <span className="calc-sub muted">a multiplier of 1x or less saves nothing</span>
          </div>
        )}
      </div>
      {d.saving !== undefined && d.monthlySpend !== undefined && (
        <p className={`calc-verdict ${f.paysForItself ? 'calc-pays' : 'calc-below'}`}>
          At {d.monthlySpend} a month: saving{' '}
          <span data-testid="calc-saving" data-atoms={f.saving?.toString()}>
            {d.saving}
          </span>{' '}
          vs interest <span data-testid="calc-monthly-interest">{d.monthlyInterest}</span> a month (
          {f.paysForItself ? 'the financing pays for itself' : 'below break-even'})
        </p>
      )}
    </div>
  );
}
