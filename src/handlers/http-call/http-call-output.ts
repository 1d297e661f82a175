import type { JobExecutionEntity } from '../job-execution.entity';
import { MAX_KEPT_DEPTH, storableJson } from '../storable-json';
import type { CallResponse } from './http-call.client';

/**
 * What a response leaves on the row and in the step's output: status, the headers asked for, the
 * body. A value under a key (or header) that `hidesValue` names is kept as `***`.
 */
export function keptResponse(res: CallResponse, outputHeaders: string[], scrub: (text: string) => string,
  hidesValue: (key: string) => boolean = () => false): Record<string, unknown> {
  // Scrubbed: a partner that echoes the credential it was sent must not put it in a row or an output.
  const cleaned = (value: unknown) => storableJson(value, scrub, MAX_KEPT_DEPTH, hidesValue);
  const headers: Record<string, string> = {};
  for (const name of outputHeaders) {
    const value = res.headers[name];
    if (value !== undefined) headers[name] = hidesValue(name) ? '***' : cleaned(Array.isArray(value) ? value.join(', ') : value) as string;
  }
  return { status: res.status, headers, body: cleaned(res.body), ...(res.bodyTruncated ? { bodyTruncated: true } : {}) };
}

/** The output of a finished http step: `${steps.<name>.output.body.id}` and the like. */
export function httpOutputOf(row: JobExecutionEntity): Record<string, unknown> {
  const kept = row.responsePayload ?? {};
  return { jobExecutionId: row.id, status: kept.status ?? null, headers: kept.headers ?? {}, body: kept.body ?? null,
    ...(kept.bodyTruncated ? { bodyTruncated: true } : {}) };
}
