import { describe, expect, it } from 'vitest';
import type { TemplateStep, TemplateVersion } from '../api/types';
import { diffVersions } from './version-diff';

const step = (name: string, seq: number, more: Partial<TemplateStep> = {}): TemplateStep =>
  ({ name, seq, objectType: 'Order', timeoutSeconds: null, retry: null, handler: { type: 'worker' }, undo: true, ...more });
const version = (n: number, steps: TemplateStep[]): TemplateVersion =>
  ({ version: n, type: 'sequential', registeredBy: 's', contentHash: `h${n}`, createdAt: '', steps });

describe('diffVersions', () => {
  it('marks an added step and a changed field', () => {
    const d = diffVersions(version(1, [step('a', 1), step('b', 2)]), version(2, [step('a', 1), step('b', 2, { timeoutSeconds: 30 }), step('c', 3)]));
    const added = d.filter((l) => l.kind === 'added').map((l) => l.text.trim());
    expect(added).toContain('"timeoutSeconds": 30');
    expect(added).toContain('"name": "c",');
    expect(d.some((l) => l.kind === 'same' && l.text.includes('"name": "a"'))).toBe(true);
  });

  it('marks a removed step', () => {
    const d = diffVersions(version(1, [step('a', 1), step('b', 2)]), version(2, [step('a', 1)]));
    expect(d.filter((l) => l.kind === 'removed').map((l) => l.text.trim())).toContain('"name": "b",');
    expect(d.some((l) => l.kind === 'added')).toBe(false);
  });

  it('is all "same" for identical versions', () => {
    const d = diffVersions(version(1, [step('a', 1)]), version(2, [step('a', 1)]));
    expect(d.every((l) => l.kind === 'same')).toBe(true);
  });
});
