// Hash routing: `#/holdings`, `#/loans`, `#/loans/<loan>`, `#/market`, `#/market/<market>`,
// `#/channels`, `#/calculator`. Query parameters after the path (`#/market?rpc=…`) are ignored here.
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'holdings' }
  | { page: 'loans' }
  | { page: 'loan'; loan: string }
  | { page: 'market'; market: string | null }
  | { page: 'channels' }
  | { page: 'calculator' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').split('?')[0]!;
  const [first, second] = path.split('/').filter(Boolean);
  switch (first) {
    case 'loans':
      return second ? { page: 'loan', loan: second } : { page: 'loans' };
    case 'market':
      return { page: 'market', market: second ?? null };
    case 'channels':
      return { page: 'channels' };
    case 'calculator':
      return { page: 'calculator' };
    default:
      return { page: 'holdings' };
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
