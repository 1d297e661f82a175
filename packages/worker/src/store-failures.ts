import { FailureStreak } from './failure-streak';
import type { WorkerLogger } from './logger';

/** What the result store threw, told apart from a reply that failed: both give the command back. */
export class StoreFailure {
  constructor(readonly cause: unknown) {}
}

/**
 * The worker's one streak of result-store failures, shared by its deliveries: in an outage every
 * command is given back and comes again at once (RabbitMQ, Kafka) or at the next poll, so a line
 * each would be one per command per redelivery. The first failure is logged, with its command's
 * fields, then nothing until a delivery's calls to the store all pass. An error: no command gets
 * a reply meanwhile.
 */
export function storeFailureStreak(logger: WorkerLogger): FailureStreak {
  return new FailureStreak(logger, {}, 'result store failed, the command is given back', 'the result store works again',
    () => ({ kind: 'failed', level: 'error' }));
}
