import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadConfig } from './config';
import { connect } from './connection';
import { App } from './App';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App connection={connect(config)} />
      </StrictMode>,
    ),
  (e: unknown) => root.render(<p className="error">Cannot start: {String(e)}</p>),
);
