import { z } from 'zod';
import type { StepResult } from '../dispatch/step-result';

/**
 * A worker's reply, in the original Orchestrator Service format plus optional `output`,
 * `commandId` and `attempt`. Extra fields are tolerated: workers built for the original
 * service may send more than we read.
 */
export const stepReplySchema = z.object({
  flowId: z.uuid(),
  orchName: z.string().optional(),
  stepName: z.string().min(1),
  action: z.enum(['DO', 'UNDO']),
  metadata: z.object({
    status: z.enum(['SUCCESS', 'FAILED', 'HEARTBEAT']),
    error: z.string().nullish(),
    /** On FAILED: retrying cannot help, so the step fails at once (the SDK's NonRetryableError). */
    nonRetryable: z.boolean().optional(),
  }),
  output: z.unknown().optional(),
  commandId: z.uuid().optional(),
  attempt: z.number().int().positive().optional(),
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
    attempt: reply.attempt, commandId: reply.commandId, output: reply.output, error: reply.metadata.error ?? undefined,
    nonRetryable: reply.metadata.nonRetryable,
  };
}
