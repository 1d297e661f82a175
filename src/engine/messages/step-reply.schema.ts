import { z } from 'zod';
import { API_KEY_PATTERN, withoutKeySecrets } from '../../auth/api-keys/api-key-format';
import { fitText } from '../../common/validation/fit-text';
import { jsonShapeProblems } from '../../common/validation/json-shape';
import { RUN_PAYLOAD_MAX_DEPTH } from '../core/run-payload';
import type { StepResult } from '../dispatch/step-result';
import { redact } from '../../handlers/http/redact';
import { MAX_INT4, storedName } from './stored-text';

/** Outputs travel in later commands like payloads do, so they get the same depth cap. */
const MAX_OUTPUT_DEPTH = RUN_PAYLOAD_MAX_DEPTH;
export const MAX_ERROR_LENGTH = 10_000;

/**
 * A worker's reply, in the original Orchestrator Service format (orchName included: it must be the
 * run's) plus optional `output`,
 * `commandId` and `attempt`. Extra fields are tolerated: workers built for the original
 * service may send more than we read.
 */
export const stepReplySchema = z.object({
  flowId: z.uuid(),
  orchName: storedName(),
  stepName: storedName(),
  action: z.enum(['DO', 'UNDO']),
  metadata: z.object({
    status: z.enum(['SUCCESS', 'FAILED', 'HEARTBEAT']),
    error: z.string().nullish(),
    /** On FAILED: retrying cannot help, so the step fails at once (the SDK's NonRetryableError). */
    nonRetryable: z.boolean().optional(),
    /**
     * On SUCCESS: the step was done, but its output could not be sent (the SDK's OUTPUT_REFUSED,
     * REPLY_REFUSED). Its effect is real, so the step keeps its success, without its output, and
     * the run unwinds, this step's undo included, as when Baton cannot send an output on.
     */
    outputDropped: z.boolean().optional(),
  }),
  output: z.unknown().optional().superRefine((output, ctx) => {
    // Stored as jsonb and carried in later commands: refuse what could be neither.
    for (const p of jsonShapeProblems(output, 'output', { maxDepth: MAX_OUTPUT_DEPTH }, 1)) ctx.addIssue({ code: 'custom', message: `${p.path} ${p.message}` });
  }),
  commandId: z.uuid().optional(),
  attempt: z.number().int().positive().max(MAX_INT4).optional(),
});

export type StepReply = z.infer<typeof stepReplySchema>;

/** A reply that ends its attempt, as opposed to a heartbeat. */
export type FinalStepReply = StepReply & { metadata: { status: 'SUCCESS' | 'FAILED' } };

export function isFinalReply(reply: StepReply): reply is FinalStepReply {
  return reply.metadata.status !== 'HEARTBEAT';
}

/**
 * The result a final reply reports, without credentials it quotes (`secrets`: Baton's handlers'
 * configured ones, HandlersConfig.secrets()): its error and output are stored, logged and shown to
 * every viewer of the run.
 */
export function toStepResult(reply: FinalStepReply, secrets: readonly string[]): StepResult {
  return {
    flowId: reply.flowId, stepName: reply.stepName, action: reply.action, status: reply.metadata.status,
    orchName: reply.orchName, attempt: reply.attempt, commandId: reply.commandId,
    output: reply.metadata.outputDropped ? undefined : outputWithoutBatonSecrets(reply.output, secrets),
    // The error is prose for people: made to fit rather than refused, so the result is never lost.
    // Scrubbed before it is cut, so that no piece of a credential too short to be recognized is left.
    error: reply.metadata.error == null ? undefined
      : fitText(withoutKeySecrets(redact(reply.metadata.error, secrets)), MAX_ERROR_LENGTH),
    nonRetryable: reply.metadata.nonRetryable,
    outputDropped: reply.metadata.outputDropped,
  };
}

const WHOLE_API_KEY = new RegExp(API_KEY_PATTERN.source.slice(1, -1), 'g');
/**
 * The shortest handler secret cut from data: shorter ones (a password `admin`, `test`) are ordinary
 * words and values there, and cutting them wherever they stand corrupted outputs (`Administrator`,
 * an `env: test`). As secret-spans' shortest run; an error, which is prose, loses them all (redact).
 */
const MIN_DATA_SECRET = 12;

/**
 * An error is prose, which needs no credential: every one is cut from it (an HTTP client's exception
 * quoting its request's headers). An output is data a later step may need, and a step may rightly
 * hand one on (a created client's secret, a token issued for the run): only Baton's own are cut,
 * whole API keys and its handlers' secrets as they are, which no worker is given to pass on; a JWT
 * or a field named like a credential is kept. Walked on every reply, so nothing is copied unless
 * something is cut.
 */
function outputWithoutBatonSecrets(value: unknown, secrets: readonly string[]): unknown {
  const long = secrets.filter((secret) => secret.length >= MIN_DATA_SECRET);
  return withoutBatonSecretsIn(value, long);
}

function withoutBatonSecretsIn(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return withoutBatonSecrets(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const kept = withoutBatonSecretsIn(item, secrets);
      if (kept !== item) (copy ??= [...value])[i] = kept;
    });
    return copy ?? value;
  }
  // Names too: data may be keyed by a credential. The schema bounded the depth of this walk.
  let copy: Record<string, unknown> | undefined;
  for (const [name, item] of Object.entries(value)) {
    const keptName = withoutBatonSecrets(name, secrets);
    const kept = withoutBatonSecretsIn(item, secrets);
    if (keptName === name && kept === item) continue;
    copy ??= { ...value };
    if (keptName !== name) delete copy[name];
    copy[keptName] = kept;
  }
  return copy ?? value;
}

function withoutBatonSecrets(text: string, secrets: readonly string[]): string {
  let kept = text.includes('bk_') ? text.replace(WHOLE_API_KEY, 'bk_$1_…') : text;
  for (const secret of secrets) if (kept.includes(secret)) kept = kept.replaceAll(secret, '***');
  return kept;
}
