import { describe, expect, it } from 'vitest';
import type { WorkerRegistration } from '../api/types';
import { moreSteps, templatesOf } from './worker-groups';

let n = 0;
const reg = (orchName: string, stepName: string): WorkerRegistration => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, orchName, stepName, serviceName: 'realm-svc', objectType: 'String',
  topic: 'orchestrator.commands.realm-svc', createdAt: '2026-12-01T11:00:00Z', updatedAt: '2026-12-01T12:00:00Z',
});

describe('templatesOf', () => {
  it("groups a service's registrations by template, keeping the API's order of templates and steps", () => {
    const templates = templatesOf([reg('tenant', 'createRealm'), reg('tenant', 'deleteRealm'), reg('zone', 'assign')]);
    expect(templates.map((t) => [t.orchName, t.steps.map((s) => s.stepName)])).toEqual([['tenant', ['createRealm', 'deleteRealm']], ['zone', ['assign']]]);
  });

  it('gives nothing for a service without registrations (all filtered out)', () => {
    expect(templatesOf([])).toEqual([]);
  });
});

describe('moreSteps', () => {
  it('says how many registrations the API left out, and how to see them', () => {
    const shown = Array.from({ length: 200 }, (_, i) => reg('t', `s${i}`));
    expect(moreSteps({ registrationCount: 300, registrations: shown })).toBe('and 100 more step registrations: filter by template to see them');
    expect(moreSteps({ registrationCount: 201, registrations: shown })).toBe('and 1 more step registration: filter by template to see them');
  });

  it('says nothing when every registration is shown', () => {
    expect(moreSteps({ registrationCount: 2, registrations: [reg('t', 'a'), reg('t', 'b')] })).toBeNull();
  });
});
