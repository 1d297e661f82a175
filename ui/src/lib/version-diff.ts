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

/** Line diff between two versions, older first. */
export function diffVersions(older: TemplateVersion, newer: TemplateVersion): DiffLine[] {
  return diffLines(versionText(older), versionText(newer)).flatMap((part) =>
    part.value.replace(/\n$/, '').split('\n').map((text) => ({ kind: part.added ? 'added' : part.removed ? 'removed' : 'same', text })));
}
