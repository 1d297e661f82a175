import { describe, expect, it } from 'vitest';
import type { WorkerRegistration } from '../api/types';
import { groupByService, pageCoverage } from './worker-groups';

let n = 0;
const reg = (serviceName: string, orchName: string, stepName: string, updatedAt = '2026-12-01T12:00:00Z'): WorkerRegistration => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, orchName, stepName, serviceName, objectType: 'String',
  topic: `orchestrator.commands.${serviceName}`, createdAt: '2026-12-01T11:00:00Z', updatedAt,
});

describe('groupByService', () => {
  it('groups a page of registrations by service, in name order, keeping the API\'s order of templates and steps', () => {
    const groups = groupByService([
      reg('realm-svc', 'tenant', 'createRealm'), reg('client-svc', 'tenant', 'createClient'), reg('realm-svc', 'tenant', 'deleteRealm'),
      reg('realm-svc', 'zone', 'assign', '2026-12-01T12:30:00Z'),
    ]);
    expect(groups.map((g) => g.service)).toEqual(['client-svc', 'realm-svc']);
    expect(groups[1].templates.map((t) => [t.orchName, t.steps.map((s) => s.stepName)]))
      .toEqual([['tenant', ['createRealm', 'deleteRealm']], ['zone', ['assign']]]);
    expect(groups[1].topics).toEqual(['orchestrator.commands.realm-svc']);
    expect(groups[1].lastRegisteredAt).toBe('2026-12-01T12:30:00Z');
  });

  it('sorts names by code point, not by locale, so that the order is the same in every browser', () => {
    expect(groupByService([reg('b', 't', 's'), reg('B', 't', 's'), reg('a', 't', 's')]).map((g) => g.service)).toEqual(['B', 'a', 'b']);
  });

  it('keeps each topic a service was registered on once', () => {
    const other = { ...reg('svc', 't', 'b'), topic: 'cmd.svc' };
    expect(groupByService([reg('svc', 't', 'a'), other, reg('svc', 't', 'c')])[0].topics).toEqual(['orchestrator.commands.svc', 'cmd.svc']);
  });

  it('gives nothing for an empty page', () => {
    expect(groupByService([])).toEqual([]);
  });
});

describe('pageCoverage', () => {
  it('counts the registrations and the services they come from, when every one is on one page', () => {
    expect(pageCoverage(1, 25, 5, 2, false)).toBe('5 step registrations by 2 services.');
    expect(pageCoverage(1, 25, 1, 1, false)).toBe('1 step registration by 1 service.');
  });

  it('says which registrations the page shows, and that a service may go on over other pages', () => {
    expect(pageCoverage(2, 25, 60, 4, false))
      .toBe('Step registrations 26–50 of 60, by 4 services. A service may have more steps on other pages: filter by its name to see them all.');
    expect(pageCoverage(3, 25, 60, 1, true)).toBe('Step registrations 51–60 of 60, by 1 service.');
  });

  it('says nothing for an empty list, or a page past the end (the table says so)', () => {
    expect(pageCoverage(1, 25, 0, 0, false)).toBeNull();
    expect(pageCoverage(9, 25, 60, 0, false)).toBeNull();
  });
});
