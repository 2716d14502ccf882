// Every action of the app goes through `useAction`: build the instructions for the connected
// wallet, prepare the transaction (compute limit from simulation, latest blockhash), have the
// wallet sign it, send it over our RPC and confirm it. One shared `tx-status` element shows
// the stage, the signature when confirmed and the program's error by name when it fails.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Address, Instruction } from '@solana/kit';
import { describeExplained, explainError, prepareTransaction, sendSigned, TransactionFailed } from '@compute-credits/client';
import { useConnection } from '../connection';
import { useWallet } from '../wallet/WalletContext';
import { useBumpRefresh } from '../live/refresh';

export type TxStage = 'signing' | 'sending' | 'confirming' | 'confirmed' | 'failed';

type TxState = { label: string; stage: TxStage; signature?: string; error?: string };

type TxContextValue = {
  state: TxState | null;
  /** Runs one action; resolves true when confirmed. */
  run(label: string, build: (owner: Address) => Promise<readonly Instruction[]>): Promise<boolean>;
};

const TxContext = createContext<TxContextValue | null>(null);

export function TxProvider({ children }: { children: ReactNode }) {
  const { rpc, rpcSubscriptions } = useConnection();
  const { owner, signTransaction } = useWallet();
  const bump = useBumpRefresh();
  const [state, setState] = useState<TxState | null>(null);

  const run = useCallback(
    async (label: string, build: (owner: Address) => Promise<readonly Instruction[]>) => {
      if (!owner) {
        setState({ label, stage: 'failed', error: 'Connect a wallet first' });
        return false;
      }
      setState({ label, stage: 'signing' });
      try {
        const instructions = await build(owner);
        const unsigned = await prepareTransaction(rpc, owner, [...instructions]);
        const signed = await signTransaction(new Uint8Array(unsigned));
        const signature = await sendSigned(rpc, rpcSubscriptions, signed, (progress, detail) => {
          // the final state (confirmed, or failed with its explanation) is set below
          if (progress === 'sending' || progress === 'confirming')
            setState({ label, stage: progress, signature: detail?.signature });
        });
        setState({ label, stage: 'confirmed', signature });
        bump();
        return true;
      } catch (e) {
        setState({ label, stage: 'failed', error: describeExplained(e instanceof TransactionFailed ? e.explained : explainError(e)) });
        bump();
        return false;
      }
    },
    [owner, rpc, rpcSubscriptions, signTransaction, bump],
  );

  const value = useMemo(() => ({ state, run }), [state, run]);
  return <TxContext.Provider value={value}>{children}</TxContext.Provider>;
}

export function useAction(): TxContextValue['run'] {
  const context = useContext(TxContext);
  if (!context) throw new Error('useAction outside TxProvider');
  return context.run;
}

const STAGE_TEXT: Record<TxStage, string> = {
  signing: 'waiting for the wallet to sign',
  sending: 'sending',
  confirming: 'confirming',
  confirmed: 'confirmed',
  failed: 'failed',
};

/** The one status line of the last action (fixed at the bottom of the page). */
export function TxStatusBar() {
  const context = useContext(TxContext);
  const state = context?.state;
  if (!state) return null;
  return (
    <div
      className={`tx-status tx-${state.stage}`}
      data-testid="tx-status"
      data-state={state.stage}
      data-signature={state.stage === 'confirmed' ? state.signature : undefined}
      role="status"
    >
      <strong>{state.label}</strong>: {STAGE_TEXT[state.stage]}
      {state.signature && <code className="signature"> {state.signature}</code>}
      {state.error && <span className="tx-error"> — {state.error}</span>}
    </div>
  );
}
