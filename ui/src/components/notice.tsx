import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client';

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty" role="status">{children}</div>;
}

/** An error, with what the API said was wrong field by field, and the id support looks the request up by. */
export function ErrorNotice({ error, withCode = false }: { error?: Error | null; withCode?: boolean }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  return (
    <div class="error" role="alert">
      {withCode && api ? `${api.code}: ${api.message}` : error.message}
      {api && api.problems.length > 0 && (
        <ul class="problems">{api.problems.map((p, i) => <li key={i}>{p.path ? <><code>{p.path}</code>: </> : null}{p.message}</li>)}</ul>
      )}
      {api?.correlationId && <div class="small">Correlation id (for support): <code class="mono">{api.correlationId}</code></div>}
    </div>
  );
}
