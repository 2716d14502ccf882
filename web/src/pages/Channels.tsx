// Channels: the connected holder's metering channels, one card each (ChannelCard). Re-read
// when a channel or its vault changes (account subscriptions) or a transaction names the holder.
import { useEffect, useState } from 'react';
import type { Address } from '@solana/kit';
import { channelViewsOf, fetchClasses } from '@compute-credits/client';
import { useConnection } from '../connection';
import { useWallet } from '../wallet/WalletContext';
import { useLive } from '../live/useLive';
import { ChannelCard } from './channel/ChannelCard';

export function Channels() {
  const { rpc } = useConnection();
  const { owner } = useWallet();
  const classes = useLive(() => fetchClasses(rpc), 'classes');
  // the channels' and vaults' addresses come with the first read; then their changes re-read
  const [watched, setWatched] = useState<Address[]>([]);
  const views = useLive(owner ? () => channelViewsOf(rpc, owner) : null, `channels:${owner}`, {
    accounts: watched,
    mentions: [owner],
  });
  const key = views.data?.map((v) => `${v.address},${v.vault}`).join(',') ?? '';
  useEffect(() => setWatched(views.data?.flatMap((v) => [v.address, v.vault]) ?? []), [key]);
  const classOf = (a: Address) => classes.data?.find((c) => c.address === a);
  return (
    <section data-testid="page-channels">
      <h1>Metering channels</h1>
      <p className="muted">
        Credits you escrowed once for a provider, who redeems metered batches without your signature on each: what is left in the
        vault, how fast it burns, and what the provider may still redeem.
      </p>
      {!owner && <div className="card muted">Connect a wallet to see its channels.</div>}
      {views.error && <p className="error">{views.error}</p>}
      {owner && views.data?.length === 0 && <div className="card muted">This wallet has no metering channel.</div>}
      {views.data?.map((v) => <ChannelCard key={v.address} view={v} cls={classOf(v.class)} />)}
    </section>
  );
}
