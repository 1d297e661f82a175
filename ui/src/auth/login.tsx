import { useEffect, useState } from 'preact/hooks';
import { type ApiError, apiKey, type SignInReason } from '../api/client';
import { ErrorNotice } from '../components/notice';
import { hereOf } from '../lib/token-renewal';
import { loadConsoleConfig, type OidcConfig, startSignIn } from './console-config';
import { countDown } from './countdown';
import { signInMessage } from './sign-in-message';

/** Seconds left of a lockout's Retry-After, counted down once a second (countDown); null without one. */
function useCountdown(seconds: number | null | undefined): number | null {
  const [left, setLeft] = useState(seconds ?? null);
  useEffect(() => {
    setLeft(seconds ?? null);
    if (!seconds) return;
    return countDown(seconds, setLeft);
  }, [seconds]);
  return left;
}

/**
 * Shown when the API answers 401, or 429 (this address is locked out after failed sign-ins): an
 * OIDC sign-in when Baton has one, and always an API key. `refusal` is Baton's answer, which says why.
 */
export function Login({ onLogin, reason, error, refusal }: { onLogin: () => void; reason: SignInReason; error?: Error; refusal?: ApiError }) {
  const [key, setKey] = useState('');
  const [oidc, setOidc] = useState<OidcConfig | null>(null);
  const [failure, setFailure] = useState<Error | undefined>(error);
  const left = useCountdown(refusal?.status === 429 ? refusal.retryAfterSeconds : null);
  useEffect(() => { loadConsoleConfig().then((c) => setOidc(c.oidc), () => setOidc(null)); }, []);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!key.trim()) return;
    apiKey.set(key.trim());
    onLogin();
  };
  const returnTo = hereOf(location);
  const message = signInMessage(reason, refusal, left);
  return (
    <main class="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Baton</h1>
        {message && <div class="error" role="alert" data-testid="sign-in-message">{message}</div>}
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
