import { diffLines } from 'diff';
import type { TemplateVersion } from '../api/types';

export interface DiffLine { kind: 'same' | 'added' | 'removed'; text: string }

/** A version as people read it: the type, then one block per step with only the fields it sets. */
export function versionText(v: TemplateVersion): string {
  const steps = v.steps.slice().sort((a, b) => a.seq - b.seq || a.name.localeCompare(b.name)).map((s) => {
    const fields: Record<string, unknown> = { seq: s.seq, name: s.name, objectType: s.objectType, handler: s.handler, undo: s.undo };
    if (s.timeoutSeconds !== null) fields.timeoutSeconds = s.timeoutSeconds;
    if (s.retry !== null && s.retry !== undefined) fields.retry = s.retry;
    return JSON.stringify(fields, null, 2);
  });
  return [`type: ${v.type}`, ...steps].join('\n') + '\n';
}

/**
 * How far the diff goes before it gives up: the work grows with the lines and with how much
 * changed, and two large, unrelated versions would hold the page for seconds.
 */
export const DIFF_LIMITS = { maxEditLength: 2000, timeout: 300 };

/** Line diff between two versions, older first; null when they are too different to diff within `limits`. */
export function diffVersions(older: TemplateVersion, newer: TemplateVersion, limits = DIFF_LIMITS): DiffLine[] | null {
  const parts = diffLines(versionText(older), versionText(newer), limits);
  return parts ? parts.flatMap((part) =>
    part.value.replace(/\n$/, '').split('\n').map((text) => ({ kind: part.added ? 'added' : part.removed ? 'removed' : 'same', text }))) : null;
}
