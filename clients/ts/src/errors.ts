// A failed send, simulation or confirmation explained by name and message
// (crates/credit-client/src/errors.rs): the failing instruction, the program that raised the
// error (the innermost `Program <id> failed` in the logs, else the instruction's program),
// its name and message. Custom codes: this program's from the IDL, Anchor's framework codes,
// SPL Token / Token-2022 and System errors; any other program's code is named `Custom`.
import {
  address,
  getSolanaErrorFromTransactionError,
  isSolanaError,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  type Address,
} from '@solana/kit';
import * as kit from '@solana/kit';
import { ANCHOR_ERRORS } from './anchorErrors.ts';
import { COMPUTE_CREDITS_ERROR_TABLE } from './generated/errorTable.ts';
import { COMPUTE_CREDITS_PROGRAM_ADDRESS } from './generated/programs/index.ts';
import { SYSTEM_ERRORS, TOKEN_ERRORS } from './programErrors.ts';
import { TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from './pda.ts';

const SYSTEM_PROGRAM_ADDRESS = address('11111111111111111111111111111111');

export type Explained = {
  /** The failing instruction's index (compute-budget instructions count). */
  instruction?: number;
  program?: Address;
  /** The custom error code, when the error is one. */
  code?: number;
  /** e.g. `NotLender`, `InsufficientFunds`, `BlockhashNotFound`. */
  name: string;
  message: string;
  logs: string[];
};

/** `NotLender: signer is not the loan's lender` (what the app's status line shows). */
export const describeExplained = (e: Explained) => `${e.name}: ${e.message}`;

/** The name and message of custom error `code` raised by `program`, when this client knows the program. */
export function customError(program: Address, code: number, ourProgram: Address = COMPUTE_CREDITS_PROGRAM_ADDRESS) {
  const table =
    program === ourProgram
      ? (COMPUTE_CREDITS_ERROR_TABLE[code] ?? ANCHOR_ERRORS[code])
      : program === TOKEN_PROGRAM_ADDRESS || program === TOKEN_2022_PROGRAM_ADDRESS
        ? TOKEN_ERRORS[code]
        : program === SYSTEM_PROGRAM_ADDRESS
          ? SYSTEM_ERRORS[code]
          : undefined;
  return table ? { name: table[0], message: table[1] } : undefined;
}

/** What the first `Program <id> failed: <reason>` line says, unless it is a custom code. */
export function failureReason(logs: readonly string[]): string | undefined {
  for (const line of logs) {
    const m = /^Program \S+ failed: (.+)$/.exec(line);
    if (m) return /^custom program error/.test(m[1]!) ? undefined : m[1];
  }
  return undefined;
}

/** The innermost program that failed: the first `Program <id> failed: ...` line. */
export function failedProgram(logs: readonly string[]): Address | undefined {
  for (const line of logs) {
    const m = /^Program (\S+) failed/.exec(line);
    if (m) {
      try {
        return address(m[1]!);
      } catch {
        continue;
      }
    }
  }
  return undefined;
}

// kit's error codes by number, for a name when the failure is not a custom code
const KIT_NAMES = new Map<number, string>(
  Object.entries(kit)
    .filter(([k, v]) => /^SOLANA_ERROR__(INSTRUCTION_ERROR|TRANSACTION_ERROR)__/.test(k) && typeof v === 'number')
    .map(([k, v]) => [v as number, k.replace(/^SOLANA_ERROR__(INSTRUCTION_ERROR|TRANSACTION_ERROR)__/, '')]),
);
const pascal = (s: string) => s.toLowerCase().replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

type Options = {
  /** The program of each instruction of the transaction, by index (when the logs name none). */
  programs?: readonly Address[];
  logs?: readonly string[];
  programAddress?: Address;
};

/**
 * Explains a failure: a kit `SolanaError` (send/preflight, simulation, confirmation), a raw
 * `TransactionError` from `getSignatureStatuses`/`getTransaction` (`{ InstructionError: [1, { Custom: 6040 }] }`),
 * or anything else thrown (named `Error`).
 */
export function explainError(e: unknown, o: Options = {}): Explained {
  let logs = [...(o.logs ?? [])];
  let err: unknown = e;
  // preflight: the logs travel on the outer error, the transaction error is its cause
  if (isSolanaError(err, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE)) {
    logs = [...(err.context.logs ?? logs)];
    err = err.cause ?? err;
  }
  // `isSolanaError`, not `instanceof`: kit's packages may each carry their own copy of
  // @solana/errors (npm nests them), so an error from the RPC layer is another class's instance
  if (!isSolanaError(err) && err !== null && (typeof err === 'string' || typeof err === 'object') && !(err instanceof Error)) {
    try {
      err = getSolanaErrorFromTransactionError(err as Parameters<typeof getSolanaErrorFromTransactionError>[0]);
    } catch {
      /* not a transaction error */
    }
  }
  if (!isSolanaError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return { name: err instanceof Error ? err.name : 'Error', message, logs };
  }
  const ctx = err.context as { __code: number; index?: number; code?: number };
  const instruction = typeof ctx.index === 'number' ? ctx.index : undefined;
  const program = failedProgram(logs) ?? (instruction !== undefined ? o.programs?.[instruction] : undefined);
  if (isSolanaError(err, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)) {
    const code = err.context.code;
    // with no program known, a code in our program's ranges is most likely ours
    const known = program ? customError(program, code, o.programAddress) : undefined;
    const guess = program ? undefined : customError(o.programAddress ?? COMPUTE_CREDITS_PROGRAM_ADDRESS, code, o.programAddress);
    const found = known ?? guess;
    return {
      instruction,
      program,
      code,
      name: found?.name ?? 'Custom',
      message: found?.message ?? `custom program error 0x${code.toString(16)}`,
      logs,
    };
  }
  const kitName = KIT_NAMES.get(ctx.__code);
  // the runtime's reason, e.g. `exceeded CUs meter at BPF instruction` behind ProgramFailedToComplete
  const reason = failureReason(logs);
  const message = reason && !err.message.includes(reason) ? `${err.message}: ${reason}` : err.message;
  return { instruction, program, name: kitName ? pascal(kitName) : 'SolanaError', message, logs };
}
