// A counter bumped after every confirmed action: pages re-load at once, not only when a
// subscription notices the change.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

type Refresh = { counter: number; bump(): void };

const RefreshContext = createContext<Refresh>({ counter: 0, bump: () => undefined });

export function RefreshProvider({ children }: { children: ReactNode }) {
  const [counter, setCounter] = useState(0);
  const value = useMemo(() => ({ counter, bump: () => setCounter((c) => c + 1) }), [counter]);
  return <RefreshContext.Provider value={value}>{children}</RefreshContext.Provider>;
}

export function useRefreshCounter(): number {
  return useContext(RefreshContext).counter;
}

export function useBumpRefresh(): () => void {
  return useContext(RefreshContext).bump;
}
