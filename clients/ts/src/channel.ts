// Metering channels as their holder reads them (the CLI's `channel show` / `channel list`): a
// holder's channels by a memcmp at the generated decoder's holder offset, one channel's view at
// the cluster's time (status, vault, deposited, redeemed of cap, headroom, expiry and notice,
// burn per hour, next sequence number) by the rules of math/channel.ts, and its recent
// batches from the CreditsRedeemed events of the transactions naming it.
import {
  fetchEncodedAccounts,
  getAddressEncoder,
  getBase58Decoder,
  type Address,
  type Base58EncodedBytes,
  type ReadonlyUint8Array,
  type Rpc,
  type Signature,
  type SolanaRpcApi,
} from '@solana/kit';
import {
  getMeteringChannelDecoder,
  METERING_CHANNEL_DISCRIMINATOR,
  type MeteringChannel,
} from './generated/accounts/meteringChannel.ts';
import { COMPUTE_CREDITS_PROGRAM_ADDRESS } from './generated/programs/index.ts';
import {
  burnPerHour,
  channelCanFinalize,
  channelStatus,
  channelHeadroom,
  channelRedeemableUntil,
  channelPeriod,
  usageText,
  type ChannelStatus,
} from './math/channel.ts';
import { programAccounts, recentEvents } from './read.ts';
import { decodeTokenAccount } from './token.ts';

export * from './math/channel.ts';

/** Where the holder's key sits in a channel account: after the 8-byte discriminator, the decoder's first field. */
export const CHANNEL_HOLDER_OFFSET = 8;
/** `holder`, `provider` (its registration), then `providerAuthority`. */
export const CHANNEL_PROVIDER_AUTHORITY_OFFSET = CHANNEL_HOLDER_OFFSET + 64;

export type ChannelAccount = { address: Address; state: MeteringChannel };

const b58 = getBase58Decoder();
const filter = (offset: number, bytes: ReadonlyUint8Array) => ({
  memcmp: { offset: BigInt(offset), bytes: b58.decode(bytes) as Base58EncodedBytes, encoding: 'base58' as const },
});

/** Every channel of `holder` (optionally only to `providerAuthority`), oldest first. */
export async function channelsOf(
  rpc: Rpc<SolanaRpcApi>,
  holder: Address,
  o?: { programAddress?: Address; providerAuthority?: Address },
): Promise<ChannelAccount[]> {
  const key = getAddressEncoder();
  const filters = [filter(0, METERING_CHANNEL_DISCRIMINATOR), filter(CHANNEL_HOLDER_OFFSET, key.encode(holder))];
  if (o?.providerAuthority) filters.push(filter(CHANNEL_PROVIDER_AUTHORITY_OFFSET, key.encode(o.providerAuthority)));
  const raw = await programAccounts(rpc, o?.programAddress ?? COMPUTE_CREDITS_PROGRAM_ADDRESS, filters);
  return raw
    .map((a) => ({ address: a.address, state: getMeteringChannelDecoder().decode(a.data) }))
    .sort((a, b) => (a.state.openedAt < b.state.openedAt ? -1 : a.state.openedAt > b.state.openedAt ? 1 : a.address.localeCompare(b.address)));
}

/** A channel at a point in time, every amount in credit atoms. */
export type ChannelView = {
  address: Address;
  holder: Address;
  providerAuthority: Address;
  /** The provider's registration. */
  provider: Address;
  class: Address;
  vault: Address;
  status: ChannelStatus;
  now: bigint;
  openedAt: bigint;
  vaultBalance: bigint;
  deposited: bigint;
  redeemed: bigint;
  cap: bigint;
  /** Redeemed of the cap in basis points (floor). */
  capUsedBps: bigint;
  periodCap: bigint;
  periodSecs: number;
  /** Redeemed in the period window containing `now` (zero after a roll). */
  periodRedeemed: bigint;
  headroom: bigint;
  expiryTs: bigint;
  noticeSecs: number;
  /** When the holder asked to close; null: not asked. */
  closeRequestedAt: bigint | null;
  /** Nothing redeems from then on; null once released. */
  redeemableUntil: bigint | null;
  finalizable: boolean;
  burnPerHour: bigint | null;
  nextSeq: bigint;
};

