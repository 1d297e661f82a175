import type { OoStatusEndpoint } from '../handlers-config';
import type { JobExecutionEntity } from '../job-execution.entity';
import type { JobTarget, LaunchOutcome, PollOutcome } from '../job-target';
import { OoClient } from './oo.client';
import { classifyOoStatus, DEFAULT_SUCCESS_RESULT_TYPES } from './oo-status';

export class OoTarget implements JobTarget {
  constructor(private readonly client: OoClient, private readonly statusEndpoint: OoStatusEndpoint) {}

  async launch(row: JobExecutionEntity): Promise<LaunchOutcome> {
    const req = row.requestPayload ?? {};
    const result = await this.client.launch(String(req.flowUuid), String(req.runName ?? ''), (req.inputs ?? {}) as Record<string, string>);
    return { externalJobId: result.executionId, externalJobType: 'execution', response: result.response, warnings: [] };
  }

  async poll(row: JobExecutionEntity): Promise<PollOutcome> {
    const reading = await this.client.getStatus(row.externalJobId!, this.statusEndpoint);
    const classified = reading.status === null
      ? { phase: 'IN_PROGRESS' as const }
      : classifyOoStatus(reading.status, reading.resultStatusType, row.options?.successResultTypes ?? DEFAULT_SUCCESS_RESULT_TYPES);
    return {
      externalStatus: reading.status, externalResult: reading.resultStatusType, classified, response: reading.response,
      explanation: reading.pauseReason ? `pause reason: ${reading.pauseReason}` : undefined,
    };
  }

  cancel(row: JobExecutionEntity): Promise<'accepted' | 'not-cancellable'> {
    return this.client.cancel(row.externalJobId!);
  }
}
