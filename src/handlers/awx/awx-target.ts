import type { JobExecutionEntity } from '../job-execution.entity';
import type { JobTarget, LaunchOutcome, PollOutcome } from '../job-target';
import { AwxClient, AwxJobKind, AwxTemplateKind } from './awx.client';
import { classifyAwxStatus } from './awx-status';

function describeIgnored(ignored: Record<string, unknown>): string {
  // Names only: ignored values may be anything the template author passed.
  return Object.entries(ignored).map(([field, value]) => (value && typeof value === 'object' && !Array.isArray(value)
    ? `${field} (${Object.keys(value).join(', ')})` : field)).join('; ');
}

/**
 * How long before its row was written a job may have been created by AWX's clock and still be
 * the row's: the two clocks may disagree by this much. Kept short: every launch of the template
 * since then is listed, and a busy template's launches must fit one page.
 */
const CLOCK_SKEW_MS = 10 * 60 * 1000;

export class AwxTarget implements JobTarget {
  constructor(private readonly client: AwxClient) {}

  launchMarker(row: JobExecutionEntity): string | undefined {
    // Absent with AWX_TRACE_EXTRA_VARS=false: then nothing tells this row's jobs from others.
    const extraVars = row.requestPayload?.extra_vars as Record<string, unknown> | undefined;
    return extraVars?.baton_command_id === row.commandId ? `baton_command_id ${row.commandId}` : undefined;
  }

  async findLaunched(row: JobExecutionEntity): Promise<LaunchOutcome | null> {
    const since = new Date(row.createdAt.getTime() - CLOCK_SKEW_MS);
    const found = await this.client.findLaunched(row.resourceType as AwxTemplateKind, Number(row.resourceId), row.commandId, since);
    if (!found) return null;
    const warnings = found.matches > 1
      ? [`${found.matches} AWX jobs carry baton_command_id ${row.commandId} (launched more than once): following the first, ${found.jobType} ${found.jobId}`] : [];
    return { externalJobId: found.jobId, externalJobType: found.jobType, response: found.response, warnings };
  }

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
