// @compute-credits/client: the Codama-generated client plus what the IDL cannot express.
export * from './generated/index.ts';
export * from './pda.ts';
export * from './units.ts';
export * from './market.ts';
export * from './events.ts';
export * from './errors.ts';
export * from './token.ts';
export * from './read.ts';
export * from './actions/index.ts';
export * from './tx.ts';
export * from './math/schedule.ts';
export * from './math/underwriting.ts';
export * from './calculator.ts';
export * from './valuation.ts';
export * from './loan.ts';
export * from './channel.ts';
export * from './purchase.ts';
