import { idempotencyKeyOf } from '../../engine/dispatch/step-command';
import type { JobExecutionEntity } from '../job-execution.entity';

type KeyedRow = Pick<JobExecutionEntity, 'flowId' | 'stepName' | 'action' | 'options'>;
/** What an earlier attempt's row of the same step and action left. */
export type EarlierCall = KeyedRow & Pick<JobExecutionEntity, 'attempt' | 'status' | 'launchAttempts'>;

/**
 * The Idempotency-Key a call row sends: the one fixed at its first launch (firstCallKey), or, on a
 * row from before keys were fixed, the step's own.
 */
export function callKeyOf(row: KeyedRow): string {
  return row.options?.http?.idempotencyKey ?? idempotencyKeyOf(row);
}

/**
 * Failed on an answer the partner gave (a 4xx, a success check, an operation that said failed),
 * with no call of the row left unanswered (a timeout, a 5xx, a lost connection: unansweredLaunch)
 * nor given up on before its end was seen (endUnseen).
 */
const failedForSure = (row: EarlierCall): boolean =>
  row.status === 'FAILED' && !row.options?.unansweredLaunch && !row.options?.endUnseen;

/**
 * The key of a call row's first launch, kept by all its launch retries. An http step's automatic
 * retries are the row's own launches, so a later attempt of the step is an operator's retry (of
 * the step, or of failed undos) or follows a timed-out attempt. It sends the key of the latest
 * earlier attempt that made a call, unless that one failed for sure: a partner that stores results
 * per key (Stripe stores 4xx and 500s) would answer the retry with the stored failure, for ever.
 * It then sends `<flowId>:<step>:<action>:b<attempt>`. After an outcome unknown the key stays,
 * so that a partner that did the work answers with it rather than doing it twice.
 */
export function firstCallKey(row: KeyedRow & Pick<JobExecutionEntity, 'attempt'>, earlier: EarlierCall[]): string {
  const [last] = earlier.filter((r) => r.attempt < row.attempt && r.launchAttempts > 0).sort((a, b) => b.attempt - a.attempt);
  if (!last) return idempotencyKeyOf(row);
  return failedForSure(last) ? `${idempotencyKeyOf(row)}:b${row.attempt}` : callKeyOf(last);
}
