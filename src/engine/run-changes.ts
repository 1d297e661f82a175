import type { EntityTarget, ObjectLiteral } from 'typeorm';
import type { OutboxEntry } from '../messaging/outbox/outbox.service';
import { ABANDONED_REASON } from './core/abandon-in-flight';
import type { Attempt } from './core/plan';
import type { RunStatus, StepRunStatus } from './core/run-status';
import { RunEventEntity } from './entities/run-event.entity';
import { StepRunEntity } from './entities/step-run.entity';
import { ATTR } from '../tracing/span-attributes';
import { tracing, type Span } from '../tracing/tracing';

/** An attempt as a transition sees it. */
export interface AttemptRow extends Attempt {
  commandId: string;
  output: unknown;
  error: string | null;
}

/** A run as loaded for a transition: `version` is what its write is guarded by. */
export interface RunState {
  flowId: string;
  orchName: string;
  templateId: string;
  templateVersion: number;
  status: RunStatus;
  correlationId: string;
  payload: Buffer;
  contentType: string;
  failedStep: string | null;
  version: number;
  /** When the run was accepted (absent on a run this process has not read back yet: it is now). */
  startedAt?: Date;
  /** The trace context of the run's start span (none when tracing was off): its closing span joins that trace. */
  traceContext?: Record<string, string> | null;
  /** Oldest first. */
  attempts: AttemptRow[];
}

export interface StatusChange {
  status: RunStatus;
  failedStep: string | null;
  error: string | null;
  terminal: boolean;
  /**
   * The run's failure (failed step and error) is replaced by this change's: none after an
   * operator's retry, skip or resume (the failure the run was paused on is behind it); a step's
   * that failed on a run paused for another reason (an operator, its deadline).
   */
  clearsFailure?: boolean;
}

/** Identifies the attempt by its natural key (flow, step, action, attempt), so the cached run needs no row ids. */
export interface AttemptCompletion extends Pick<Attempt, 'stepName' | 'action' | 'attempt'> {
  status: Exclude<StepRunStatus, 'DISPATCHED'>;
  output: unknown;
  error: string | null;
}

export interface RowInserts {
  rows: ObjectLiteral[];
  ignoreConflicts: boolean;
}

/**
 * Everything one transition of a run changes. The engine collects it while it decides, then
 * RunRepository writes it as one statement guarded by the run's version: all of it or, if
 * another event changed the run meanwhile, none of it.
 */
export class RunChanges {
  /**
   * When the transition was decided: the end its write records for the attempts it completes,
   * voids or abandons (and for the run, if it finishes it). The attempts it dispatches start from
   * the same clock, after it, so a run's timeline never shows a step starting before the step it
   * followed ended. The database's now() at the write came later, by the write's wait and round
   * trip (tens of ms on a busy machine). Instances whose clocks disagree still time one run's
   * transitions each by its own clock: keep them synchronised (NTP).
   */
  readonly at = new Date();
  status?: StatusChange;
  completion?: AttemptCompletion;
  /** A parked run moves onto the template version that is current when it starts. */
  templateVersion?: number;
  /** Attempts voided before their commands went out (attemptsToVoid), by commandId, and why. */
  voided?: { commandIds: string[]; reason: string };
  /** The command of the attempt `completion` ends, dropped before it went out (complete's `withdraws`). */
  withdrawn?: string;
  /** Attempts in flight that a terminated run gives up on (attemptsToAbandon), by commandId. */
  abandoned?: string[];
  readonly messages: OutboxEntry[] = [];
  /** Status events sent, to log and count once the write succeeded. */
  readonly announced: Array<{ status: RunStatus; previousStatus: RunStatus | null; failedStep: string | null; error: string | null }> = [];
  readonly inserts = new Map<EntityTarget<ObjectLiteral>, RowInserts>();
  /** The dispatch spans of this transition, open until its write's outcome is known. */
  private readonly spans: Span[] = [];

  /**
   * Ends an attempt in flight, here and in `run.attempts`, so the decision that follows sees it.
   * `withdraws`: its command, not sent yet, is dropped by the same write (matchReply), which fails
   * unless it still waits to go out.
   */
  complete(run: RunState, attempt: AttemptRow, result: Pick<AttemptCompletion, 'status' | 'output' | 'error'>, withdraws = false): void {
    this.completion = { stepName: attempt.stepName, action: attempt.action, attempt: attempt.attempt, ...result };
    if (withdraws) this.withdrawn = attempt.commandId;
    run.attempts = run.attempts.map((a) => (a === attempt ? { ...a, ...result, ...withdraws ? { dueAt: null } : {} } : a));
  }

  /** A new attempt in flight, here and in `run.attempts` (the state this process keeps of the run once written). */
  dispatch(run: RunState, attempt: Omit<StepRunEntity, 'id' | 'status' | 'output' | 'error' | 'completedAt' | 'createdAt' | 'lastHeartbeatAt'>): void {
    this.insert(StepRunEntity, { ...attempt, status: 'DISPATCHED' });
    const dueAt = attempt.dispatchedAt.getTime();
    run.attempts = [...run.attempts, {
      stepName: attempt.stepName, action: attempt.action, attempt: attempt.attempt, budgetStart: attempt.budgetStart,
      status: 'DISPATCHED', commandId: attempt.commandId, output: null, error: null, dueAt: dueAt > Date.now() ? dueAt : null,
    }];
  }

