import type { WireCommand } from '@baton/worker';
import { Injectable } from '@nestjs/common';
import type { RunChanges } from '../run-changes';
import { WorkerDirectory } from '../worker-directory';
import { idempotencyKeyOf, StepCommand, StepDispatcher } from './step-command';

/** The key a step's commands travel under: its run's and its own name. */
export function commandKeyOf(c: Pick<StepCommand, 'flowId' | 'stepName'>): string {
  return `${c.flowId}/${c.stepName}`;
}

/** Sends DO/UNDO commands to a registered worker's topic, through the outbox. */
@Injectable()
export class WorkerStepDispatcher extends StepDispatcher {
  readonly type = 'worker';

  constructor(private readonly workers: WorkerDirectory) {
    super();
  }

  async dispatch(changes: RunChanges, c: StepCommand): Promise<string | null> {
    const topic = await this.workers.topicFor(c.orchName, c.stepName, c.objectType);
    if (!topic) return null;
    const deadline = new Date(c.notBefore.getTime() + c.timeoutSeconds * 1000);
    const body = {
      flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action, attempt: c.attempt,
      commandId: c.commandId, objectType: c.objectType, payload: c.payload, payloadEncoding: c.payloadEncoding,
      outputs: c.outputs, correlationId: c.correlationId,
      // Stable across retries and redeliveries: what a worker deduplicates its effects by.
      idempotencyKey: idempotencyKeyOf(c),
      // After this the attempt is void (the healer retries or fails it): workers drop it.
      deadline: deadline.toISOString(),
    } satisfies WireCommand; // the SDK parses commands as this type: the compiler checks what the engine sends against it
    // Only a retry with backoff is delayed; anything else goes out right after the commit.
    const delayed = c.notBefore.getTime() > Date.now();
    changes.send([{
      // Keyed by run and step: brokers and pollers keep a key's order, one command at a time, so a
      // step's retry and undo wait for its DO, while a run's parallel steps go out together (keyed
      // by the run, each branch waited for the one before it to be answered, and timed out unseen).
      topic, key: commandKeyOf(c), messageId: c.commandId, body: Buffer.from(JSON.stringify(body)), availableAt: delayed ? c.notBefore : undefined,
      // The relay drops it after the deadline: a late command for a void attempt must never reach a worker.
      expiresAt: deadline,
      headers: { 'content-type': 'application/json', 'x-correlation-id': c.correlationId },
    }]);
    return topic;
  }
}
