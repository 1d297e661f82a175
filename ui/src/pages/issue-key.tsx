import { useState } from 'preact/hooks';
import { NetworkError, postJson } from '../api/client';
import type { CreatedApiKey, Role } from '../api/types';
import { copyLabel, CopyStatus, useCopy } from '../components/copy';
import { FreeText } from '../components/free-text';
import { Name } from '../components/name';
import { ErrorNotice } from '../components/notice';
import { Time } from '../components/time';
import { EMPTY_KEY_FORM, issueUnknown, KEY_ROLES, type KeyForm, newKeyBody } from '../lib/api-keys';
import { serverNow } from '../lib/server-clock';
import { toLocalInput } from '../lib/time';

/**
 * The key just issued, with its secret: shown here once, from this component's memory only (never
 * the URL, localStorage or sessionStorage), and gone once dismissed, on leaving the page or on a
 * reload. Baton keeps only a hash of it, so it cannot be shown again.
 */
function NewKey({ issued, onDone }: { issued: CreatedApiKey; onDone: () => void }) {
  const { state, copy } = useCopy();
  return (
    <section class="warn new-key" aria-label="The new API key" data-testid="new-key" data-prefix={issued.prefix}>
      <p><strong>Copy this key now: it will not be shown again.</strong> Baton keeps only a hash of it. If it is lost, revoke it and issue another.</p>
      <p>
        Key <code>{issued.prefix}</code>, “<FreeText text={issued.name} />”: role {issued.role}{issued.service && <> for <Name of={issued.service} /></>},{' '}
        {issued.expiresAt ? <>expires <Time at={issued.expiresAt} /></> : 'never expires'}. Send it as <code>Authorization: Bearer &lt;key&gt;</code> or <code>X-API-Key: &lt;key&gt;</code>.
      </p>
      <div class="secret">
        <input type="text" readOnly value={issued.key} aria-label="API key (shown once)" spellcheck={false} autoComplete="off" class="mono"
          data-testid="new-key-secret" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy(issued.key)}>{copyLabel(state, 'Copy')}</button>
        <CopyStatus state={state} what={`key ${issued.prefix}`} />
      </div>
      <button type="button" class="primary" onClick={onDone}>Done: I have stored it</button>
    </section>
  );
}

/**
 * The form that issues a key: a name that says what it is for, a role, the service a service key
 * proves, and an optional expiry. Baton checks each field and answers what is wrong by path.
 */
export function IssueKey({ onIssued }: { onIssued: () => void }) {
  const [form, setForm] = useState<KeyForm>(EMPTY_KEY_FORM);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [issued, setIssued] = useState<CreatedApiKey | null>(null);
  const set = (next: Partial<KeyForm>) => setForm((f) => ({ ...f, ...next }));
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setIssued(null);
    const body = newKeyBody(form);
    try {
      setIssued(await postJson<CreatedApiKey>('/api/admin/api-keys', body));
      setForm(EMPTY_KEY_FORM);
      onIssued();
    } catch (err) {
      setError(err instanceof NetworkError ? new Error(issueUnknown(body.name)) : err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="issue-key-title">
      <h2 id="issue-key-title">Issue a key</h2>
      {issued && <NewKey issued={issued} onDone={() => setIssued(null)} />}
      <form class="filters issue-key" onSubmit={submit}>
        <label>Name (what the key is for)
          <input type="text" required maxLength={100} value={form.name} onInput={(e) => set({ name: e.currentTarget.value })} />
        </label>
        <label>Role
          <select value={form.role} onChange={(e) => set({ role: e.currentTarget.value as Role })}>
            {KEY_ROLES.map((r) => <option key={r}>{r}</option>)}
          </select>
        </label>
        {form.role === 'service' && (
          <label>Service (the name it proves)
            <input type="text" required maxLength={200} value={form.service} onInput={(e) => set({ service: e.currentTarget.value })} />
          </label>
        )}
        <label>Expires (optional)
          <input type="datetime-local" min={toLocalInput(new Date(serverNow()).toISOString())} value={form.expires} onInput={(e) => set({ expires: e.currentTarget.value })} />
        </label>
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Issuing…' : 'Issue key'}</button>
      </form>
      <ErrorNotice error={error} withCode />
    </section>
  );
}
