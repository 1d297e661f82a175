import { createHash } from 'node:crypto';

/** Hex digits of a fingerprint (64 in all, the payload_hash column's width) that hash the payload. */
const PAYLOAD_DIGITS = 48;

/**
 * What a replay of an idempotent start must match, stored as the run's payload_hash: its payload
 * and content type, and the deadline it asked for (X-Deadline-Seconds, or deadlineSeconds on the
 * start topic), which a replay would otherwise be answered 202 without. Without a deadline it is
 * the payload's SHA-256, as every run's was before the deadline counted, so a replay of a run made
 * before still matches. With one, its last 16 digits hash the deadline instead, so that a refusal
 * can say which of the two differs (fingerprintDifference).
 */
export function startFingerprint(contentType: string, payload: Buffer, deadlineSeconds: number | undefined): string {
  const payloadHash = createHash('sha256').update(contentType).update('\0').update(payload).digest('hex');
  if (deadlineSeconds === undefined) return payloadHash;
  const deadlineHash = createHash('sha256').update(`${payloadHash}\0${deadlineSeconds}`).digest('hex');
  return payloadHash.slice(0, PAYLOAD_DIGITS) + deadlineHash.slice(PAYLOAD_DIGITS);
}

/** What a start differs by from the run whose fingerprint is stored; undefined when it is a replay of it. */
export function fingerprintDifference(stored: string, asked: string): 'payload' | 'deadline' | undefined {
  if (stored === asked) return undefined;
  return stored.slice(0, PAYLOAD_DIGITS) === asked.slice(0, PAYLOAD_DIGITS) ? 'deadline' : 'payload';
}
