import type { OoStatusEndpoint } from '../handlers-config';
import type { JobExecutionEntity } from '../job-execution.entity';
import type { JobTarget, LaunchOutcome, PollOutcome } from '../job-target';
import { OoClient } from './oo.client';
import { classifyOoStatus, DEFAULT_SUCCESS_RESULT_TYPES } from './oo-status';

/** Ids in launch order when they are numbers (OO's are), as given otherwise. */
function firstLaunched(ids: string[]): string {
  return ids.every((id) => /^\d+$/.test(id)) ? [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))[0] : ids[0];
}

export class OoTarget implements JobTarget {
  constructor(private readonly client: OoClient, private readonly statusEndpoint: OoStatusEndpoint) {}

  /** The end of the runName OO_KIND.request gives every launch: `… command=<commandId>]`, a UUID closed by `]`. */
  private marker(row: JobExecutionEntity): string {
    return `command=${row.commandId}]`;
  }

  launchMarker(row: JobExecutionEntity): string | undefined {
    const runName = row.requestPayload?.runName;
    return typeof runName === 'string' && runName.endsWith(this.marker(row)) ? `'${this.marker(row)}' ending its runName` : undefined;
  }

  async findLaunched(row: JobExecutionEntity): Promise<LaunchOutcome | null> {
    const ids = await this.client.findExecutions(String(row.requestPayload?.runName), this.marker(row));
    if (!ids.length) return null;
    const executionId = firstLaunched(ids);
    const warnings = ids.length > 1
      ? [`${ids.length} OO executions carry ${this.marker(row)} in their runName (launched more than once): following the first, ${executionId}`] : [];
    return { externalJobId: executionId, externalJobType: 'execution', response: { executionId }, warnings };
  }

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
