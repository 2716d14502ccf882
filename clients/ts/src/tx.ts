// The transaction pipeline of the web app (credit-client's tx.rs rule): build with the latest
// blockhash, simulate once for the units, set the compute-unit limit to simulated + 10% + 1,000,
// hand the unsigned wire bytes to the wallet; then send what it signed over our own RPC and
// confirm by signature subscription, falling back to polling getSignatureStatuses.
import {
  appendTransactionMessageInstructions,
  compileTransaction,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  getSignatureFromTransaction,
  getTransactionDecoder,
  getTransactionEncoder,
  pipe,
  prependTransactionMessageInstruction,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Address,
  type Instruction,
  type Rpc,
  type RpcSubscriptions,
  type Signature,
  type SignatureNotificationsApi,
  type SolanaRpcApi,
} from '@solana/kit';
import { getSetComputeUnitLimitInstruction } from '@solana-program/compute-budget';
import { explainError, type Explained } from './errors.ts';

/** The compute-unit limit for `simulated` units: +10% and 1,000 of margin (tx.rs). */
export const unitLimit = (simulated: bigint) => Number(simulated + simulated / 10n + 1_000n);
/** What a simulation may use (the runtime's per-transaction maximum). */
const SIMULATION_UNITS = 1_400_000;

/** The failure of a transaction, explained (name and message: `NotLender: ...`). */
export class TransactionFailed extends Error {
  constructor(readonly explained: Explained) {
    super(`${explained.name}: ${explained.message}`);
    this.name = 'TransactionFailed';
  }
}

function build(feePayer: Address, instructions: Instruction[], units: number, blockhash: Parameters<typeof setTransactionMessageLifetimeUsingBlockhash>[0]) {
  return compileTransaction(
    pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayer(feePayer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
      (m) => appendTransactionMessageInstructions(instructions, m),
      (m) => prependTransactionMessageInstruction(getSetComputeUnitLimitInstruction({ units }), m),
    ),
  );
}

/**
 * The unsigned wire transaction of `instructions` paid by `feePayer`, with the compute-unit
 * limit from a simulation. A refused simulation throws `TransactionFailed` with the program's
 * error by name, before the wallet is asked to sign.
 */
export async function prepareTransaction(rpc: Rpc<SolanaRpcApi>, feePayer: Address, instructions: Instruction[]): Promise<Uint8Array> {
  const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send();
  const trial = build(feePayer, instructions, SIMULATION_UNITS, blockhash);
  const sim = await rpc
    .simulateTransaction(getBase64EncodedWireTransaction(trial), { encoding: 'base64', sigVerify: false, replaceRecentBlockhash: true, commitment: 'confirmed' })
    .send();
  const programs = [/* the compute-budget instruction */ 'ComputeBudget111111111111111111111111111111' as Address, ...instructions.map((i) => i.programAddress)];
  if (sim.value.err) throw new TransactionFailed(explainError(sim.value.err, { logs: sim.value.logs ?? [], programs }));
  const tx = build(feePayer, instructions, unitLimit(sim.value.unitsConsumed ?? 0n), blockhash);
  return new Uint8Array(getTransactionEncoder().encode(tx));
}

export type Progress = 'sending' | 'confirming' | 'confirmed' | 'failed';

/**
 * Sends the wallet-signed wire transaction over our RPC and waits for confirmation:
 * `signatureNotifications` when `rpcSubscriptions` is given, polling `getSignatureStatuses`
 * every 500 ms either way (whichever sees it first). Throws `TransactionFailed` on failure.
 */
export async function sendSigned(
  rpc: Rpc<SolanaRpcApi>,
  rpcSubscriptions: RpcSubscriptions<SignatureNotificationsApi> | undefined,
  signedBytes: Uint8Array,
  onProgress: (p: Progress, detail?: { signature?: Signature; error?: Explained }) => void = () => {},
  timeoutMs = 60_000,
): Promise<Signature> {
  const tx = getTransactionDecoder().decode(signedBytes);
  const signature = getSignatureFromTransaction(tx);
  const fail = (error: Explained): never => {
    onProgress('failed', { signature, error });
    throw new TransactionFailed(error);
  };
  onProgress('sending', { signature });
  const wire = getBase64EncodedWireTransaction(tx);
  try {
    await rpc.sendTransaction(wire, { encoding: 'base64', preflightCommitment: 'confirmed' }).send();
  } catch (e) {
    fail(explainError(e));
  }
  onProgress('confirming', { signature });
  const abort = new AbortController();
  const deadline = Date.now() + timeoutMs;
  const bySubscription = (async () => {
    if (!rpcSubscriptions) return new Promise<never>(() => {});
    const notes = await rpcSubscriptions.signatureNotifications(signature, { commitment: 'confirmed' }).subscribe({ abortSignal: abort.signal });
    for await (const n of notes) return { err: n.value.err };
    return new Promise<never>(() => {});
  })().catch(() => new Promise<never>(() => {})); // a failed subscription leaves the polling to answer
  const byPolling = (async () => {
    while (Date.now() < deadline) {
      const { value } = await rpc.getSignatureStatuses([signature]).send();
      const s = value[0];
      if (s && (s.err || s.confirmationStatus === 'confirmed' || s.confirmationStatus === 'finalized')) return { err: s.err };
      await new Promise((r) => setTimeout(r, 500));
    }
    return { timeout: true as const };
  })();
  try {
    const result = await Promise.race([bySubscription, byPolling]);
    if ('timeout' in result) fail({ name: 'Timeout', message: `not confirmed within ${timeoutMs / 1000} s`, logs: [] });
    else if (result.err) {
      const logs = await transactionLogs(rpc, signature);
      fail(explainError(result.err, { logs }));
    }
  } finally {
    abort.abort();
  }
  onProgress('confirmed', { signature });
  return signature;
}

async function transactionLogs(rpc: Rpc<SolanaRpcApi>, signature: Signature): Promise<string[]> {
  try {
    const tx = await rpc.getTransaction(signature, { encoding: 'base64', commitment: 'confirmed', maxSupportedTransactionVersion: 0 }).send();
    return [...(tx?.meta?.logMessages ?? [])];
  } catch {
    return [];
  }
}

/** Base64 of wire bytes (what `solana:signTransaction` wallets exchange). */
export const wireToBase64 = (bytes: Uint8Array) => getBase64EncodedWireTransaction(getTransactionDecoder().decode(bytes));
export const base64ToWire = (b64: string) => new Uint8Array(getBase64Encoder().encode(b64));
