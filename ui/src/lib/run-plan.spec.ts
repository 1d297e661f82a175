import { describe, expect, it } from 'vitest';
import type { RunDetail, StepAttempt, TemplateDetail, TemplateStep } from '../api/types';
import { runActions, terminateChoices } from './run-actions';
import { noUndoOf, planUrl } from './run-plan';

const att = (stepName: string, seq: number): StepAttempt => ({
  stepName, seq, action: 'DO', attempt: 1, commandId: stepName, budgetStart: 1, status: 'SUCCEEDED', handlerType: 'worker', target: null, output: null, error: null,
  dispatchedAt: '2026-12-01T00:00:00Z', deadlineAt: '2026-12-01T00:01:00Z', completedAt: '2026-12-01T00:00:01Z', lastHeartbeatAt: null,
});
const run = { flowId: 'f', orchName: 'ship it', templateVersion: 3, status: 'COMPLETED', steps: [att('reserve', 1), att('charge', 2)], actions: [{ action: 'undo', allowed: true }] } as unknown as RunDetail;
const step = (name: string, undo: boolean) => ({ name, undo }) as TemplateStep;
/** What the API answers without `?version=`: the newest versions, not the run's version 3. */
const newest = { versions: [12, 11, 10, 9, 8, 7, 6, 5, 4].map((version) => ({ version, steps: [step('reserve', true), step('charge', true)] })) } as unknown as TemplateDetail;

describe('the plan behind an undo confirmation', () => {
  it("reads the run's own template version", () => {
    expect(planUrl(run)).toBe('/api/orchestration/templates/ship%20it?version=3');
  });

  it('names the steps that version declares undo: false', () => {
    const withIt = { versions: [{ version: 3, steps: [step('reserve', true), step('charge', false)] }] } as unknown as TemplateDetail;
    const noUndo = noUndoOf(withIt, 3);
    expect([...noUndo!]).toEqual(['charge']);
    expect(runActions(run, noUndo).find((a) => a.action === 'undo')!.effect).toContain('undone: reserve; charge declares undo: false and stays as done');
  });

  it('lists no step as undone until that version is read: says it is not known', () => {
    for (const template of [undefined, newest]) {
      const noUndo = noUndoOf(template, 3);
      expect(noUndo).toBeNull();
      const effect = runActions(run, noUndo).find((a) => a.action === 'undo')!.effect;
      expect(effect).toContain('not known yet');
      expect(effect).not.toContain('undone: reserve');
      expect(terminateChoices(run, noUndo).find((c) => c.mode === 'undo')!.effect).toContain('not known yet');
    }
  });
});
