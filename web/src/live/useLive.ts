// Live state: load once, then re-load (debounced) whenever a watched account changes or a
// watched address appears in a transaction's logs, over websocket subscriptions. Where a
// subscription is refused or drops, poll every 2 s instead. Every confirmed action of the app
// also bumps a refresh counter that re-loads everything shown.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Address } from '@solana/kit';
import { useConnection } from '../connection';
import { useRefreshCounter } from './refresh';

const DEBOUNCE_MS = 250;
const POLL_MS = 2000;

export type Live<T> = {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload(): void;
};

export type Watch = {
  /** Accounts whose changes re-load the data. */
  accounts?: readonly (Address | null | undefined)[];
  /** Addresses whose transactions (logs mentioning them) re-load the data. */
  mentions?: readonly (Address | null | undefined)[];
};

export function useLive<T>(load: (() => Promise<T>) | null, key: string, watch: Watch = {}): Live<T> {
  const { rpcSubscriptions } = useConnection();
  const refresh = useRefreshCounter();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // a new key (another wallet, loan or market) starts from nothing
  useEffect(() => {
    setData(undefined);
    setError(null);
    setLoading(true);
  }, [key]);

  useEffect(() => {
    const run = loadRef.current;
    if (!run) {
      setLoading(false);
      return;
    }
    let current = true;
    run().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!current) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [key, tick, refresh]);

  const reload = useCallback(() => setTick((t) => t + 1), []);

  const accounts = (watch.accounts ?? []).filter((a): a is Address => !!a);
  const mentions = (watch.mentions ?? []).filter((a): a is Address => !!a);
  const watchKey = `${accounts.join(',')}|${mentions.join(',')}`;

  useEffect(() => {
    if (!load || (accounts.length === 0 && mentions.length === 0)) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let poller: ReturnType<typeof setInterval> | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(reload, DEBOUNCE_MS);
    };
    const fallBackToPolling = () => {
      if (!poller && !abort.signal.aborted) poller = setInterval(reload, POLL_MS);
    };
    const follow = async (subscribe: () => Promise<AsyncIterable<unknown>>) => {
      try {
        for await (const _ of await subscribe()) changed();
      } catch {
        if (!abort.signal.aborted) fallBackToPolling();
      }
    };
    const options = { abortSignal: abort.signal };
    for (const account of accounts) {
      void follow(() =>
        rpcSubscriptions.accountNotifications(account, { commitment: 'confirmed', encoding: 'base64' }).subscribe(options),
      );
    }
    for (const mentioned of mentions) {
      void follow(() =>
        rpcSubscriptions.logsNotifications({ mentions: [mentioned] }, { commitment: 'confirmed' }).subscribe(options),
      );
    }
    return () => {
      abort.abort();
      clearTimeout(timer);
      clearInterval(poller);
    };
    // the addresses are compared by value (watchKey)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [watchKey, key, rpcSubscriptions, reload]);

  return { data, error, loading, reload };
}
