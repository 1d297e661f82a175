import { Logger } from '@nestjs/common';
import type { JobExecutionEntity } from './job-execution.entity';
import { loadHandlersConfig } from './handlers-config';
import { JobWorker, type JobWorkerDeps } from './job-worker';
import type { JobTarget } from './job-target';

/**
 * AWX accepted the launch, and the write of its job id failed (a connection dropped, a lock
 * timeout): that was handled as the launch failing, so the row ended FAILED without the job id,
 * its step failed, and the job ran on, followed and cancelled by nothing.
 */
describe('JobWorker', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('leaves a launch whose answer could not be written to its lease: no outcome, no second launch now', async () => {
    const row = {
      id: 'j1', flowId: 'f', stepName: 's', action: 'DO', attempt: 1, commandId: 'c1', status: 'LAUNCHING', version: 2,
      launchAttempts: 1, options: null, externalJobId: null, targetType: 'AWX', connection: 'default', resourceType: 'job_template',
      resourceId: '7', requestPayload: {}, cancelRequestedAt: null, createdAt: new Date(),
    } as unknown as JobExecutionEntity;
    const written: unknown[] = [];
    let failures = 1;
    const repo = {
      recordOutcome: async (_id: string, _version: number, patch: unknown) => {
        if (failures-- > 0) throw new Error('Connection terminated unexpectedly');
        written.push(patch);
        return true;
      },
    };
    const applied: unknown[] = [];
    let launches = 0;
    const target = {
      launchMarker: () => 'marker', findLaunched: async () => null,
      launch: async () => {
        launches++;
        return { externalJobId: '42', externalJobType: 'job', response: { id: 42 }, warnings: [] };
      },
    } as unknown as JobTarget;
    const worker = new JobWorker({
      repo, targets: { for: () => target, scrub: (text: string) => text }, settings: loadHandlersConfig({}).settings,
      sink: () => ({ apply: async (result: unknown) => void applied.push(result) }), now: () => new Date(),
    } as unknown as JobWorkerDeps);
    await worker.process({ row, action: 'launch' });
    expect({ launches, written, applied }).toEqual({ launches: 1, written: [], applied: [] });
  });
});