  /** Voids attempts whose commands have not gone out yet, here and in `run.attempts`. */
  voidAttempts(run: RunState, attempts: AttemptRow[], reason: string): void {
    this.voided = { commandIds: [...this.voided?.commandIds ?? [], ...attempts.map((a) => a.commandId)], reason };
    run.attempts = run.attempts.map((a) => (attempts.includes(a) ? { ...a, status: 'VOIDED', dueAt: null, error: reason } : a));
  }

  /**
   * Gives up attempts in flight (ABANDONED, with ABANDONED_REASON), here and in `run.attempts`.
   * Those voided already are copies in `run.attempts` (voidAttempts), not among `attempts`: they
   * stay VOIDED here, as the write leaves them to the void when it succeeds.
   */
  abandonAttempts(run: RunState, attempts: AttemptRow[]): void {
    this.abandoned = [...this.abandoned ?? [], ...attempts.map((a) => a.commandId)];
    run.attempts = run.attempts.map((a) => (attempts.includes(a) ? { ...a, status: 'ABANDONED', dueAt: null, error: ABANDONED_REASON } : a));
  }

  /** An operator's skip of a failed step: a DO attempt that is over already, with the output later steps see. */
  skip(run: RunState, attempt: Pick<StepRunEntity, 'flowId' | 'stepName' | 'seq' | 'attempt' | 'commandId'>, output: unknown): void {
    const now = this.at;
    this.insert(StepRunEntity, { ...attempt, action: 'DO', budgetStart: attempt.attempt, status: 'SKIPPED', handlerType: 'operator',
      target: null, output: output ?? null, dispatchedAt: now, deadlineAt: now, completedAt: now });
    run.attempts = [...run.attempts, {
      stepName: attempt.stepName, action: 'DO', attempt: attempt.attempt, budgetStart: attempt.attempt, status: 'SKIPPED',
      commandId: attempt.commandId, output: output ?? null, error: null,
    }];
  }

  /**
   * A retry an operator asked for that waits its turn (Transition.owed): an attempt never sent
   * (VOIDED), with no command, here and in `run.attempts`, which a later decision replaces. It was
   * due at no time: its times are when it was owed, as a skipped attempt's are when it was skipped.
   */
  owe(run: RunState, attempt: Pick<StepRunEntity, 'flowId' | 'stepName' | 'seq' | 'action' | 'attempt' | 'budgetStart' | 'commandId' | 'handlerType'>,
    reason: string): void {
    const now = this.at;
    this.insert(StepRunEntity, { ...attempt, status: 'VOIDED', target: null, output: null, error: reason, dispatchedAt: now, deadlineAt: now,
      completedAt: now });
    run.attempts = [...run.attempts, {
      stepName: attempt.stepName, action: attempt.action, attempt: attempt.attempt, budgetStart: attempt.budgetStart, status: 'VOIDED',
      commandId: attempt.commandId, output: null, error: reason,
    }];
  }

  /** Also sets `run.status` (and its first failed step), so the run stays what the write makes of it. */
  setStatus(run: RunState, change: StatusChange): void {
    run.status = change.status;
    run.failedStep = change.clearsFailure ? change.failedStep : run.failedStep ?? change.failedStep;
    // Two changes in one transition (a parked run starts, then its first decision): the last
    // status wins, the first failure is kept. A clearing change followed by a failing one (a skip,
    // then a pause on another failed step) clears the old failure and writes the new one.
    this.status = change.clearsFailure ? change
      : { ...change, failedStep: this.status?.failedStep ?? change.failedStep, error: this.status?.error ?? change.error,
        clearsFailure: this.status?.clearsFailure };
  }

  /** Each message carries the trace context of the span deciding it (a dispatch's, a reply's), to continue there. */
  send(messages: OutboxEntry[]): void {
    for (const message of messages) this.messages.push({ ...message, headers: tracing.inject(message.headers ?? {}) });
  }

  /** A row for another table, written only if the transition is. */
  insert<T extends ObjectLiteral>(entity: EntityTarget<T>, row: Partial<T>, options: { ignoreConflicts?: boolean } = {}): void {
    const existing = this.inserts.get(entity);
    if (existing) existing.rows.push(row);
    else this.inserts.set(entity, { rows: [row], ignoreConflicts: options.ignoreConflicts ?? false });
  }

  /** A line on the run's timeline (why the engine or an operator acted). */
  event(flowId: string, kind: string, reason: string, stepName: string | null = null, actor: string | null = null): void {
    this.insert(RunEventEntity, { flowId, kind, reason, stepName, actor });
  }

  /** Keeps a dispatch span open until {@link endSpans}. */
  holdSpan(span: Span): void {
    this.spans.push(span);
  }

  /**
   * Ends the dispatch spans once the write's outcome is known. A transition that was not written
   * (another event wrote the run first, or it is decided again on a fresh read) sent nothing: its
   * spans say `superseded`, so a trace does not show a command that never went out as sent.
   */
  endSpans(written: boolean): void {
    for (const span of this.spans.splice(0)) {
      if (!written) span.setAttribute(ATTR.outcome, 'superseded');
      span.end();
    }
  }

  get isEmpty(): boolean {
    return !this.status && !this.completion && !this.voided && !this.withdrawn && this.templateVersion === undefined && this.messages.length === 0 && this.inserts.size === 0;
  }
}
