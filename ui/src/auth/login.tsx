import { useState } from 'preact/hooks';
import { apiKey } from '../api/client';

/** Shown when the API answers 401: the key is kept for this tab only (sessionStorage). */
export function Login({ onLogin, failed }: { onLogin: () => void; failed: boolean }) {
  const [key, setKey] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    if (!key.trim()) return;
    apiKey.set(key.trim());
    onLogin();
  };
  return (
    <main class="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Baton</h1>
        <p>This Baton requires credentials. Paste an API key issued by Baton; it is kept in this tab only.</p>
        {failed && <div class="error" role="alert">That key was refused. Check it, or ask an admin for a new one.</div>}
        <label>API key
          <input type="password" autoComplete="off" autoFocus value={key} onInput={(e) => setKey(e.currentTarget.value)} required maxLength={512} />
        </label>
        <button type="submit" class="primary">Sign in</button>
      </form>
    </main>
  );
}
