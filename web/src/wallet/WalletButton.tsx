// The header's wallet control: the list of wallets to connect (or switch to), the connected
// address and a disconnect button.
import { useState } from 'react';
import { useWallet } from './WalletContext';
import { shortAddress } from '../format';

export function WalletButton() {
  const { wallets, wallet, owner, connect, disconnect } = useWallet();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="wallet">
      {owner && (
        <span className="wallet-address" data-testid="wallet-address" data-address={owner} title={owner}>
          {wallet?.name}: {shortAddress(owner)}
        </span>
      )}
      <button data-testid="connect-button" onClick={() => setOpen(!open)}>
        {owner ? 'Switch wallet' : 'Connect wallet'}
      </button>
      {owner && (
        <button data-testid="disconnect-button" onClick={() => void disconnect()}>
          Disconnect
        </button>
      )}
      {open && (
        <ul className="wallet-list">
          {wallets.length === 0 && <li className="muted">No Solana wallet found in this browser</li>}
          {wallets.map((w) => (
            <li key={w.name}>
              <button
                data-testid="wallet-option"
                onClick={() => {
                  setOpen(false);
                  setError(null);
                  connect(w).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
                }}
              >
                {w.icon && <img src={w.icon} alt="" width={16} height={16} />}
                {w.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && <span className="error">{error}</span>}
    </div>
  );
}
