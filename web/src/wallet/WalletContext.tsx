// The connected wallet, found through the Wallet Standard: discovery (getWallets + register
// events), connect, account changes, and transaction signing. One wallet at a time; choosing
// another in the list switches to it.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getWallets } from '@wallet-standard/app';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import {
  StandardConnect,
  StandardDisconnect,
  StandardEvents,
  type StandardConnectFeature,
  type StandardDisconnectFeature,
  type StandardEventsFeature,
} from '@wallet-standard/features';
import { SolanaSignTransaction, type SolanaSignTransactionFeature } from '@solana/wallet-standard-features';
import { address, type Address } from '@solana/kit';
import { chainOf } from '../config';
import { useConnection } from '../connection';

export type WalletState = {
  /** Wallets that can connect and sign Solana transactions on our chain. */
  wallets: readonly Wallet[];
  wallet: Wallet | null;
  account: WalletAccount | null;
  /** The connected account's address (null when none). */
  owner: Address | null;
  connect(wallet: Wallet): Promise<void>;
  disconnect(): Promise<void>;
  /** Signs an unsigned wire transaction; returns the signed wire transaction. */
  signTransaction(wire: Uint8Array): Promise<Uint8Array>;
};

const WalletContext = createContext<WalletState | null>(null);

function usable(wallet: Wallet, chain: string): boolean {
  return (
    StandardConnect in wallet.features &&
    SolanaSignTransaction in wallet.features &&
    (wallet.chains.length === 0 || wallet.chains.includes(chain as `${string}:${string}`))
  );
}

export function WalletProvider({ children }: { children: ReactNode }) {
  const { config } = useConnection();
  const chain = chainOf(config.cluster);
  const [wallets, setWallets] = useState<readonly Wallet[]>([]);
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [account, setAccount] = useState<WalletAccount | null>(null);

  // discovery: wallets registered before the app started and any registered later
  useEffect(() => {
    const registry = getWallets();
    const refresh = () => setWallets(registry.get().filter((w) => usable(w, chain)));
    refresh();
    const offRegister = registry.on('register', refresh);
    const offUnregister = registry.on('unregister', refresh);
    return () => {
      offRegister();
      offUnregister();
    };
  }, [chain]);

  // the connected wallet's account changes (another account chosen in the wallet, or none)
  useEffect(() => {
    if (!wallet || !(StandardEvents in wallet.features)) return;
    const events = (wallet.features as StandardEventsFeature)[StandardEvents];
    return events.on('change', (properties) => {
      if (properties.accounts) setAccount(properties.accounts[0] ?? null);
    });
  }, [wallet]);

  const connect = useCallback(async (next: Wallet) => {
    const { accounts } = await (next.features as StandardConnectFeature)[StandardConnect].connect();
    const first = accounts.find((a) => a.chains.length === 0 || a.chains.includes(chain)) ?? accounts[0] ?? null;
    setWallet(next);
    setAccount(first);
  }, [chain]);

  const disconnect = useCallback(async () => {
    if (wallet && StandardDisconnect in wallet.features) {
      await (wallet.features as StandardDisconnectFeature)[StandardDisconnect].disconnect();
    }
    setWallet(null);
    setAccount(null);
  }, [wallet]);

  const signTransaction = useCallback(
    async (wire: Uint8Array) => {
      if (!wallet || !account) throw new Error('no wallet connected');
      const feature = (wallet.features as SolanaSignTransactionFeature)[SolanaSignTransaction];
      const [output] = await feature.signTransaction({ account, transaction: wire, chain });
      if (!output) throw new Error('the wallet returned no signed transaction');
      return output.signedTransaction;
    },
    [wallet, account, chain],
  );

  const value = useMemo<WalletState>(
    () => ({
      wallets,
      wallet,
      account,
      owner: account ? address(account.address) : null,
      connect,
      disconnect,
      signTransaction,
    }),
    [wallets, wallet, account, connect, disconnect, signTransaction],
  );
  return <WalletContext.Provider value={value}>{children}</WalletContext.Provider>;
}

export function useWallet(): WalletState {
  const state = useContext(WalletContext);
  if (!state) throw new Error('useWallet outside WalletProvider');
  return state;
}
