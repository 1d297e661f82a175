import type { EntityManager } from 'typeorm';
import type { OutboxRelay } from '../messaging/outbox/outbox-relay.service';
import type { OutboxEntry, OutboxRecord, OutboxService } from '../messaging/outbox/outbox.service';
import type { JobExecutionEntity } from './job-execution.entity';
import type { JobExecutionRepository } from './job-execution.repository';
import { JobLaunchEvents } from './job-launch-events';

const row = { id: 'job-1', version: 3, flowId: 'f-1' } as JobExecutionEntity;
const message: OutboxEntry = { topic: 'status', headers: {}, body: Buffer.from('{}') };

/** What happened, in order: the transaction's commit or rollback, the hooks, the fast-path publish. */
function launchEvents(log: string[], { claimedAgain = false, failsAfterListeners = false } = {}) {
  const repo = {
    dataSource: { transaction: async <T>(work: (m: EntityManager) => Promise<T>): Promise<T> => {
      try {
        const result = await work({} as EntityManager);
        if (failsAfterListeners) throw new Error('serialization failure');
        log.push('commit');
        return result;
      } catch (e) {
        log.push('rollback');
        throw e;
      }
    } },
    recordOutcome: async () => !claimedAgain,
  } as unknown as JobExecutionRepository;
  const outbox = { append: async (_m: EntityManager, messages: OutboxEntry[]) => messages.map((_, i) => ({ id: String(i) }) as OutboxRecord) } as unknown as OutboxService;
  const relay = { publishNow: async (records: OutboxRecord[]) => { log.push(`publish ${records.length}`); } } as unknown as OutboxRelay;
  const events = new JobLaunchEvents(outbox, relay);
  events.listen(async (_m, launched, afterCommit) => {
    afterCommit(() => log.push(`hook ${launched.flowId}`));
    return [message];
  });
  return { events, repo };
}

describe('JobLaunchEvents', () => {
  it("runs a listener's after-commit hook once the launch's transaction has committed, before record resolves", async () => {
    const log: string[] = [];
    const { events, repo } = launchEvents(log);
    await expect(events.record(repo, row, { status: 'RUNNING' })).resolves.toBe(true);
    expect(log).toEqual(['commit', 'hook f-1', 'publish 1']);
  });

  it('runs no hook for a launch not recorded: the row claimed again, or the transaction rolled back', async () => {
    const log: string[] = [];
    const claimed = launchEvents(log, { claimedAgain: true });
    await expect(claimed.events.record(claimed.repo, row, { status: 'RUNNING' })).resolves.toBe(false);
    const failing = launchEvents(log, { failsAfterListeners: true });
    await expect(failing.events.record(failing.repo, row, { status: 'RUNNING' })).rejects.toThrow('serialization failure');
    expect(log).toEqual(['commit', 'rollback']);
  });
});
