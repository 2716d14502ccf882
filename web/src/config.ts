// The runtime config: ./config.json (written by the CLI's server), overridden by ?rpc=…&ws=…
// so the same build works from any static host.
import { address, type Address } from '@solana/kit';

export type Cluster = 'localnet' | 'devnet' | 'mainnet';

export type AppConfig = {
  rpcUrl: string;
  wsUrl: string;
  cluster: Cluster;
  programId: Address;
};

type RawConfig = Partial<Record<keyof AppConfig, string>>;

/** The query string of the page: before the hash (`?rpc=…#/market`) or inside it (`#/market?rpc=…`). */
function queryParams(): URLSearchParams {
  const params = new URLSearchParams(window.location.search);
  const inHash = window.location.hash.split('?')[1];
  if (inHash) new URLSearchParams(inHash).forEach((v, k) => params.set(k, v));
  return params;
}

/** The websocket URL a JSON-RPC URL implies: same host, port + 1, as validators listen. */
function wsFor(rpcUrl: string): string {
  const url = new URL(rpcUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (url.port) url.port = String(Number(url.port) + 1);
  return url.toString().replace(/\/$/, '');
}

export async function loadConfig(): Promise<AppConfig> {
  let raw: RawConfig = {};
  try {
    const response = await fetch('./config.json', { cache: 'no-store' });
    if (response.ok) raw = (await response.json()) as RawConfig;
  } catch {
    // no config.json (a bare static host): the query or the defaults below
  }
  const params = queryParams();
  const rpcUrl = params.get('rpc') ?? raw.rpcUrl ?? 'http://127.0.0.1:8899';
  const wsUrl = params.get('ws') ?? (params.get('rpc') ? wsFor(rpcUrl) : raw.wsUrl ?? wsFor(rpcUrl));
  const cluster = (params.get('cluster') ?? raw.cluster ?? 'localnet') as Cluster;
  const programId = address(params.get('program') ?? raw.programId ?? 'DzBMirNNQmY6iXWfQTGkcLAvNczR7oRAakYqhBGCR13E');
  return { rpcUrl, wsUrl, cluster, programId };
}

/** The Wallet Standard chain of a cluster. */
export function chainOf(cluster: Cluster): `solana:${Cluster}` {
  return `solana:${cluster}`;
}
