import { diffLines } from 'diff';
import type { TemplateVersion } from '../api/types';

export interface DiffLine { kind: 'same' | 'added' | 'removed'; text: string }

/** The order a step's fields are written in; any other field the API gives follows, by name. */
const FIELD_ORDER = ['seq', 'name', 'objectType', 'dependsOn', 'handler', 'undo', 'timeoutSeconds', 'heartbeatSeconds', 'retry', 'onFailure', 'workers'];
const rank = (field: string) => (FIELD_ORDER.includes(field) ? FIELD_ORDER.indexOf(field) : FIELD_ORDER.length);
/** What Baton derives from a step and today's settings, not what the version registered. */
const DERIVED = ['mayWork'];

/**
 * A version as people read it: the type, then one block per step with every field the API gives
 * that is set. Every one, not a chosen few: a version that changed only a field left out (a
 * step's onFailure, its allowed workers) read as no change at all.
 */
export function versionText(v: TemplateVersion): string {
  const steps = v.steps.slice().sort((a, b) => a.seq - b.seq || a.name.localeCompare(b.name)).map((s) => {
    const fields = Object.entries(s).filter(([field, value]) => value !== null && value !== undefined && !DERIVED.includes(field))
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
    return JSON.stringify(Object.fromEntries(fields), null, 2);
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
