import type { JobExecutionEntity } from '../job-execution.entity';
import { storableJson } from '../storable-json';
import type { CallResponse } from './http-call.client';

/** What a response leaves on the row and in the step's output: status, the headers asked for, the body. */
export function keptResponse(res: CallResponse, outputHeaders: string[], scrub: (text: string) => string): Record<string, unknown> {
  // Scrubbed: a partner that echoes the credential it was sent must not put it in a row or an output.
  const cleaned = (value: unknown) => storableJson(value, scrub);
  const headers: Record<string, string> = {};
  for (const name of outputHeaders) {
    const value = res.headers[name];
    if (value !== undefined) headers[name] = cleaned(Array.isArray(value) ? value.join(', ') : value) as string;
  }
  return { status: res.status, headers, body: cleaned(res.body), ...(res.bodyTruncated ? { bodyTruncated: true } : {}) };
}

/** The output of a finished http step: `${steps.<name>.output.body.id}` and the like. */
export function httpOutputOf(row: JobExecutionEntity): Record<string, unknown> {
  const kept = row.responsePayload ?? {};
  return { jobExecutionId: row.id, status: kept.status ?? null, headers: kept.headers ?? {}, body: kept.body ?? null,
    ...(kept.bodyTruncated ? { bodyTruncated: true } : {}) };
}
