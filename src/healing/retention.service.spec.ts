import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import type { SecurityAuditRepository } from '../auth/audit/security-audit.repository';
import { loadConfig } from '../config/load-config';
import type { RegistrationAuditRepository } from '../registry/registration-audit.repository';
import { Retention } from './retention.service';
import type { RunRetentionRepository } from './run-retention.repository';

/** A retention whose runs repository removes `runs` (up to its batch) and whose audits remove nothing; the cutoffs it was given. */
function retentionWith(env: Record<string, string>, runs = 0) {
  const cutoffs: Date[] = [];
  const none = { pruneOlderThan: async (cutoff: Date) => { cutoffs.push(cutoff); return 0; } };
  const runRepository = { pruneFinishedBefore: async (cutoff: Date, batch: number) => { cutoffs.push(cutoff); return Math.min(runs, batch); } };
  // The expired worker instances' statement: nothing to remove.
  const dataSource = { query: async () => [{ n: 0 }] };
  const retention = new Retention(dataSource as unknown as DataSource, runRepository as unknown as RunRetentionRepository,
    none as unknown as RegistrationAuditRepository, none as unknown as SecurityAuditRepository, loadConfig(env));
  return { retention, cutoffs };
}

describe('Retention', () => {
  it('refuses a retention whose cutoff no database holds, which failed the healer every tick', () => {
    expect(() => loadConfig({ RUN_RETENTION_DAYS: '99999999' })).toThrow(/RUN_RETENTION_DAYS/);
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '99999999' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });

  it('computes a real cutoff at the longest retention allowed', async () => {
    const { retention, cutoffs } = retentionWith({ RUN_RETENTION_DAYS: '36500', AUDIT_RETENTION_DAYS: '36500' });
    await retention.prune(Date.UTC(2030, 0, 1));
    for (const cutoff of cutoffs) expect(cutoff.getUTCFullYear()).toBe(1930);
  });

  it('says more is left when a batch came back full', async () => {
    expect((await retentionWith({ RUN_RETENTION_DAYS: '30' }, 5000).retention.prune()).more).toBe(true);
    expect((await retentionWith({ RUN_RETENTION_DAYS: '30' }, 10).retention.prune())).toMatchObject({ more: false, pruned: { runsPruned: 10 } });
  });
});
