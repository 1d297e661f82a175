import type { ComponentChildren } from 'preact';
import { ApiError, NetworkError } from '../api/client';
import { clockTime } from '../lib/time';

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty" role="status">{children}</div>;
}

/**
 * What a failed poll means for what is on screen: Baton gave no answer at all, or the data shown
 * is from an earlier one (`answeredAt`), so that nothing reads as current when it is not.
 */
export function staleText(error: Error, answeredAt: number | undefined): string {
  const since = answeredAt === undefined ? 'no answer yet' : `last answer at ${clockTime(answeredAt)}`;
  if (error instanceof NetworkError) return `Baton is unreachable (${since}).`;
  // Baton's messages end without a full stop: one is added before the next sentence, not run into it.
  return answeredAt === undefined ? error.message : `${error.message.replace(/(?<![.!?])$/, '.')} What is shown is from the last answer, at ${clockTime(answeredAt)}.`;
}

/** One of a page's reads, as useResource gives it. */
interface Read { error?: Error; answeredAt?: number }

/**
 * Baton unreachable is one fact about the page, not one per panel that reads from it: the page
 * says it once, with the last answer any of its reads had (one that still answers too: a read
 * that never answered must not make the page say "no answer yet" under what another just got),
 * and each panel says only what else went wrong with its own read (`ownError`). Undefined while
 * Baton answers.
 */
export function unreachable(reads: Read[]): Read | undefined {
  const down = reads.filter((r) => r.error instanceof NetworkError);
  if (down.length === 0) return undefined;
  const answers = reads.flatMap((r) => (r.answeredAt === undefined ? [] : [r.answeredAt]));
  return { error: down[0].error, answeredAt: answers.length ? Math.max(...answers) : undefined };
}

/** The class that greys what a failed read (or an unreachable Baton) left on screen. */
export const staleIf = (failed: unknown): 'stale' | undefined => (failed ? 'stale' : undefined);

/** A read's error for its own panel: any but Baton unreachable, which the page says once. */
export const ownError = (read: Read): Error | undefined => (read.error instanceof NetworkError ? undefined : read.error);

/**
 * An error, with what the API said was wrong field by field, and the id support looks the request
 * up by. With `polled`, the error of a polled read: it says how old what is shown is.
 */
export function ErrorNotice({ error, withCode = false, polled }: { error?: Error | null; withCode?: boolean; polled?: { answeredAt?: number } }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  return (
    <div class="error" role="alert">
      {polled ? staleText(error, polled.answeredAt) : withCode && api ? `${api.code}: ${api.message}` : error.message}
      {api && api.problems.length > 0 && (
        <ul class="problems">{api.problems.map((p, i) => <li key={i}>{p.path ? <><code>{p.path}</code>: </> : null}{p.message}</li>)}</ul>
      )}
      {api?.correlationId && <div class="small">Correlation id (for support): <code class="mono">{api.correlationId}</code></div>}
    </div>
  );
}
