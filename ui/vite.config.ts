import { defineConfig } from 'vitest/config';

// Baton serves the built files at /ui; JSX compiles to Preact without a Babel plugin.
export default defineConfig({
  base: '/ui/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/metrics': 'http://127.0.0.1:3000' } },
  test: { include: ['src/**/*.spec.ts'], environment: 'node' },
});
