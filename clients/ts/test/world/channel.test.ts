// The seeded metering channel (the holder's, to the provider, three batches redeemed by the
// provider's settlement key) read by this client and held to `app channel show --output json`
// on the same chain at the CLI's own clock: status, vault, deposited, redeemed, headroom (with
// its period roll), burn per hour, next sequence number, redeemable-until, the recent batches;
// and the holder's actions refused by name before signing where the program refuses them.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { address } from '@solana/kit';
import { finalizeChannel, requestCloseChannel } from '../../src/actions/channel.ts';
import { channelBatches, channelsOf, channelView, channelViewsOf } from '../../src/channel.ts';
import { prepareTransaction, TransactionFailed } from '../../src/tx.ts';
import { app, rpc, wallet, world } from './world.ts';

type Credits = { atoms: number; amount: string };
type CliChannel = {
  channel: string;
  holder: string;
  providerAuthority: string;
  provider: string;
  vault: string;
  status: string;
  now: number;
  openedAt: number;
  terms: { cap: Credits; periodCap: Credits; periodSecs: number; expiryTs: number; noticeSecs: number };
  meter: { redeemed: Credits; nextSeq: number; closeRequestedAt: number | null };
  deposited: Credits;
  vaultBalance: Credits;
  headroom: Credits;
  redeemableUntil: number | null;
  finalizable: boolean;
  burn: { perHourSinceOpening: Credits | null };
  recentBatches: { signature: string; blockTime: number | null; amount: Credits; usageReference: string }[];
};

const CHANNEL = address(world.channel.address);
const big = (n: number | null) => (n === null ? null : BigInt(n));

test('the holder\'s channels are the ones the CLI lists', async () => {
  const mine = await channelsOf(rpc, wallet('holder'));
  const cli = app<{ channels: { channel: string; nextSeq: number }[] }>('channel', 'list', '--holder', wallet('holder'));
  assert.deepEqual(mine.map((c) => c.address).sort(), cli.channels.map((c) => c.channel).sort());
  assert.ok(mine.some((c) => c.address === CHANNEL), 'the seeded channel');
  // filtered on the provider too; another holder has none
  assert.deepEqual((await channelsOf(rpc, wallet('holder'), { providerAuthority: wallet('provider') })).map((c) => c.address), [CHANNEL]);
  assert.deepEqual(await channelsOf(rpc, wallet('holder'), { providerAuthority: wallet('trader') }), []);
  assert.deepEqual(await channelsOf(rpc, wallet('trader')), []);
});

test('the channel view equals `app channel show` at the CLI\'s clock, burn rate included', async () => {
  const cli = app<CliChannel>('channel', 'show', CHANNEL);
  const [channel] = (await channelsOf(rpc, wallet('holder'))).filter((c) => c.address === CHANNEL);
  assert.ok(channel);
  const v = channelView(channel, BigInt(cli.vaultBalance.atoms), BigInt(cli.now));
  assert.equal(v.status, cli.status);
  assert.equal(v.openedAt, BigInt(cli.openedAt));
  assert.equal(v.deposited, BigInt(cli.deposited.atoms));
  assert.equal(v.redeemed, BigInt(cli.meter.redeemed.atoms));
  assert.equal(v.cap, BigInt(cli.terms.cap.atoms));
  assert.equal(v.periodCap, BigInt(cli.terms.periodCap.atoms));
  assert.equal(v.expiryTs, BigInt(cli.terms.expiryTs));
  assert.equal(v.noticeSecs, cli.terms.noticeSecs);
  assert.equal(v.headroom, BigInt(cli.headroom.atoms));
  assert.equal(v.nextSeq, BigInt(cli.meter.nextSeq));
  assert.equal(v.closeRequestedAt, big(cli.meter.closeRequestedAt));
  assert.equal(v.redeemableUntil, big(cli.redeemableUntil));
  assert.equal(v.finalizable, cli.finalizable);
  assert.equal(v.burnPerHour, cli.burn.perHourSinceOpening === null ? null : BigInt(cli.burn.perHourSinceOpening.atoms));
  // what the seeding made: three batches, a balance, a non-zero rate
  assert.equal(v.nextSeq, 3n);
  assert.equal(v.redeemed, 8_250_000n);
  assert.equal(v.vaultBalance, v.deposited - v.redeemed);
  assert.ok(v.burnPerHour !== null && v.burnPerHour > 0n, `burn ${v.burnPerHour}`);

  // read on its own, at the cluster's time: the same channel, the same vault
  const [own] = (await channelViewsOf(rpc, wallet('holder'))).filter((c) => c.address === CHANNEL);
  assert.ok(own && own.now >= BigInt(cli.now));
  assert.equal(own.vaultBalance, BigInt(cli.vaultBalance.atoms));
  assert.equal(own.vault, cli.vault);
  assert.equal(own.providerAuthority, cli.providerAuthority);
  assert.equal(own.provider, cli.provider);
});

test('recent batches: the CreditsRedeemed events of the channel, as the CLI reads them', async () => {
  const cli = app<CliChannel>('channel', 'show', CHANNEL);
  const [channel] = (await channelViewsOf(rpc, wallet('holder'))).filter((c) => c.address === CHANNEL);
  const batches = await channelBatches(rpc, channel!, BigInt(cli.now));
  assert.deepEqual(
    batches.map((b) => [b.signature, b.amount, b.usageReference]),
    cli.recentBatches.map((b) => [b.signature, BigInt(b.amount.atoms), b.usageReference]),
  );
  assert.deepEqual(batches.map((b) => b.usageReference).sort(), ['gw-batch-0001', 'gw-batch-0002', 'gw-batch-0003']);
  // where the CLI has a plausible block time, it is the same one
  for (const [i, b] of cli.recentBatches.entries()) if (b.blockTime !== null) assert.equal(batches[i]!.blockTime, BigInt(b.blockTime));
});

test('the holder\'s actions are refused by name before signing where the program refuses them', async () => {
  const refused = async (ixs: Parameters<typeof prepareTransaction>[2], payer: ReturnType<typeof wallet>, name: string) =>
    assert.rejects(prepareTransaction(rpc, payer, ixs), (e: unknown) => {
      assert.ok(e instanceof TransactionFailed);
      assert.equal(e.explained.name, name);
      assert.equal(e.explained.program, world.programId);
      return true;
    });
  // a stranger cannot start the holder's notice
  await refused(await requestCloseChannel({ holder: wallet('trader'), channel: CHANNEL }), wallet('trader'), 'NotChannelHolder');
  // nothing returns while the provider may still redeem (open, or within the notice)
  await refused(await finalizeChannel(rpc, { payer: wallet('holder'), channel: CHANNEL }), wallet('holder'), 'ChannelStillOpen');
});
