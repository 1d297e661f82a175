import { useState } from 'preact/hooks';
import { NetworkError, request } from '../api/client';
import type { ApiKey, RevokedApiKey } from '../api/types';
import { useMe } from '../auth/session';
import { ConfirmDialog } from '../components/confirm-dialog';
import { FreeText } from '../components/free-text';
import { Name } from '../components/name';
import { ErrorNotice } from '../components/notice';
import { isOwnKey, revokeUnknown } from '../lib/api-keys';

/**
 * Asks before revoking a key, naming it by its prefix (what its holder sees in Baton's refusals)
 * and saying what revoking does. Revoking a revoked key changes nothing, so a second click is harmless.
 */
export function RevokeKeyDialog({ apiKey, onClose, onRevoked }: { apiKey: ApiKey; onClose: () => void; onRevoked: (key: RevokedApiKey) => void }) {
  const me = useMe();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      onRevoked(await request<RevokedApiKey>(`/api/admin/api-keys/${encodeURIComponent(apiKey.id)}`, { method: 'DELETE' }));
    } catch (e) {
      setError(e instanceof NetworkError ? new Error(revokeUnknown(apiKey.prefix)) : e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog title={`Revoke key ${apiKey.prefix}?`} confirmLabel="Revoke" busy={busy} onConfirm={confirm} onClose={() => { if (!busy) onClose(); }}>
      <p data-testid="revoke-effect">
        Key <code>{apiKey.prefix}</code> (“<FreeText text={apiKey.name} />”, {apiKey.role}{apiKey.service && <> for <Name of={apiKey.service} /></>}) stops
        working: every request made with it is refused (401), on every Baton instance within about a second. A revoked key cannot be restored; issue a new one instead.
      </p>
      {isOwnKey(me, apiKey) && (
        <div class="warn" role="status" data-testid="revoke-own-key">This is the key you are signed in with: the console will ask you to sign in again.</div>
      )}
      <ErrorNotice error={error} withCode />
    </ConfirmDialog>
  );
}
