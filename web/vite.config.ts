import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  // the generated error module reads process.env["NODE_ENV"] (Node style): give the browser that value
  define: { 'process.env': JSON.stringify({ NODE_ENV: mode }) },
  // relative asset paths: the built app is served from any path (the CLI's server, a static host)
  base: './',
  resolve: {
    // the client package imports @solana/kit from its own folder: one copy in the bundle
    dedupe: ['@solana/kit'],
  },
  server: { fs: { allow: ['..'] } },
  // one chunk: kit and the generated client are most of it (about 570 kB, 160 kB gzipped)
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
}));
