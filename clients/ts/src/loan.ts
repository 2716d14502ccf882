// A loan as its borrower and lender read it (the app's loan page): terms, the STORED status and
// ledger, the schedule marked paid | due | upcoming as `credit_client::read::schedule_rows` marks
// it, the vault, coverage at price − confidence (valuation.ts) and the accounts the loan holds.
//
// Unlike `app loan show`, nothing here accrues the ledger to now: the stored ledger is what the
// program last wrote. An installment whose due time has passed but that no crank (`update_loan`,
// any payment) has charged yet is an `upcoming` row flagged `overdue`, and `uncranked` says the
// chain is behind; debt and coverage are the stored debt's.
import { fetchEncodedAccounts, type Address, type Rpc, type SolanaRpcApi } from '@solana/kit';
import { getCreditClassDecoder, type CreditClass } from './generated/accounts/creditClass.ts';
import { getLoanDecoder, type Loan } from './generated/accounts/loan.ts';
import { getPriceFeedDecoder } from './generated/accounts/priceFeed.ts';
import { COMPUTE_CREDITS_PROGRAM_ADDRESS } from './generated/programs/index.ts';
import type { LedgerData } from './generated/types/ledgerData.ts';
import { fullSchedule, scheduleKindFromCode, type ScheduleKind } from './math/schedule.ts';
import { priceFeedAddress } from './pda.ts';
import { decodeTokenAccount } from './token.ts';
import { collateralValue, covers, coverageBpsFloor, type FeedPrice, type PriceBand, type Refusal } from './valuation.ts';

/** `credit_math::ledger::LoanStatus`, by the program's names, in discriminant order. */
export const LOAN_STATUS_NAMES = [
  'Offered',
  'Current',
  'MarginCall',
  'Delinquent',
  'Liquidatable',
  'Defaulted',
  'Repaid',
  'Liquidated',
] as const;
export type LoanStatusName = (typeof LOAN_STATUS_NAMES)[number];

/** The status byte's name; an unknown byte is named `Unknown(<byte>)`. */
export const loanStatusName = (code: number): LoanStatusName | `Unknown(${number})` => LOAN_STATUS_NAMES[code] ?? `Unknown(${code})`;

export type InstallmentState = 'paid' | 'due' | 'upcoming';

/** One installment as originated, its due time and where it stands in the stored ledger. */
export type InstallmentRow = {
  /** 1-based. */
  k: number;
  dueTs: bigint;
  principal: bigint;
  interest: bigint;
  state: InstallmentState;
  /** Upcoming in the stored ledger although its due time has passed: not yet charged by a crank. */
  overdue: boolean;
};

const I64_MAX = (1n << 63n) - 1n;

/** `LoanLedger::due_ts`: installment `k` falls due at `start_ts + k * period_secs` (i64::MAX past i64). */
export function dueTs(ledger: Pick<LedgerData, 'startTs' | 'periodSecs'>, k: number): bigint {
  const t = ledger.startTs + BigInt(ledger.periodSecs) * BigInt(k);
  return t > I64_MAX ? I64_MAX : t;
}

/**
 * `read::schedule_rows` on the stored ledger: the schedule as originated (D's `fullSchedule`),
 * the first `periods_accrued` installments charged; the unpaid amount charged so far
 * (`principal_due + interest_due`) covers the latest charged installments first, so those are
 * due and the earlier ones paid. Terms the schedule refuses give no rows, as in Rust. With `now`
 * (cluster time), upcoming rows whose due time has passed are flagged `overdue`.
 */
export function scheduleRows(ledger: LedgerData, now?: bigint): InstallmentRow[] {
  const kind = scheduleKindFromCode(ledger.schedule);
  if (!kind) return [];
  let installments;
  try {
    installments = fullSchedule({ principal: ledger.principal, aprBps: ledger.aprBps, periods: ledger.periods, kind });
  } catch {
    return [];
  }
  const rows: InstallmentRow[] = installments.map((r, i) => ({
    k: i + 1,
    dueTs: dueTs(ledger, i + 1),
    principal: r.principal,
    interest: r.interest,
    state: 'upcoming',
    overdue: false,
  }));
  let unpaid = ledger.principalDue + ledger.interestDue;
  for (const row of rows.slice(0, ledger.periodsAccrued).reverse()) {
    row.state = unpaid > 0n ? 'due' : 'paid';
    const total = row.principal + row.interest;
    unpaid = unpaid > total ? unpaid - total : 0n;
  }
  if (now !== undefined) for (const row of rows) row.overdue = row.state === 'upcoming' && row.dueTs <= now;
  return rows;
}

/** A threshold of coverage and whether the collateral meets it (null: the loan has none, 0 bps). */
export type CoverageLine = { bps: number; covered: boolean | null };

export type Coverage =
  | {
      known: true;
      /** The feed's checked band; collateral is valued at `mantissa - conf`. */
      band: PriceBand;
      /** Vault credits valued at the band's low side, in quote atoms (floor). */
      value: bigint;
      /** Value over stored debt in bps (floor); null without debt. */
      bps: bigint | null;
      maintenance: CoverageLine;
      liquidation: CoverageLine;
    }
  | { known: false; reason: Refusal; maintenance: CoverageLine; liquidation: CoverageLine };

/** An account the loan holds frozen (a borrower's credit account). */
export type HeldAccount = { address: Address; exists: boolean; frozen: boolean; amount: bigint };

