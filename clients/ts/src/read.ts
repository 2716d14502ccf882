// Reading the protocol over kit's JSON-RPC (crates/credit-client/src/read.rs): every account of
// a kind by discriminator (and a key), classes with their mints' Token-2022 metadata, a
// wallet's credit holdings with who holds each frozen account, loans, markets, and events
// from recent transactions' logs.
import {
  address as toAddress,
  fetchEncodedAccount,
  fetchEncodedAccounts,
  getAddressEncoder,
  getBase58Decoder,
  getBase64Encoder,
  type Address,
  type Base58EncodedBytes,
  type ReadonlyUint8Array,
  type Rpc,
  type Signature,
  type SolanaRpcApi,
} from '@solana/kit';
import { CREDIT_CLASS_DISCRIMINATOR, getCreditClassDecoder, type CreditClass } from './generated/accounts/creditClass.ts';
import { getLoanDecoder, LOAN_DISCRIMINATOR, type Loan } from './generated/accounts/loan.ts';
import { MARKET_V2_DISCRIMINATOR } from './generated/accounts/marketV2.ts';
import { COMPUTE_CREDITS_PROGRAM_ADDRESS } from './generated/programs/index.ts';
import { eventsFromLogs, type ComputeCreditsEvent } from './events.ts';
import { decodeMarket, type MarketState } from './market.ts';
import { freezeHoldAddress, TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from './pda.ts';
import { decodeMint, decodeTokenAccount, type TokenMetadata } from './token.ts';

export type ReadOptions = { programAddress?: Address };
const programOf = (o?: ReadOptions) => o?.programAddress ?? COMPUTE_CREDITS_PROGRAM_ADDRESS;
const b58 = getBase58Decoder();
const b64 = getBase64Encoder();
const memcmp = (offset: number, bytes: ReadonlyUint8Array) => ({
  memcmp: { offset: BigInt(offset), bytes: b58.decode(bytes) as Base58EncodedBytes, encoding: 'base58' as const },
});

/** Offsets of the keys a loan is found by (discriminator included). */
export const LOAN_LENDER_OFFSET = 8;
export const LOAN_BORROWER_OFFSET = 40;

/** Every account of `program` matching `filters`, with its bytes. */
export async function programAccounts(
  rpc: Rpc<SolanaRpcApi>,
  program: Address,
  filters: ReturnType<typeof memcmp>[],
): Promise<{ address: Address; data: ReadonlyUint8Array }[]> {
  const found = await rpc.getProgramAccounts(program, { encoding: 'base64', filters }).send();
  return found.map((a) => ({ address: a.pubkey, data: b64.encode(a.account.data[0]) }));
}

/** A credit class as the app shows it: the account plus its mint's supply and metadata. */
export type ClassInfo = {
  address: Address;
  classId: number;
  state: CreditClass;
  /** The compute one credit stands for (the class's `unit`). */
  unit: string;
  name: string;
  symbol: string;
  uri: string;
  metadata?: TokenMetadata;
  decimals: number;
  quoteDecimals: number;
  supply: bigint;
  paused: boolean;
  /** Quote atoms per whole credit (used while no feed prices purchases). */
  listPrice: bigint;
  creditMint: Address;
  quoteMint: Address;
};

const unitOf = (c: CreditClass) => new TextDecoder().decode(c.unit.subarray(0, Math.min(c.unitLen, c.unit.length)));

/** Every class, by id, with its mint's supply and Token-2022 metadata. */
export async function fetchClasses(rpc: Rpc<SolanaRpcApi>, o?: ReadOptions): Promise<ClassInfo[]> {
  const raw = await programAccounts(rpc, programOf(o), [memcmp(0, CREDIT_CLASS_DISCRIMINATOR)]);
  const classes = raw.map((a) => ({ address: a.address, state: getCreditClassDecoder().decode(a.data) }));
  const mints = classes.length ? await fetchEncodedAccounts(rpc, classes.map((c) => c.state.creditMint)) : [];
  return classes
    .map(({ address, state }, i) => {
      const m = mints[i]?.exists ? decodeMint(mints[i].data) : undefined;
      return {
        address,
        classId: state.classId,
        state,
        unit: unitOf(state),
        name: m?.metadata?.name ?? '',
        symbol: m?.metadata?.symbol ?? '',
        uri: m?.metadata?.uri ?? '',
        metadata: m?.metadata,
        decimals: state.decimals,
        quoteDecimals: state.quoteDecimals,
        supply: m?.supply ?? state.minted - state.burned,
        paused: state.paused !== 0,
        listPrice: state.listPrice,
        creditMint: state.creditMint,
        quoteMint: state.quoteMint,
      };
    })
    .sort((a, b) => a.classId - b.classId);
}

/** Who holds a frozen credit account: the guardian and/or loans (by address). */
export type Holds = { guardian: boolean; loans: Address[] };
/** `guardian`, `loan <address>`: the sources the app lists. */
export const holdSources = (h: Holds) => [...(h.guardian ? ['guardian'] : []), ...h.loans.map((l) => `loan ${l}`)];

export type CreditAccount = { address: Address; amount: bigint; frozen: boolean; holds: Holds };
export type Holding = { class: ClassInfo; accounts: CreditAccount[]; balance: bigint; frozen: boolean; holds: Holds };

/** FreezeHold: account, owner, credit mint, then `loans: u16`, `guardian: u8` (state/holds.rs). */
const FREEZE_HOLD_DISCRIMINATOR = new Uint8Array([193, 136, 224, 27, 185, 218, 120, 228]);
export function decodeFreezeHold(data: ReadonlyUint8Array): { loans: number; guardian: boolean } | undefined {
  if (data.length < 112 || !FREEZE_HOLD_DISCRIMINATOR.every((b, i) => data[i] === b)) return undefined;
  return { loans: data[104]! | (data[105]! << 8), guardian: data[106] !== 0 };
}

/** Token accounts of `owner` under both token programs (owner at byte 32 in both). */
export async function tokenAccountsOf(rpc: Rpc<SolanaRpcApi>, owner: Address) {
  const key = getAddressEncoder().encode(owner);
  const out: { address: Address; mint: Address; amount: bigint; frozen: boolean }[] = [];
  for (const program of [TOKEN_PROGRAM_ADDRESS, TOKEN_2022_PROGRAM_ADDRESS]) {
    for (const a of await programAccounts(rpc, program, [memcmp(32, key)])) {
      const t = decodeTokenAccount(a.data);
      if (t && t.owner === owner) out.push({ address: a.address, mint: t.mint, amount: t.amount, frozen: t.frozen });
    }
  }
  return out;
}

/**
 * Every class with `owner`'s credit accounts of it: balances, frozen, and who holds each frozen
 * account (the guardian flag of its FreezeHold record; the owner's loans that list it as held).
 */
export async function fetchHoldings(rpc: Rpc<SolanaRpcApi>, owner: Address, o?: ReadOptions): Promise<Holding[]> {
  const [classes, accounts] = await Promise.all([fetchClasses(rpc, o), tokenAccountsOf(rpc, owner)]);
  const mints = new Set(classes.map((c) => c.creditMint));
  const credit = accounts.filter((a) => mints.has(a.mint));
  const frozen = credit.filter((a) => a.frozen);
  const holdRecords = frozen.length
    ? await fetchEncodedAccounts(rpc, await Promise.all(frozen.map((a) => freezeHoldAddress(a.address, o))))
    : [];
  const loans = frozen.length ? await fetchLoans(rpc, { borrower: owner }, o) : [];
  const holdsOf = (account: Address, i: number): Holds => {
    const rec = holdRecords[i]?.exists ? decodeFreezeHold(holdRecords[i].data) : undefined;
    const held = loans.filter((l) => l.state.held.slice(0, l.state.heldCount).includes(account)).map((l) => l.address);
    return { guardian: rec?.guardian ?? false, loans: held };
  };
  const holds = new Map(frozen.map((a, i) => [a.address, holdsOf(a.address, i)]));
  return classes.map((c) => {
    const mine: CreditAccount[] = credit
      .filter((a) => a.mint === c.creditMint)
      .map((a) => ({ address: a.address, amount: a.amount, frozen: a.frozen, holds: holds.get(a.address) ?? { guardian: false, loans: [] } }));
    return {
      class: c,
      accounts: mine,
      balance: mine.reduce((s, a) => s + a.amount, 0n),
      frozen: mine.some((a) => a.frozen),
      holds: {
        guardian: mine.some((a) => a.holds.guardian),
        loans: [...new Set(mine.flatMap((a) => a.holds.loans))],
      },
    };
  });
}

export type LoanAccount = { address: Address; state: Loan };

/** Loans, optionally only those of `lender` and/or `borrower`. */
export async function fetchLoans(
  rpc: Rpc<SolanaRpcApi>,
  by: { lender?: Address; borrower?: Address } = {},
  o?: ReadOptions,
): Promise<LoanAccount[]> {
  const filters = [memcmp(0, LOAN_DISCRIMINATOR)];
  if (by.lender) filters.push(memcmp(LOAN_LENDER_OFFSET, getAddressEncoder().encode(by.lender)));
  if (by.borrower) filters.push(memcmp(LOAN_BORROWER_OFFSET, getAddressEncoder().encode(by.borrower)));
  const raw = await programAccounts(rpc, programOf(o), filters);
  return raw.map((a) => ({ address: a.address, state: getLoanDecoder().decode(a.data) }));
}

/** Every market, decoded with its seats. */
export async function fetchMarkets(rpc: Rpc<SolanaRpcApi>, o?: ReadOptions): Promise<{ address: Address; market: MarketState }[]> {
  const raw = await programAccounts(rpc, programOf(o), [memcmp(0, MARKET_V2_DISCRIMINATOR)]);
  return raw.map((a) => ({ address: a.address, market: decodeMarket(a.data) }));
}

/** The market at `address`. */
export async function fetchMarket(rpc: Rpc<SolanaRpcApi>, address: Address): Promise<MarketState> {
  const acc = await fetchEncodedAccount(rpc, address);
  if (!acc.exists) throw new Error(`account ${address} does not exist`);
  return decodeMarket(acc.data);
}

/** The program events of the `limit` most recent successful transactions naming `address`, newest first. */
export async function recentEvents(
  rpc: Rpc<SolanaRpcApi>,
  address: Address,
  limit: number,
): Promise<{ signature: Signature; blockTime: bigint | null; events: ComputeCreditsEvent[] }[]> {
  const sigs = await rpc.getSignaturesForAddress(address, { limit, commitment: 'confirmed' }).send();
  const out = [];
  for (const s of sigs.filter((s) => s.err === null)) {
    const tx = await rpc
      .getTransaction(s.signature, { encoding: 'base64', commitment: 'confirmed', maxSupportedTransactionVersion: 0 })
      .send();
    // surfpool 1.3.1 leaves blockTime null in signature lists (and scaled wrong in getTransaction):
    // its getBlockTime of the slot is right
    const blockTime = s.blockTime ?? (await rpc.getBlockTime(s.slot).send().catch(() => null));
    out.push({ signature: s.signature, blockTime, events: eventsFromLogs(tx?.meta?.logMessages ?? []) });
  }
  return out;
}

/** Recent fills of a market (the trade tape), newest first. */
export async function marketTrades(rpc: Rpc<SolanaRpcApi>, market: Address, limit = 50) {
  const txs = await recentEvents(rpc, market, limit);
  return txs.flatMap(({ signature, blockTime, events }) =>
    events.flatMap((e) => (e.name === 'FillV2' && e.data.market === market ? [{ signature, blockTime, fill: e.data }] : [])).reverse(),
  );
}

/** Recent redemptions naming `address` (a holder or a class), newest first: the burn-rate chart's data. */
export async function redemptions(rpc: Rpc<SolanaRpcApi>, address: Address, limit = 50) {
  const txs = await recentEvents(rpc, address, limit);
  return txs.flatMap(({ signature, blockTime, events }) =>
    events.flatMap((e) => (e.name === 'CreditsRedeemed' ? [{ signature, blockTime, redeemed: e.data }] : [])),
  );
}

/** The cluster's clock (Clock sysvar `unix_timestamp`), as the program sees it. */
export async function clusterNow(rpc: Rpc<SolanaRpcApi>): Promise<bigint> {
  const acc = await fetchEncodedAccount(rpc, toAddress('SysvarC1ock11111111111111111111111111111111'));
  if (!acc.exists) throw new Error('Clock sysvar missing');
  return new DataView(acc.data.buffer, acc.data.byteOffset).getBigInt64(32, true);
}
