import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  address,
  getSolanaErrorFromTransactionError,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SolanaError,
} from '@solana/kit';
import { COMPUTE_CREDITS_PROGRAM_ADDRESS as PROGRAM } from '../src/generated/index.ts';
import { describeExplained, explainError } from '../src/errors.ts';
import { TOKEN_2022_PROGRAM_ADDRESS } from '../src/pda.ts';

const BUDGET = address('ComputeBudget111111111111111111111111111111');

test('a custom code of this program is named from the IDL, through a raw TransactionError', () => {
  const e = explainError({ InstructionError: [1, { Custom: 6060 }] }, { programs: [BUDGET, PROGRAM] });
  assert.deepEqual([e.instruction, e.program, e.code, e.name], [1, PROGRAM, 6060, 'NotLender']);
  assert.equal(describeExplained(e), "NotLender: signer is not the lender of record");
});

test("Anchor's framework codes by number", () => {
  assert.equal(explainError({ InstructionError: [0, { Custom: 2006 }] }, { programs: [PROGRAM] }).name, 'ConstraintSeeds');
  const e = explainError({ InstructionError: [0, { Custom: 3012 }] }, { programs: [PROGRAM] });
  assert.equal(e.name, 'AccountNotInitialized');
  assert.match(e.message, /expected this account to be already initialized/);
});

test('a preflight failure: logs from the outer error, the innermost failing program named (a Token-2022 error in our instruction)', () => {
  const logs = [
    `Program ${PROGRAM} invoke [1]`,
    `Program ${TOKEN_2022_PROGRAM_ADDRESS} invoke [2]`,
    'Program log: Error: Account is frozen',
    `Program ${TOKEN_2022_PROGRAM_ADDRESS} failed: custom program error: 0x11`,
    `Program ${PROGRAM} failed: custom program error: 0x11`,
  ];
  const cause = getSolanaErrorFromTransactionError({ InstructionError: [2, { Custom: 17 }] });
  const outer = new SolanaError(SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE, {
    accounts: null, logs, returnData: null, unitsConsumed: 4_000n, cause,
  } as never);
  const e = explainError(outer);
  assert.deepEqual([e.instruction, e.program, e.code, e.name], [2, TOKEN_2022_PROGRAM_ADDRESS, 17, 'AccountFrozen']);
  assert.equal(e.logs.length, 5);
});

test('an unknown program keeps the raw code; non-custom errors are named', () => {
  const other = address('9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin');
  const e = explainError({ InstructionError: [0, { Custom: 6060 }] }, { programs: [other] });
  assert.deepEqual([e.name, e.message], ['Custom', 'custom program error 0x17ac']);
  assert.equal(explainError('BlockhashNotFound').name, 'BlockhashNotFound');
  assert.equal(explainError({ InstructionError: [0, 'MissingRequiredSignature'] }).name, 'MissingRequiredSignature');
  assert.deepEqual(explainError(new Error('socket hang up')), { name: 'Error', message: 'socket hang up', logs: [] });
});

test("a non-custom failure carries the runtime's reason from the logs (a transaction out of compute units)", () => {
  const logs = [
    `Program ${PROGRAM} invoke [1]`,
    `Program ${PROGRAM} consumed 2156 of 2156 compute units`,
    `Program ${PROGRAM} failed: exceeded CUs meter at BPF instruction`,
  ];
  const e = explainError({ InstructionError: [2, 'ProgramFailedToComplete'] }, { logs, programs: [BUDGET, BUDGET, PROGRAM] });
  assert.equal(e.name, 'ProgramFailedToComplete');
  assert.match(e.message, /: exceeded CUs meter at BPF instruction$/);
  assert.equal(e.program, PROGRAM);
});

test('an error raised by a nested copy of @solana/errors is still recognised (npm nests one per kit package)', async () => {
  // the lockfile's layout: @solana/rpc carries its own copy (a path, so typed loosely)
  const copy: string = '../node_modules/@solana/rpc/node_modules/@solana/errors/dist/index.node.mjs';
  const nested = await import(copy).catch(() => undefined);
  assert.ok(nested, 'kit 8.4.0 installs @solana/rpc with its own @solana/errors');
  const cause = new nested.SolanaError(nested.SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM, { code: 6097, index: 0 });
  assert.ok(!(cause instanceof SolanaError), 'another class than kit\'s');
  const outer = new nested.SolanaError(SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE, { cause, logs: [] });
  const e = explainError(outer, { programs: [PROGRAM] });
  assert.deepEqual([e.name, e.code], ['OrderNotFound', 6097]);
});
