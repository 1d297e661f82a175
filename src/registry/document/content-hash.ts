import { createHash } from 'node:crypto';
import type { InitiatorDocument } from './registration-document';

/**
 * sha256 (hex) of what defines a template's behaviour: type, description and every step field.
 * Canonical JSON (keys sorted at every level) makes it independent of key order and formatting, so
 * re-registering an unchanged template is recognised. orchName and service identify, not define.
 */
export function contentHash(doc: InitiatorDocument): string {
  // Deadline fields are absent unless given (canonicalJson drops undefined), so older templates keep their hash.
  const defining = { type: doc.type, description: doc.description, steps: doc.steps,
    deadlineSeconds: doc.deadlineSeconds, onDeadline: doc.onDeadline };
  return createHash('sha256').update(canonicalJson(defining)).digest('hex');
}

/** JSON with object keys sorted; `undefined` object values are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const entries = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${entries.join(',')}}`;
}
