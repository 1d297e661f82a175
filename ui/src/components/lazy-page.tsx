import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNotice } from './notice';

/**
 * A page whose code is fetched the first time it is shown, as the OIDC client is: the workers and
 * admin pages are seldom a tab's first, and would have added a sixth to the first load of every
 * tab. Once fetched, it shows at once.
 */
export function lazyPage(load: () => Promise<ComponentType>): ComponentType {
  let loaded: ComponentType | null = null;
  return function LazyPage() {
    const [Page, setPage] = useState<ComponentType | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Page) return;
      let alive = true;
      load().then((c) => { loaded = c; if (alive) setPage(() => c); }, () => { if (alive) setFailed(true); });
      return () => { alive = false; };
    }, []);
    if (failed) return <ErrorNotice error={new Error('This page could not be loaded: Baton is unreachable, or was updated since this tab opened. Reload the page.')} />;
    return Page ? <Page /> : <p class="muted">Loading…</p>;
  };
}