export type LoanView = {
  address: Address;
  loan: Loan;
  lender: Address;
  borrower: Address;
  class: Address;
  kind: 'financing' | 'credit-backed';
  scheduleKind: ScheduleKind | undefined;
  /** The ledger the account stores (terms and balances). */
  ledger: LedgerData;
  statusCode: number;
  status: ReturnType<typeof loanStatusName>;
  /** principal outstanding + interest due + fees due, as stored. */
  debt: bigint;
  schedule: InstallmentRow[];
  /** Some installment is past due but uncharged: the stored status predates it (no crank yet). */
  uncranked: boolean;
  /** Cluster time (Clock sysvar) the view was computed at. */
  now: bigint;
  vaultCredits: bigint;
  /** Credits of the vault in a market sale (the lender's `sell`). */
  saleCredits: bigint;
  coverage: Coverage;
  creditDecimals: number;
  quoteDecimals: number;
  held: HeldAccount[];
  /** Any held account is token-frozen. */
  collateralFrozen: boolean;
  /** The lender's freeze is in force (`loan.frozen`). */
  lenderFreeze: boolean;
};

/** What a loan view is computed from (all read in one round trip by `loanView`). */
export type LoanViewInputs = {
  address: Address;
  loan: Loan;
  class: Pick<CreditClass, 'decimals' | 'quoteDecimals'>;
  feed: FeedPrice | undefined;
  vaultCredits: bigint;
  now: bigint;
  held: HeldAccount[];
};

function line(bps: number, value: bigint | undefined, debt: bigint): CoverageLine {
  return { bps, covered: bps === 0 || value === undefined ? null : covers(value, debt, bps) };
}

/** The loan view from decoded accounts (pure). */
export function loanViewFrom(i: LoanViewInputs): LoanView {
  const g = i.loan.ledger;
  const debt = g.principalOutstanding + g.interestDue + g.feesDue;
  const schedule = scheduleRows(g, i.now);
  const valued = collateralValue(i.loan.class, i.class, i.feed, i.vaultCredits, i.now);
  const value = valued.ok ? valued.value : undefined;
  const lines = { maintenance: line(g.maintenanceBps, value, debt), liquidation: line(g.liquidationBps, value, debt) };
  const coverage: Coverage = valued.ok
    ? { known: true, band: valued.band, value: valued.value, bps: debt > 0n ? coverageBpsFloor(valued.value, debt) : null, ...lines }
    : { known: false, reason: valued.refusal, ...lines };
  return {
    address: i.address,
    loan: i.loan,
    lender: i.loan.lender,
    borrower: i.loan.borrower,
    class: i.loan.class,
    kind: i.loan.kind === 1 ? 'credit-backed' : 'financing',
    scheduleKind: scheduleKindFromCode(g.schedule),
    ledger: g,
    statusCode: g.status,
    status: loanStatusName(g.status),
    debt,
    schedule,
    uncranked: schedule.some((r) => r.overdue),
    now: i.now,
    vaultCredits: i.vaultCredits,
    saleCredits: i.loan.saleCredits,
    coverage,
    creditDecimals: i.class.decimals,
    quoteDecimals: i.class.quoteDecimals,
    held: i.held,
    collateralFrozen: i.held.some((h) => h.frozen),
    lenderFreeze: i.loan.frozen === 1,
  };
}

const CLOCK_SYSVAR = 'SysvarC1ock11111111111111111111111111111111' as Address;

/**
 * Reads loan `address` with its class, the class's feed, the vault, the held accounts and the
 * cluster clock (two `getMultipleAccounts`) and computes its view at the cluster's time.
 */
export async function loanView(
  rpc: Rpc<SolanaRpcApi>,
  address: Address,
  o?: { programAddress?: Address },
): Promise<LoanView> {
  const program = o?.programAddress ?? COMPUTE_CREDITS_PROGRAM_ADDRESS;
  const [loanAcc] = await fetchEncodedAccounts(rpc, [address]);
  if (!loanAcc?.exists) throw new Error(`account ${address} does not exist`);
  if (loanAcc.programAddress !== program) throw new Error(`account ${address} is owned by ${loanAcc.programAddress}, not by the program ${program}`);
  const loan = getLoanDecoder().decode(loanAcc.data);
  const heldKeys = loan.held.slice(0, loan.heldCount);
  const feedKey = await priceFeedAddress(loan.class, o);
  const [classAcc, feedAcc, vaultAcc, clockAcc, ...heldAccs] = await fetchEncodedAccounts(rpc, [
    loan.class,
    feedKey,
    loan.vault,
    CLOCK_SYSVAR,
    ...heldKeys,
  ]);
  if (!classAcc?.exists || classAcc.programAddress !== program) throw new Error(`class ${loan.class} of loan ${address} is missing`);
  if (!clockAcc?.exists) throw new Error('Clock sysvar missing');
  const feed = feedAcc?.exists && feedAcc.programAddress === program ? getPriceFeedDecoder().decode(feedAcc.data) : undefined;
  const vault = vaultAcc?.exists ? decodeTokenAccount(vaultAcc.data) : undefined;
  const now = new DataView(clockAcc.data.buffer, clockAcc.data.byteOffset).getBigInt64(32, true);
  const held = heldKeys.map((key, n): HeldAccount => {
    const acc = heldAccs[n];
    const t = acc?.exists ? decodeTokenAccount(acc.data) : undefined;
    return { address: key, exists: t !== undefined, frozen: t?.frozen ?? false, amount: t?.amount ?? 0n };
  });
  return loanViewFrom({
    address,
    loan,
    class: getCreditClassDecoder().decode(classAcc.data),
    feed,
    vaultCredits: vault?.amount ?? 0n,
    now,
    held,
  });
}
