// Loan statuses by the program's names (credit_math::ledger::LoanStatus).
const STATUS = ['Offered', 'Current', 'MarginCall', 'Delinquent', 'Liquidatable', 'Defaulted', 'Repaid', 'Liquidated'] as const;

export const statusName = (code: number) => STATUS[code] ?? `Unknown(${code})`;
