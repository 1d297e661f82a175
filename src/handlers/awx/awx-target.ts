import type { JobExecutionEntity } from '../job-execution.entity';
import type { JobTarget, LaunchOutcome, PollOutcome } from '../job-target';
import { AwxClient, AwxJobKind, AwxTemplateKind } from './awx.client';
import { classifyAwxStatus } from './awx-status';

function describeIgnored(ignored: Record<string, unknown>): string {
  // Names only: ignored values may be anything the template author passed.
  return Object.entries(ignored).map(([field, value]) => (value && typeof value === 'object' && !Array.isArray(value)
    ? `${field} (${Object.keys(value).join(', ')})` : field)).join('; ');
}

export class AwxTarget implements JobTarget {
  constructor(private readonly client: AwxClient) {}

  async launch(row: JobExecutionEntity): Promise<LaunchOutcome> {
    const extraVars = (row.requestPayload?.extra_vars ?? {}) as Record<string, unknown>;
    const result = await this.client.launch(row.resourceType as AwxTemplateKind, Number(row.resourceId), extraVars);
    const warnings = Object.keys(result.ignoredFields).length
      ? [`AWX ignored fields on launch (not prompted on launch): ${describeIgnored(result.ignoredFields)}`] : [];
    return { externalJobId: result.jobId, externalJobType: result.jobType, response: result.response, warnings };
  }

  async poll(row: JobExecutionEntity): Promise<PollOutcome> {
    const job = await this.client.getJob(row.externalJobType as AwxJobKind, row.externalJobId!);
    return {
      externalStatus: job.status, externalResult: null, classified: classifyAwxStatus(job.status),
      response: job.response, explanation: job.jobExplanation,
    };
  }

  cancel(row: JobExecutionEntity): Promise<'accepted' | 'not-cancellable'> {
    return this.client.cancel(row.externalJobType as AwxJobKind, row.externalJobId!);
  }
}
