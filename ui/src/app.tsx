import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Link, Route, Router, Switch, useRoute } from 'wouter-preact';
import { onUnauthorized, setTokenRenewer, signedIn } from './api/client';
import { Login } from './auth/login';
import { CALLBACK_PATH, completeSignIn, loadConsoleConfig, renewSession, signOutAndRevoke, startSignIn } from './auth/console-config';
import { afterMeFailure, loadMe, MeContext, type Session } from './auth/session';
import { lazyPage } from './components/lazy-page';
import { Empty } from './components/notice';
import { AuditPage } from './pages/audit';
import { OverviewPage } from './pages/overview';
import { RunDetailPage } from './pages/run-detail';
import { RunsPage } from './pages/runs';
import { TemplateDetailPage } from './pages/template-detail';
import { TemplatesPage } from './pages/templates';
import { identityRetryMs, isAdmin } from './lib/roles';
import { hereOf } from './lib/token-renewal';

setTokenRenewer(renewSession);
const WorkersPage = lazyPage(() => import('./pages/workers').then((m) => m.WorkersPage));
const ApiKeysPage = lazyPage(() => import('./pages/api-keys').then((m) => m.ApiKeysPage));
const SecurityAuditPage = lazyPage(() => import('./pages/security-audit').then((m) => m.SecurityAuditPage));
/** Set while the browser is on its way to the provider after an expiry, so that the calls failing meanwhile start no second sign-in. */
let signingInAgain = false;

function NavLink({ href, children, nested }: { href: string; children: string; nested?: boolean }) {
  const [exact] = useRoute(href);
  const [inside] = useRoute(`${href}/*`);
  const active = exact || (nested && inside);
  return <Link href={href} aria-current={active ? 'page' : undefined}>{children}</Link>;
}

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const failures = useRef(0);
  const start = useCallback(() => {
    loadMe().then((me) => { failures.current = 0; setSession({ state: 'ready', me }); })
      .catch((e: unknown) => { failures.current += 1; setSession((s) => afterMeFailure(e, s)); });
  }, []);
  // Who the console acts as is unknown after a failed ask: asked again, less often each time, until Baton says.
  useEffect(() => {
    if (session.state !== 'ready' || session.me !== undefined) return undefined;
    const timer = setTimeout(start, identityRetryMs(failures.current));
    return () => clearTimeout(timer);
  }, [session, start]);
  useEffect(() => onUnauthorized((reason, refusal) => {
    if (reason !== 'expired') return setSession({ state: 'login', reason, refusal });
    // An OIDC session that could not be renewed: through the provider (its session usually makes
    // that one redirect) and back to this very page, with its filters; the login form if that fails.
    if (signingInAgain) return;
    signingInAgain = true;
    setSession({ state: 'loading' });
    loadConsoleConfig().then(({ oidc }) => {
      if (!oidc) throw new Error('no OIDC sign-in');
      return startSignIn(oidc, hereOf(location));
    }).catch(() => { signingInAgain = false; setSession({ state: 'login', reason: 'expired' }); });
  }), []);
  useEffect(() => {
    if (location.pathname !== CALLBACK_PATH) return start();
    // Back from the identity provider: trade the code for a token, then go where the person was.
    loadConsoleConfig().then(({ oidc }) => {
      if (!oidc) throw new Error('This Baton has no OIDC sign-in configured.');
      return completeSignIn(oidc);
    }).then((returnTo) => { history.replaceState(null, '', returnTo); start(); },
      (error: Error) => { history.replaceState(null, '', '/ui'); setSession({ state: 'login', reason: 'required', error }); });
  }, [start]);

  if (session.state === 'login') {
    return <Login reason={session.reason} error={session.error} refusal={session.refusal} onLogin={() => { setSession({ state: 'loading' }); start(); }} />;
  }
  if (session.state === 'loading') return <main class="page"><p class="muted">Loading…</p></main>;
  return (
    <MeContext.Provider value={session.me}>
      <Router base="/ui">
        <header class="top">
          <Link href="/" class="brand">Baton</Link>
          <nav aria-label="Main">
            <NavLink href="/">Overview</NavLink>
            <NavLink href="/templates" nested>Templates</NavLink>
            <NavLink href="/runs" nested>Runs</NavLink>
            <NavLink href="/audit">Audit</NavLink>
            <NavLink href="/workers">Workers</NavLink>
            {/* Only for admins: anyone else would find a page that says it is not for them. */}
            {isAdmin(session.me) && <NavLink href="/admin/api-keys">API keys</NavLink>}
            {isAdmin(session.me) && <NavLink href="/admin/security-audit">Security audit</NavLink>}
          </nav>
          <span class="who">
            {session.me ? `${session.me.id} (${session.me.roles.join(', ')})` : session.me === undefined ? 'signed in as: not known yet' : ''}
            {signedIn() && <button type="button" class="link" onClick={() => { void signOutAndRevoke().then((to) => (to ? location.assign(to) : location.reload())); }}>Sign out</button>}
          </span>
        </header>
        <main class="page">
          <Switch>
            <Route path="/" component={OverviewPage} />
            <Route path="/templates" component={TemplatesPage} />
            {/* wouter has decoded the path already (and leaves one it cannot decode as it is): decoding again broke on `%E0`. */}
            <Route path="/templates/:orchName">{(p: { orchName: string }) => <TemplateDetailPage orchName={p.orchName} />}</Route>
            <Route path="/runs" component={RunsPage} />
            <Route path="/runs/:flowId">{(p: { flowId: string }) => <RunDetailPage flowId={p.flowId} />}</Route>
            <Route path="/audit" component={AuditPage} />
            <Route path="/workers"><WorkersPage /></Route>
            <Route path="/admin/api-keys"><ApiKeysPage /></Route>
            <Route path="/admin/security-audit"><SecurityAuditPage /></Route>
            <Route><Empty>No such page. <Link href="/">Go to the overview</Link>.</Empty></Route>
          </Switch>
        </main>
      </Router>
    </MeContext.Provider>
  );
}
