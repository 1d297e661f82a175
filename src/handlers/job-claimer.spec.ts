import { Logger } from '@nestjs/common';
import { loadHandlersConfig } from './handlers-config';
import { JobClaimer } from './job-claimer';
import type { JobExecutionEntity } from './job-execution.entity';
import type { JobExecutionRepository } from './job-execution.repository';

/**
 * An UNDO that came while its DO waited to retry a launch whose answer was lost (a timeout, a 504)
 * said the DO was cancelled before its launch, and succeeded: the job that launch may have
 * started ran on, and the run read as compensated.
 */
describe('JobClaimer', () => {
  beforeAll(() => Logger.overrideLogger(false));

  function claimer(doRow: Partial<JobExecutionEntity>, undo: Partial<JobExecutionEntity>) {
    const repo = {
      lockDue: async () => [undo],
      lockDoJobs: async () => ({ rows: [doRow], complete: true }),
      claim: async (_m: unknown, row: Partial<JobExecutionEntity>, patch: Partial<JobExecutionEntity>) => {
        Object.assign(row, patch, { version: (row.version ?? 0) + 1 });
      },
      dataSource: { transaction: (work: (m: unknown) => unknown) => work({}) },
    } as unknown as JobExecutionRepository;
    return new JobClaimer(repo, loadHandlersConfig({}));
  }
  const row = (fields: Partial<JobExecutionEntity>) => ({
    flowId: 'f', stepName: 's', attempt: 1, targetType: 'AWX', connection: 'default', externalJobId: null, cancelRequestedAt: null,
    error: null, version: 1, ...fields,
  }) as Partial<JobExecutionEntity>;

  it('fails a cancel-only UNDO whose DO may have started a job with a launch that went unanswered', async () => {
    const doRow = row({ id: 'do', action: 'DO', commandId: 'c1', status: 'PENDING_LAUNCH', launchAttempts: 1, options: { unansweredLaunch: true },
      resourceType: 'job_template', resourceId: '7', nextLaunchAt: new Date(Date.now() + 5000) });
    const undo = row({ id: 'undo', action: 'UNDO', commandId: 'u1', status: 'CANCELLING', launchAttempts: 0, options: { cancelOnly: true }, resourceType: null });
    await claimer(doRow, undo).claim(new Date());
    expect([doRow.status, doRow.options]).toEqual(['FAILED', { unansweredLaunch: true, endUnseen: true }]);
    expect([undo.status, undo.error]).toEqual(['FAILED',
      'a job the unanswered launch of AWX may have started was never seen, and may run: check it on its target, then retry the undo or compensate by hand']);
  });

  it('fails an http call whose engine stopped during its last attempt with its outcome unknown, its end unseen', async () => {
    const call = row({ id: 'do', action: 'DO', commandId: 'c1', status: 'LAUNCHING', launchAttempts: 3, targetType: 'HTTP', connection: 'erp',
      options: { retry: { maxAttempts: 3 } } as never });
    await claimer(call, call).claim(new Date());
    expect([call.status, call.options, call.error]).toEqual(['FAILED', { retry: { maxAttempts: 3 }, unansweredLaunch: true, endUnseen: true },
      'Call outcome unknown after 3 attempts: the engine stopped during the call; the partner may have received Idempotency-Key f:s:DO and done the work']);
  });

  it('succeeds a cancel-only UNDO whose DO was never launched', async () => {
    const doRow = row({ id: 'do', action: 'DO', commandId: 'c1', status: 'PENDING_LAUNCH', launchAttempts: 0, options: null, resourceType: 'job_template' });
    const undo = row({ id: 'undo', action: 'UNDO', commandId: 'u1', status: 'CANCELLING', launchAttempts: 0, options: { cancelOnly: true }, resourceType: null });
    await claimer(doRow, undo).claim(new Date());
    expect([doRow.status, doRow.error, undo.status]).toEqual(['FAILED', 'Cancelled by the UNDO before it was launched', 'SUCCEEDED']);
  });
});
