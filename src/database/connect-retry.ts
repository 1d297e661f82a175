/**
 * PostgreSQL's refusals that no retry cures: a wrong password or user, or a database that does not
 * exist. Baton stops on the first, with PostgreSQL's message, instead of after nine retries 27 s
 * later. A refused or unreachable server is still retried: it may be starting beside Baton.
 */
const FOR_GOOD = new Set(['28P01', '28000', '3D000']);

/** Whether a failure to connect at start is worth another try (TypeOrmModule's `toRetry`). */
export function worthRetrying(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return !(typeof code === 'string' && FOR_GOOD.has(code));
}
