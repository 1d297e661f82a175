import { describe, expect, it } from 'vitest';
import type { TemplateStep, TemplateVersion } from '../api/types';
import { diffVersions, versionText } from './version-diff';

const step = (name: string, seq: number, more: Partial<TemplateStep> = {}): TemplateStep =>
  ({
    name, seq, objectType: 'Order', timeoutSeconds: null, heartbeatSeconds: null, retry: null, handler: { type: 'worker' }, undo: true,
    onFailure: 'compensate', workers: null, mayWork: null, dependsOn: null, ...more,
  });
const version = (n: number, steps: TemplateStep[]): TemplateVersion =>
  ({ version: n, type: 'sequential', registeredBy: 's', contentHash: `h${n}`, createdAt: '', steps, graph: { nodes: [], edges: [] } });

describe('diffVersions', () => {
  it('marks an added step and a changed field', () => {
    const d = diffVersions(version(1, [step('a', 1), step('b', 2)]), version(2, [step('a', 1), step('b', 2, { timeoutSeconds: 30 }), step('c', 3)]));
    const added = d!.filter((l) => l.kind === 'added').map((l) => l.text.trim());
    expect(added).toContain('"timeoutSeconds": 30,');
    expect(added).toContain('"name": "c",');
    expect(d!.some((l) => l.kind === 'same' && l.text.includes('"name": "a"'))).toBe(true);
  });

  it('shows a change to any field the API gives for a step: onFailure, heartbeatSeconds, dependsOn, workers', () => {
    const d = diffVersions(version(1, [step('a', 1), step('b', 2, { onFailure: 'compensate', workers: null })]),
      version(2, [step('a', 1, { heartbeatSeconds: 15 }), step('b', 2, { onFailure: 'pause', workers: ['billing'], dependsOn: ['a'] })]));
    const added = d!.filter((l) => l.kind === 'added').map((l) => l.text.trim());
    expect(added).toEqual(expect.arrayContaining(['"heartbeatSeconds": 15,', '"onFailure": "pause",', '"billing"', '"dependsOn": [']));
    expect(d!.filter((l) => l.kind === 'removed').map((l) => l.text.trim())).toContain('"onFailure": "compensate"');
  });

  it("leaves out what Baton derives from today's settings (mayWork): only what the version registered", () => {
    const text = versionText(version(1, [step('a', 1, { mayWork: ['shop'] })]));
    expect(text).not.toContain('mayWork');
    expect(text).toContain('"name": "a"');
  });

  it('marks a removed step', () => {
    const d = diffVersions(version(1, [step('a', 1), step('b', 2)]), version(2, [step('a', 1)]));
    expect(d!.filter((l) => l.kind === 'removed').map((l) => l.text.trim())).toContain('"name": "b",');
    expect(d!.some((l) => l.kind === 'added')).toBe(false);
  });

  it('is all "same" for identical versions', () => {
    const d = diffVersions(version(1, [step('a', 1)]), version(2, [step('a', 1)]));
    expect(d!.every((l) => l.kind === 'same')).toBe(true);
  });

  it('gives up (null) on versions too different to diff within the limits', () => {
    const older = version(1, [step('a', 1), step('b', 2)]), newer = version(2, [step('c', 1), step('d', 2, { timeoutSeconds: 5 })]);
    expect(diffVersions(older, newer, { maxEditLength: 3, timeout: 1000 })).toBeNull();
    expect(diffVersions(older, newer, { maxEditLength: 100, timeout: 1000 })).not.toBeNull();
  });

  it('gives up within the default limits on two large unrelated versions, rather than hold the page', () => {
    const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => step(`${prefix}${i}`, i, { objectType: `${prefix}Type${i}` }));
    const started = Date.now();
    expect(diffVersions(version(1, many('a', 2000)), version(2, many('b', 2000)))).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
