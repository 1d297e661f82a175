import { fitNullable } from '../common/validation/fit-text';
import { PARTNER_TEXT_LENGTHS, JobExecutionEntity } from './job-execution.entity';
import { storableJson } from './storable-json';

/** As long as a worker's reply error may be (step-reply.schema.ts): an error quotes partner text. */
export const MAX_ERROR_LENGTH = 10_000;

const ERROR_COLUMNS = ['error', 'lastLaunchError'] as const;

/**
 * A job row change that PostgreSQL will take, whatever a partner answered: partner text fitted to
 * its varchar column, errors cut and cleaned of what text columns refuse, the kept response made
 * storable as jsonb. Decisions (done? failed?) are taken on the full values before this.
 */
export function storableJobPatch(patch: Partial<JobExecutionEntity>): Partial<JobExecutionEntity> {
  const out = { ...patch };
  for (const column of Object.keys(PARTNER_TEXT_LENGTHS) as Array<keyof typeof PARTNER_TEXT_LENGTHS>) {
    if (out[column] !== undefined) out[column] = fitNullable(out[column], PARTNER_TEXT_LENGTHS[column]);
  }
  for (const column of ERROR_COLUMNS) {
    if (out[column] !== undefined) out[column] = fitNullable(out[column], MAX_ERROR_LENGTH);
  }
  if (out.responsePayload) out.responsePayload = storableJson(out.responsePayload) as Record<string, unknown>;
  return out;
}