/** The view of `channel` with `vaultBalance` atoms in its vault at cluster time `now` (pure). */
export function channelView(channel: ChannelAccount, vaultBalance: bigint, now: bigint): ChannelView {
  const { state: c } = channel;
  const { terms, meter } = c;
  return {
    address: channel.address,
    holder: c.holder,
    providerAuthority: c.providerAuthority,
    provider: c.provider,
    class: c.class,
    vault: c.vault,
    status: channelStatus(meter, terms, now),
    now,
    openedAt: c.openedAt,
    vaultBalance,
    deposited: c.deposited,
    redeemed: meter.redeemed,
    cap: terms.cap,
    capUsedBps: terms.cap === 0n ? 0n : (meter.redeemed * 10_000n) / terms.cap,
    periodCap: terms.periodCap,
    periodSecs: terms.periodSecs,
    periodRedeemed: channelPeriod(meter, terms, now).periodRedeemed,
    headroom: channelHeadroom(meter, terms, now, vaultBalance),
    expiryTs: terms.expiryTs,
    noticeSecs: terms.noticeSecs,
    closeRequestedAt: meter.closeRequestedAt === 0n ? null : meter.closeRequestedAt,
    redeemableUntil: meter.released !== 0 ? null : channelRedeemableUntil(meter, terms),
    finalizable: channelCanFinalize(meter, terms, now),
    burnPerHour: burnPerHour(meter.redeemed, c.openedAt, now),
    nextSeq: meter.nextSeq,
  };
}

const CLOCK_SYSVAR = 'SysvarC1ock11111111111111111111111111111111' as Address;

/** The views of `holder`'s channels at the cluster's time (vaults and clock in one read). */
export async function channelViewsOf(
  rpc: Rpc<SolanaRpcApi>,
  holder: Address,
  o?: { programAddress?: Address },
): Promise<ChannelView[]> {
  const channels = await channelsOf(rpc, holder, o);
  const [clock, ...vaults] = await fetchEncodedAccounts(rpc, [CLOCK_SYSVAR, ...channels.map((c) => c.state.vault)]);
  if (!clock?.exists) throw new Error('Clock sysvar missing');
  const now = new DataView(clock.data.buffer, clock.data.byteOffset).getBigInt64(32, true);
  return channels.map((c, i) => {
    const v = vaults[i];
    const balance = v?.exists ? (decodeTokenAccount(v.data)?.amount ?? 0n) : 0n;
    return channelView(c, balance, now);
  });
}

/** A redeemed batch as the events tell it. */
export type ChannelBatch = { signature: Signature; blockTime: bigint | null; amount: bigint; usageReference: string };

/**
 * The channel's batches among its `limit` most recent transactions, newest first: the
 * CreditsRedeemed events of its holder, provider and class (the CLI's `recent_batches`). A block
 * time is kept only within a day of the channel's life (some local validators report it wrong).
 */
export async function channelBatches(
  rpc: Rpc<SolanaRpcApi>,
  c: Pick<ChannelView, 'address' | 'holder' | 'providerAuthority' | 'class' | 'openedAt'>,
  now: bigint,
  limit = 20,
): Promise<ChannelBatch[]> {
  const txs = await recentEvents(rpc, c.address, limit);
  const plausible = (t: bigint | null) => (t !== null && t >= c.openedAt - 86_400n && t <= now + 86_400n ? t : null);
  return txs.flatMap(({ signature, blockTime, events }) =>
    events.flatMap((e) =>
      e.name === 'CreditsRedeemed' && e.data.holder === c.holder && e.data.provider === c.providerAuthority && e.data.class === c.class
        ? [{ signature, blockTime: plausible(blockTime), amount: e.data.amount, usageReference: usageText(e.data.usageReference as Uint8Array) }]
        : [],
    ),
  );
}
