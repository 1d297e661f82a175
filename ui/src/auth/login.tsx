import { useEffect, useState } from 'preact/hooks';
import { apiKey, type SignInReason } from '../api/client';
import { ErrorNotice } from '../components/notice';
import { hereOf } from '../lib/token-renewal';
import { loadConsoleConfig, type OidcConfig, startSignIn } from './console-config';

const MESSAGES: Record<SignInReason, string | null> = {
  required: null,
  refused: 'Those credentials were refused. Check the key, or sign in again; an admin can issue a new key.',
  expired: 'Your session expired. Sign in again.',
};

/** Shown when the API answers 401: an OIDC sign-in when Baton has one, and always an API key. */
export function Login({ onLogin, reason, error }: { onLogin: () => void; reason: SignInReason; error?: Error }) {
  const [key, setKey] = useState('');
  const [oidc, setOidc] = useState<OidcConfig | null>(null);
  const [failure, setFailure] = useState<Error | undefined>(error);
  useEffect(() => { loadConsoleConfig().then((c) => setOidc(c.oidc), () => setOidc(null)); }, []);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!key.trim()) return;
    apiKey.set(key.trim());
    onLogin();
  };
  const returnTo = hereOf(location);
  const message = MESSAGES[reason];
  return (
    <main class="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Baton</h1>
        {message && <div class="error" role="alert">{message}</div>}
        <ErrorNotice error={failure} />
        {oidc && (
          <>
            <button type="button" class="primary" onClick={() => startSignIn(oidc, returnTo).catch(setFailure)}>
              Sign in with {new URL(oidc.issuer).host}
            </button>
            <p class="muted or">or paste an API key</p>
          </>
        )}
        {!oidc && <p>This Baton requires credentials. Paste an API key issued by Baton; it is kept in this tab only.</p>}
        <label>API key
          <input type="password" autoComplete="off" autoFocus={!oidc} value={key} onInput={(e) => setKey(e.currentTarget.value)} required maxLength={512} />
        </label>
        <button type="submit" class={oidc ? '' : 'primary'}>Sign in{oidc ? ' with the key' : ''}</button>
      </form>
    </main>
  );
}
