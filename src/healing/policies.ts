import type { ConsumerState } from '../messaging/message-consumer';

/** Pure verdicts of the healer: what to do with each kind of possibly stuck work. */

export type ParkedVerdict = 'start' | 'expire' | 'wait';

/** A parked run starts once its template is READY; past its expiry (`expired`, by the database's clock) it ends instead. */
export function parkedRunVerdict(run: { expired: boolean }, templateStatus: string): ParkedVerdict {
  if (templateStatus === 'READY') return 'start';
  if (run.expired) return 'expire';
  return 'wait';
}

export interface CatchUpLimits {
  /**
   * How long every reply consumer must have run, whatever its backlog: the commands the relay sends
   * when it resumes (those held back by the restart or outage) may be near their deadline, and
   * their replies come back meanwhile. For a consumer that cannot tell whether it caught up, all it waits for.
   */
  settleMs: number;
  /** The longest timeouts wait for a consumer still applying its backlog. */
  capMs: number;
}

/**
 * A consumer that applies the replies it is handed: running, and holding none in its outage retry
 * (a handler that failed on an unreachable database retries its reply up to 5 s apart, however long
 * the consumer has run: it is back to listening once that reply is applied).
 */
export function listening(consumer: Pick<ConsumerState, 'state' | 'waitingSince'>): boolean {
  return consumer.state === 'running' && consumer.waitingSince === undefined;
}

/**
 * Whether the healer may time attempts out now. A reply sent while this engine was not consuming
 * replies (its consumer joining its group after a restart: on Kafka that waits out the dead
 * member's session; or a broker outage) waits in the broker, it is not lost: timing its attempt out
 * before applying it would run the step a second time. So timeouts wait until every reply consumer
 * has listened (see listening) for `settleMs` and has applied the replies that were waiting when it
 * (re)joined. The wait for a backlog is capped: one that a poison message or a stuck handler blocks
 * must not disable timeouts for good. A database outage is like a consumer rejoining, though no
 * consumer stops: a reply that came during it waits in its consumer's outage retry, which the
 * consumer reports (`waitingSince`), so `listeningSince` starts again once it is applied.
 */
export function mayTimeOut(
  consumers: Pick<ConsumerState, 'state' | 'backlog' | 'waitingSince'>[], listeningSince: Date | undefined, now: Date, limits: CatchUpLimits,
): boolean {
  // None yet: the engine is starting and nothing applies replies.
  if (listeningSince === undefined || consumers.length === 0 || !consumers.every(listening)) return false;
  const waited = (since: Date) => now.getTime() - since.getTime();
  if (waited(listeningSince) < limits.settleMs) return false;
  return consumers.every(({ backlog }) => backlog.kind !== 'applying' || waited(backlog.since) >= limits.capMs);
}

export function timeoutReason(a: { action: string; stepName: string; attempt: number; deadlineAt: Date }): string {
  return `${a.action} ${a.stepName} attempt ${a.attempt} got no reply by its deadline ${a.deadlineAt.toISOString()}`;
}

export function expiryReason(expiresAt: Date | null, missingSteps: string[]): string {
  return `waited for workers until ${expiresAt?.toISOString() ?? 'expiry'}; still missing: ${missingSteps.join(', ') || 'none'}`;
}

/**
 * The error of a timed-out attempt whose step fails for good because what would follow it (its
 * retry, or the undos its failure calls for) carries earlier outputs over the broker's limit: a
 * retry would be refused on every tick. Named as a reply's unsendable result is (unsendableResultAsFailure).
 */
export function unsendableTimeoutError(reason: string, refusal: string): string {
  return `OUTPUT_TOO_LARGE: ${reason}, and what would follow cannot be sent: ${refusal}`;
}

/** The error of a parked run that fails instead of starting: its first commands are over the broker's limit. */
export function unsendableStartError(orchName: string, refusal: string): string {
  return `PAYLOAD_TOO_LARGE: template ${orchName} became READY, but the run's first commands cannot be sent: ${refusal}`;
}

/** Why a revived run (or one past its deadline) unwinds or ends: what it would send next is over the broker's limit. */
export function unsendableRevivalError(reason: string, refusal: string): string {
  return `OUTPUT_TOO_LARGE: ${reason}, and what the run would send next cannot be sent: ${refusal}`;
}
