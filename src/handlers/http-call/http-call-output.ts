import type { JobExecutionEntity } from '../job-execution.entity';
import type { CallResponse } from './http-call.client';

/** NUL cannot be stored in jsonb (PostgreSQL rejects it): a partner's body must not fail the write. */
function withoutNul(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  const json = JSON.stringify(value);
  return json.includes('\\u0000') ? JSON.parse(json.replace(/\\u0000/g, '')) as unknown : value;
}

/** What a response leaves on the row and in the step's output: status, the headers asked for, the body. */
export function keptResponse(res: CallResponse, outputHeaders: string[]): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const name of outputHeaders) {
    const value = res.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status: res.status, headers, body: withoutNul(res.body), ...(res.bodyTruncated ? { bodyTruncated: true } : {}) };
}

/** The output of a finished http step: `${steps.<name>.output.body.id}` and the like. */
export function httpOutputOf(row: JobExecutionEntity): Record<string, unknown> {
  const kept = row.responsePayload ?? {};
  return { jobExecutionId: row.id, status: kept.status ?? null, headers: kept.headers ?? {}, body: kept.body ?? null,
    ...(kept.bodyTruncated ? { bodyTruncated: true } : {}) };
}
