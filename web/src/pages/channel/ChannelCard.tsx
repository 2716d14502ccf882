// One metering channel of the connected holder: provider, status, the vault's balance (live),
// redeemed of the cap as a bar, the burn rate per hour since opening (the client's port of
// ChannelMeter::burn_per_hour, the CLI's rule), headroom now, expiry and notice, the recent
// batches from the channel's CreditsRedeemed events, and the holder's actions.
import type { Address, Instruction } from '@solana/kit';
import { channelBatches, finalizeChannel, requestCloseChannel, type ChannelView, type ClassInfo } from '@compute-credits/client';
import { useConnection } from '../../connection';
import { useWallet } from '../../wallet/WalletContext';
import { useAction } from '../../tx/TxStatus';
import { useLive } from '../../live/useLive';
import { formatBps, formatGrouped, periodText, shortAddress } from '../../format';

/** A unix time (seconds) as `2026-12-03 22:15 UTC`. */
export const formatTime = (unix: bigint) => `${new Date(Number(unix) * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function Batches({ view, decimals }: { view: ChannelView; decimals: number }) {
  const { rpc } = useConnection();
  const batches = useLive(() => channelBatches(rpc, view, view.now), `batches:${view.address}`, { mentions: [view.address] });
  return (
    <div data-testid="channel-batches" data-count={batches.data?.length ?? ''}>
      <h3>Recent batches</h3>
      {batches.error && <p className="error">{batches.error}</p>}
      {batches.data?.length === 0 && <p className="muted">No batch among the channel's recent transactions.</p>}
      {batches.data && batches.data.length > 0 && (
        <table>
          <thead>
            <tr><th>Time</th><th className="num">Credits</th><th>Usage reference</th></tr>
          </thead>
          <tbody>
            {batches.data.map((b, i) => (
              <tr key={`${b.signature}:${i}`} data-testid="channel-batch" data-amount={String(b.amount)} data-usage={b.usageReference}>
                <td title={b.signature}>{b.blockTime === null ? '—' : formatTime(b.blockTime)}</td>
                <td className="num">{formatGrouped(b.amount, decimals)}</td>
                <td className="mono">{b.usageReference}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Actions({ view }: { view: ChannelView }) {
  const { rpc } = useConnection();
  const { owner } = useWallet();
  const act = useAction();
  if (!owner) return null;
  const run = (label: string, build: (signer: Address) => Promise<Instruction[]>) => () => void act(label, build);
  return (
    <div className="form">
      {owner === view.holder && view.status === 'open' && (
        <button data-testid="channel-request-close" onClick={run('Request close', (holder) => requestCloseChannel({ holder, channel: view.address }))}>
          Request close
        </button>
      )}
      {view.finalizable && (
        <button data-testid="channel-finalize" onClick={run('Finalize channel', (payer) => finalizeChannel(rpc, { payer, channel: view.address }))}>
          Finalize
        </button>
      )}
    </div>
  );
}

function Until({ view }: { view: ChannelView }) {
  if (view.status === 'released') return <>Released by the provider: finalizing returns the rest.</>;
  const notice = `notice ${periodText(view.noticeSecs)}`;
  if (view.closeRequestedAt === null) return <>Expires {formatTime(view.expiryTs)} · {notice}</>;
  return (
    <>
      Close requested {formatTime(view.closeRequestedAt)}: the provider may redeem until {formatTime(view.redeemableUntil!)} · {notice}
    </>
  );
}

export function ChannelCard({ view, cls }: { view: ChannelView; cls: ClassInfo | undefined }) {
  const d = cls?.decimals ?? 0;
  const unit = cls?.symbol || 'credits';
  const used = Number(view.capUsedBps > 10_000n ? 10_000n : view.capUsedBps) / 100;
  return (
    <div className="card channel" data-testid="channel-card" data-channel={view.address} data-provider={view.providerAuthority}>
      <h2>
        Channel to <span className="mono" title={view.providerAuthority}>{shortAddress(view.providerAuthority)}</span>{' '}
        <span className={`badge channel-${view.status}`} data-testid="channel-status">{view.status}</span>
      </h2>
      <p className="muted">
        <span className="mono" title={view.address}>{shortAddress(view.address)}</span> · {cls?.name ?? view.class}
      </p>
      <div className="stats">
        <div className="stat">
          <span className="label">Vault balance</span>
          <span className="value" data-testid="channel-balance" data-atoms={String(view.vaultBalance)}>
            {formatGrouped(view.vaultBalance, d)} {unit}
          </span>
        </div>
        <div className="stat">
          <span className="label">Burn rate (since opening)</span>
          <span className="value" data-testid="channel-burn-rate" data-atoms={view.burnPerHour === null ? '' : String(view.burnPerHour)} data-now={String(view.now)}>
            {view.burnPerHour === null ? '—' : `${formatGrouped(view.burnPerHour, d)} ${unit}/hour`}
          </span>
        </div>
        <div className="stat">
          <span className="label">Headroom now</span>
          <span className="value" data-testid="channel-headroom" data-atoms={String(view.headroom)}>{formatGrouped(view.headroom, d)}</span>
        </div>
        <div className="stat">
          <span className="label">Deposited</span>
          <span className="value">{formatGrouped(view.deposited, d)}</span>
        </div>
        <div className="stat">
          <span className="label">Next batch</span>
          <span className="value">#{String(view.nextSeq)}</span>
        </div>
      </div>
      <div className="cap" data-testid="channel-cap" data-redeemed={String(view.redeemed)} data-cap={String(view.cap)}>
        <div className="cap-label">
          Redeemed {formatGrouped(view.redeemed, d)} of the {formatGrouped(view.cap, d)} cap ({formatBps(view.capUsedBps)})
          {view.periodCap > 0n && ` · this period ${formatGrouped(view.periodRedeemed, d)} of ${formatGrouped(view.periodCap, d)} per ${periodText(view.periodSecs)}`}
        </div>
        <div className="bar"><div className="fill" style={{ width: `${used}%` }} /></div>
      </div>
      <p><Until view={view} /></p>
      <Actions view={view} />
      <Batches view={view} decimals={d} />
    </div>
  );
}
