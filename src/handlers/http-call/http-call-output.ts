import type { JobExecutionEntity } from '../job-execution.entity';
import type { CallResponse } from './http-call.client';

/**
 * Every string of a response, scrubbed: a partner that echoes the credential it was sent must not
 * put it in a row or an output. NUL goes too: jsonb cannot store it, and the write would fail.
 */
function cleaned(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value).replace(/\0/g, '');
  if (Array.isArray(value)) return value.map((v) => cleaned(v, scrub));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      Object.defineProperty(out, cleaned(key, scrub) as string, { value: cleaned(v, scrub), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value ?? null;
}

/** What a response leaves on the row and in the step's output: status, the headers asked for, the body. */
export function keptResponse(res: CallResponse, outputHeaders: string[], scrub: (text: string) => string): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const name of outputHeaders) {
    const value = res.headers[name];
    if (value !== undefined) headers[name] = cleaned(Array.isArray(value) ? value.join(', ') : value, scrub) as string;
  }
  return { status: res.status, headers, body: cleaned(res.body, scrub), ...(res.bodyTruncated ? { bodyTruncated: true } : {}) };
}

/** The output of a finished http step: `${steps.<name>.output.body.id}` and the like. */
export function httpOutputOf(row: JobExecutionEntity): Record<string, unknown> {
  const kept = row.responsePayload ?? {};
  return { jobExecutionId: row.id, status: kept.status ?? null, headers: kept.headers ?? {}, body: kept.body ?? null,
    ...(kept.bodyTruncated ? { bodyTruncated: true } : {}) };
}
