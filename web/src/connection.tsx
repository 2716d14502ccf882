// The RPC connection every page reads through: kit's JSON-RPC and websocket clients.
import { createContext, useContext, type ReactNode } from 'react';
import {
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  type Rpc,
  type RpcSubscriptions,
  type SolanaRpcApi,
  type SolanaRpcSubscriptionsApi,
} from '@solana/kit';
import type { AppConfig } from './config';

export type Connection = {
  config: AppConfig;
  rpc: Rpc<SolanaRpcApi>;
  rpcSubscriptions: RpcSubscriptions<SolanaRpcSubscriptionsApi>;
};

export function connect(config: AppConfig): Connection {
  return {
    config,
    rpc: createSolanaRpc(config.rpcUrl),
    rpcSubscriptions: createSolanaRpcSubscriptions(config.wsUrl),
  };
}

const ConnectionContext = createContext<Connection | null>(null);

export function ConnectionProvider({ value, children }: { value: Connection; children: ReactNode }) {
  return <ConnectionContext.Provider value={value}>{children}</ConnectionContext.Provider>;
}

export function useConnection(): Connection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error('useConnection outside ConnectionProvider');
  return connection;
}
