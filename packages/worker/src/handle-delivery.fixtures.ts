/** What the handleDelivery specs share: a command, a delivery that records what it is told, and the deps. */
import type { DeliveryDeps, StepFn } from './handle-delivery';
import { ExpiredDrops } from './expired-drops';
import type { WorkerLogger } from './logger';
import { MemoryResultStore, type ResultStore } from './result-store';
import { storeFailureStreak } from './store-failures';
import type { Delivery } from './transports/transport';
import type { WireCommand, WireReply } from './wire';

export function command(overrides: Partial<WireCommand> = {}): WireCommand {
  return {
    flowId: 'f1', orchName: 'o', stepName: 's', action: 'DO', attempt: 1, commandId: 'c1', objectType: 'String',
    payload: { a: 1 }, payloadEncoding: 'json', outputs: {}, correlationId: 'corr', idempotencyKey: 'f1:s:DO',
    deadline: new Date(Date.now() + 60_000).toISOString(), ...overrides,
  };
}

export class FakeDelivery implements Delivery {
  readonly replies: WireReply[] = [];
  readonly heartbeats: WireReply[] = [];
  dropped = false;
  abandoned = 0;
  failSettle?: Error;
  /** Refusals for the next settles, one each, before failSettle. */
  refusals: Error[] = [];
  readonly attempted: WireReply[] = [];
  constructor(readonly command: WireCommand) {}
  async settle(reply: WireReply) {
    this.attempted.push(reply);
    const refusal = this.refusals.shift() ?? this.failSettle;
    if (refusal) throw refusal;
    this.replies.push(reply);
  }
  async drop() { this.dropped = true; }
  /** What Baton answers the heartbeats from then on (over HTTP: the attempt is no longer in flight). */
  heartbeatAnswer: 'ended' | undefined = undefined;
  async heartbeat(reply: WireReply) {
    this.heartbeats.push(reply);
    return this.heartbeatAnswer;
  }
  async abandon() { this.abandoned++; }
}

export const logged: string[] = [];
export const logger: WorkerLogger = {
  info: (_f, m) => logged.push(`info ${m}`), warn: (_f, m) => logged.push(`warn ${m}`), error: (_f, m) => logged.push(`error ${m}`),
};

export function deps(fn: StepFn | undefined, store: ResultStore = new MemoryResultStore()): DeliveryDeps {
  return { handlerFor: () => fn, store, logger, autoHeartbeatMs: 0, expiredDrops: new ExpiredDrops(logger),
    storeFailures: storeFailureStreak(logger), stopped: () => false };
}
