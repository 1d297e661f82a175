import { z } from 'zod';
import { fitText } from '../../common/validation/fit-text';
import { jsonShapeProblems } from '../../common/validation/json-shape';
import { RUN_PAYLOAD_MAX_DEPTH } from '../core/run-payload';
import type { StepResult } from '../dispatch/step-result';
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

export function toStepResult(reply: FinalStepReply): StepResult {
  return {
    flowId: reply.flowId, stepName: reply.stepName, action: reply.action, status: reply.metadata.status,
    orchName: reply.orchName, attempt: reply.attempt, commandId: reply.commandId,
    output: reply.metadata.outputDropped ? undefined : reply.output,
    // The error is prose for people: made to fit rather than refused, so the result is never lost.
    error: reply.metadata.error == null ? undefined : fitText(reply.metadata.error, MAX_ERROR_LENGTH),
    nonRetryable: reply.metadata.nonRetryable,
    outputDropped: reply.metadata.outputDropped,
  };
}
