// The seeded world the integration tests run against: `CREDITS_WORLD` names the world.json that
// `app localnet --seed <DIR>` writes (addresses, role wallets with keypair files); `APP_BIN` the
// CLI the reads are compared with. Transactions are built by this client (actions/ +
// prepareTransaction), signed here with the role's keypair as a wallet would, and sent with
// sendSigned over the world's RPC and websocket.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  address,
  createKeyPairFromBytes,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  getTransactionDecoder,
  getTransactionEncoder,
  signTransaction,
  type Address,
  type Instruction,
  type Signature,
} from '@solana/kit';
import { prepareTransaction, sendSigned, type Progress } from '../../src/tx.ts';

const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: npm run test:world needs CREDITS_WORLD=<world.json> and APP_BIN=<app binary>`);
  return v;
};

export const ROLES = ['admin', 'guardian', 'underwriter', 'provider', 'holder', 'borrower', 'lender', 'trader', 'maker'] as const;
export type Role = (typeof ROLES)[number];

type WorldJson = {
  rpcUrl: string;
  wsUrl: string;
  programId: string;
  quoteMint: string;
  class: string;
  creditMint: string;
  feed: string;
  market: string;
  treasury: string;
  loans: { defaulted: string; current: string };
  channel: { address: string; vault: string };
  wallets: Record<Role, { address: string; keypair: string }>;
};

export const world = JSON.parse(readFileSync(need('CREDITS_WORLD'), 'utf8')) as WorldJson;
export const APP_BIN = need('APP_BIN');
export const rpc = createSolanaRpc(world.rpcUrl);
export const rpcSubscriptions = createSolanaRpcSubscriptions(world.wsUrl);
export const programAddress = address(world.programId);
export const wallet = (role: Role): Address => address(world.wallets[role].address);

/** `APP_BIN <args> --output json` against the world's RPC, parsed. */
export function app<T = any>(...args: string[]): T {
  const r = spawnSync(APP_BIN, ['-u', world.rpcUrl, '-k', world.wallets.admin.keypair, '--output', 'json', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`app ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

const keyPairs = new Map<Role, CryptoKeyPair>();
async function keyPair(role: Role): Promise<CryptoKeyPair> {
  let kp = keyPairs.get(role);
  if (!kp) {
    kp = await createKeyPairFromBytes(new Uint8Array(JSON.parse(readFileSync(world.wallets[role].keypair, 'utf8')) as number[]));
    keyPairs.set(role, kp);
  }
  return kp;
}

/** What a wallet does with `solana:signTransaction`: wire bytes in, signed wire bytes out. */
export async function signAs(role: Role, wire: Uint8Array): Promise<Uint8Array> {
  const tx = getTransactionDecoder().decode(wire);
  const signed = await signTransaction([await keyPair(role)], tx);
  return new Uint8Array(getTransactionEncoder().encode(signed));
}

/** Prepare (simulate, unit limit), sign as `role` (the fee payer), send and confirm; the progress seen. */
export async function act(role: Role, instructions: Instruction[]): Promise<{ signature: Signature; progress: Progress[] }> {
  const wire = await prepareTransaction(rpc, wallet(role), instructions);
  const progress: Progress[] = [];
  const signature = await sendSigned(rpc, rpcSubscriptions, await signAs(role, wire), (p) => progress.push(p));
  return { signature, progress };
}

/** JSON with BigInts as decimal strings (for comparing with the CLI's numbers). */
export const plain = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));
