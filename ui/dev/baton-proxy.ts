import type { ProxyOptions } from 'vite';

/**
 * `npm run dev`'s proxy to Baton. Baton refuses a state-changing call whose Origin is not its own
 * (with AUTH_MODE=off, its defence against other sites' pages), and the dev page's origin is the
 * dev server's: so a call from that page is sent on as from Baton's own origin. A call from any
 * other origin keeps its Origin, and Baton still refuses it.
 */
export function batonProxy(baton: string): ProxyOptions {
  const batonOrigin = new URL(baton).origin;
  return {
    target: baton,
    changeOrigin: true,
    configure: (proxy) => {
      proxy.on('proxyReq', (outgoing, incoming) => {
        if (incoming.headers.origin === `http://${incoming.headers.host}`) outgoing.setHeader('origin', batonOrigin);
      });
    },
  };
}
