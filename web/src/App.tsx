// The shell: dark header with the nav and the wallet control, the routed page, the status line.
import { ConnectionProvider, type Connection } from './connection';
import { WalletProvider } from './wallet/WalletContext';
import { WalletButton } from './wallet/WalletButton';
import { RefreshProvider } from './live/refresh';
import { TxProvider, TxStatusBar } from './tx/TxStatus';
import { useRoute, type Route } from './router';
import { Holdings } from './pages/Holdings';
import { Loans } from './pages/Loans';
import { LoanPage } from './pages/LoanPage';
import { Market } from './pages/Market';
import { Calculator } from './pages/Calculator';
import { Channels } from './pages/Channels';

const NAV = [
  { id: 'holdings', href: '#/holdings', label: 'Holdings', pages: ['holdings'] },
  { id: 'loans', href: '#/loans', label: 'Loans', pages: ['loans', 'loan'] },
  { id: 'market', href: '#/market', label: 'Market', pages: ['market'] },
  { id: 'channels', href: '#/channels', label: 'Channels', pages: ['channels'] },
  { id: 'calculator', href: '#/calculator', label: 'Calculator', pages: ['calculator'] },
] as const;

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'holdings':
      return <Holdings />;
    case 'loans':
      return <Loans />;
    case 'loan':
      return <LoanPage loan={route.loan} />;
    case 'market':
      return <Market market={route.market} />;
    case 'channels':
      return <Channels />;
    case 'calculator':
      return <Calculator />;
  }
}

export function App({ connection }: { connection: Connection }) {
  const route = useRoute();
  return (
    <ConnectionProvider value={connection}>
      <RefreshProvider>
        <WalletProvider>
          <TxProvider>
            <header className="header">
              <a className="brand" href="#/holdings">
                Compute credits
              </a>
              <nav>
                {NAV.map((n) => (
                  <a
                    key={n.id}
                    href={n.href}
                    data-testid={`nav-${n.id}`}
                    className={(n.pages as readonly string[]).includes(route.page) ? 'active' : ''}
                  >
                    {n.label}
                  </a>
                ))}
              </nav>
              <span className="cluster" title={connection.config.rpcUrl}>
                {connection.config.cluster}
              </span>
              <WalletButton />
            </header>
            <main className="main">
              <Page route={route} />
            </main>
            <TxStatusBar />
          </TxProvider>
        </WalletProvider>
      </RefreshProvider>
    </ConnectionProvider>
  );
}
