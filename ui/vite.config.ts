import process from 'node:process';
import { defineConfig } from 'vitest/config';
import { batonProxy } from './dev/baton-proxy.ts';

/** The Baton `npm run dev` sends API calls to: BATON_URL, else the default `npm start` one. */
const baton = process.env.BATON_URL ?? 'http://127.0.0.1:3000';

// Baton serves the built files at /ui; JSX compiles to Preact without a Babel plugin.
export default defineConfig({
  base: '/ui/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { proxy: { '/api': batonProxy(baton), '/metrics': batonProxy(baton) } },
  test: { include: ['src/**/*.spec.ts', 'dev/**/*.spec.ts'], environment: 'node' },
});
