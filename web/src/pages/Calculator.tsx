// The financing calculator: principal, term, tier or multiplier, schedule, APR and monthly
// spend in; credits, interest, net value, effective cost reduction and break-even spend out,
// the same figures and text to the cent as `app calculate` (the client's `calculate`, BigInt,
// tested against the CLI). Pure arithmetic: no wallet, no network.
import { useMemo, useState } from 'react';
import {
  BORROWER_TIER_NAMES,
  CALCULATOR_SCHEDULES,
  calculate,
  CalculatorError,
  type BorrowerTier,
  type CalculatorFigures,
  type CalculatorSchedule,
} from '@compute-credits/client';
import { BalanceChart } from './calculator/BalanceChart';
import { Results } from './calculator/Results';
import { ScheduleTable } from './calculator/ScheduleTable';
import './calculator.css';

const TIER_LABELS: Record<BorrowerTier, string> = {
  'pre-revenue': 'Pre-revenue',
  seed: 'Seed',
  'series-a': 'Series A',
  'series-b-plus': 'Series B+',
};

const SCHEDULE_LABELS: Record<CalculatorSchedule, string> = {
  amortizing: 'Amortizing (level payment)',
  'interest-only': 'Interest-only (balloon)',
  'straight-line': 'Straight-line principal',
};

/// The form as typed: strings, exactly what the CLI's arguments would be.
type Form = {
  principal: string;
  multiplier: string;
  tier: BorrowerTier;
  apr: string;
  months: string;
  schedule: CalculatorSchedule;
  spend: string;
};

/// The seed loan, with the CLI's defaults (Series A, interest-only).
const INITIAL: Form = {
  principal: '1000000',
  multiplier: '',
  tier: 'series-a',
  apr: '10',
  months: '24',
  schedule: 'interest-only',
  spend: '30000',
};

const MAX_MONTHS = 65_535;

type Outcome = { figures: CalculatorFigures } | { error: string };

/// The form's figures, or the refusal in the CLI's words. Empty multiplier and spend mean the
/// CLI's flags left out; months are a u16 as the CLI's `--months`.
function evaluate(form: Form): Outcome {
  const months = form.months.trim();
  if (!/^[0-9]+$/.test(months) || Number(months) > MAX_MONTHS) {
    return { error: `months: a whole number from 0 to ${MAX_MONTHS}, got "${form.months}"` };
  }
  try {
    const figures = calculate({
      principal: form.principal.trim(),
      multiplier: form.multiplier.trim() === '' ? undefined : form.multiplier.trim(),
      tier: form.tier,
      apr: form.apr.trim(),
      months: Number(months),
      schedule: form.schedule,
      monthlySpend: form.spend.trim() === '' ? undefined : form.spend.trim(),
    });
    return { figures };
  } catch (e) {
    if (e instanceof CalculatorError) return { error: e.message };
    throw e;
  }
}

export function Calculator() {
  const [form, setForm] = useState<Form>(INITIAL);
  const outcome = useMemo(() => evaluate(form), [form]);
  const set =
    <K extends keyof Form>(key: K) =>
    (e: { target: { value: string } }) =>
      setForm((f) => ({ ...f, [key]: e.target.value as Form[K] }));

  return (
    <section data-testid="page-calculator" className="calculator">
      <h1>Financing calculator</h1>
      <div className="card">
        <div className="form calc-form">
          <label>
            Principal (USD)
            <input data-testid="calc-principal" inputMode="decimal" value={form.principal} onChange={set('principal')} />
          </label>
          <label>
            Multiplier
            <input
              data-testid="calc-multiplier"
              inputMode="decimal"
              placeholder="from the table"
              value={form.multiplier}
              onChange={set('multiplier')}
            />
          </label>
          <label>
            {form.multiplier.trim() === '' ? 'Borrower tier' : 'Borrower tier (unused: multiplier given)'}
            <select data-testid="calc-tier" value={form.tier} onChange={set('tier')}>
              {BORROWER_TIER_NAMES.map((t) => (
                <option key={t} value={t}>
                  {TIER_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
          <label>
            APR (%)
            <input data-testid="calc-apr" inputMode="decimal" value={form.apr} onChange={set('apr')} />
          </label>
          <label>
            Months
            <input data-testid="calc-months" inputMode="numeric" value={form.months} onChange={set('months')} />
          </label>
          <label>
            Schedule
            <select data-testid="calc-schedule" value={form.schedule} onChange={set('schedule')}>
              {CALCULATOR_SCHEDULES.map((s) => (
                <option key={s} value={s}>
                  {SCHEDULE_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Monthly compute spend (USD)
            <input
              data-testid="calc-spend"
              inputMode="decimal"
              placeholder="optional"
              value={form.spend}
              onChange={set('spend')}
            />
          </label>
        </div>
        <p className="muted calc-note">
          The multiplier comes from the underwriting table (amount tier × term tier × borrower tier) unless you
          give one. Every figure is integer arithmetic on 6-decimal USD atoms, as the program computes it.
        </p>
      </div>
      {'error' in outcome ? (
        <div className="card">
          <p className="error" data-testid="calc-error">
            {outcome.error}
          </p>
        </div>
      ) : (
        <>
          <Results figures={outcome.figures} />
          <div className="card">
            <h2>Balance over the term</h2>
            <BalanceChart figures={outcome.figures} />
          </div>
          <div className="card">
            <h2>Schedule</h2>
            <ScheduleTable figures={outcome.figures} />
          </div>
        </>
      )}
    </section>
  );
}
