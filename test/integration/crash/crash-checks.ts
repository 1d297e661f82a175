import type { Delivery } from '../../bench/harness/echo';

export interface RunRow {
  flowId: string;
  status: string;
  failedStep: string | null;
  idempotencyKey: string | null;
}

export interface StepRunRow {
  flowId: string;
  stepName: string;
  action: 'DO' | 'UNDO';
  attempt: number;
  commandId: string;
  status: string;
  dispatchedAt: Date;
  completedAt: Date | null;
}

export interface CrashData {
  intended: number;
  failEvery: number;
  lossyEvery: number;
  ns: string;
  /** Run index → the flowId its 202 named. */
  accepted: Map<number, string>;
  startRetries: number;
  /** Start requests answered 500. */
  serverErrors: number;
  idempotencyConflicts: string[];
  kills: number;
  /** When each SIGKILL was sent and when the engine was healthy again (epoch ms), for the examples' timelines. */
  killedAt: number[];
  healthyAt: number[];
  /** SIGKILL → healthy again, per restart. */
  restartMs: number[];
  /** CPU the restarted engine used until healthy, per restart: the restart's cost, whatever else runs. */
  restartCpuMs: number[];
  stillOpen: number;
  runs: RunRow[];
  steps: StepRunRow[];
  events: Array<{ flowId: string; kind: string; stepName: string | null; reason: string }>;
  deliveries: Delivery[];
  redeliveries: number;
  /** Commands still in the outbox, unsent, when the run was checked (leased by a relay that was killed). */
  unsentCommands: Array<{ commandId: string; flowId: string; availableAt: Date; createdAt: Date }>;
  /**
   * Commands the relay dropped because their attempt's deadline had passed when it got to them: never
   * published, or published by the fast path of an engine killed before it marked them sent.
   */
  expiredCommands: string[];
  engineOutput: string;
}

export interface CrashFigures {
  accepted: number;
  completed: number;
  compensated: number;
  lost: number;
  /** Deliveries of a commandId the worker had already handled (at-least-once duplicates; a worker dedupes them). */
  duplicatedEffects: number;
  /** Extra attempts (new commandIds) the engine sent after timing out an earlier one (lossy runs force some). */
  reexecutedAfterTimeout: number;
  /**
   * Steps run again although the worker had run them: attempts timed out and followed by another
   * although the worker had executed their command and answered (not swallowed it, as in the
   * lossy runs, nor dropped it as expired). A retry after a FAILED answer is the retry policy's.
   */
  doubleExecuted: number;
  /** The first double executions, each with its run's timeline: what a failure must show to be diagnosed. */
  doubleExamples: string[];
  lossy: number;
  /**
   * Commands of finished attempts still waiting in the outbox: a relay was killed between claiming
   * them (lease) and publishing; they go out when the lease ends, after their attempt timed out.
   */
  leasedCommands: number;
  leasedExamples: string[];
  /** Commands never published because their attempt had timed out before the relay got to them. */
  expiredCommands: number;
  /** Recorded attempts whose command never reached the worker and is not in the outbox (each also a violation). */
  lostInTransit: number;
  /** Commands the worker received after their attempt had timed out: a stale command published late. */
  staleDeliveries: number;
  /** Runs not terminal when checked. */
  stuck: number;
  serverErrors: number;
  restartMs: number[];
  restartCpuMs: number[];
  startRetries: number;
}

export interface CrashVerdict {
  figures: CrashFigures;
  violations: string[];
}

const SUCCESSFUL_STEPS = ['reserve', 'charge', 'ship'];
const key = (flowId: string, stepName: string, action: string) => `${flowId}|${action}|${stepName}`;

/** The steps' expected final outcome per run: which (action, step) must have exactly one SUCCEEDED attempt. */
function expectations(failing: boolean): { succeed: string[]; fail: string[]; absent: string[] } {
  return failing
    ? { succeed: ['DO:reserve', 'DO:charge', 'UNDO:charge', 'UNDO:reserve'], fail: ['DO:ship'], absent: ['UNDO:ship'] }
    : { succeed: SUCCESSFUL_STEPS.map((s) => `DO:${s}`), fail: [], absent: SUCCESSFUL_STEPS.map((s) => `UNDO:${s}`) };
}

/**
 * What the crash test asserts, per accepted run:
 * 1. it exists, is terminal, and ended COMPLETED (or FAILED at `ship` when it was meant to fail);
 * 2. each (step, action) that should have happened has exactly one SUCCEEDED attempt in the
 *    engine's timeline, every other attempt of it ended TIMED_OUT (a lost command or reply, the
 *    only reason to send it again) or, for the failing `ship`, FAILED, its last attempt FAILED
 *    (or TIMED_OUT while its command is held in the outbox, see 3); nothing is left DISPATCHED;
 * 3. the worker executed exactly the commands the engine recorded: per (flowId, step, action) the
 *    set of distinct commandIds the worker received equals the attempts' command_ids, except for
 *    commands still unsent in the outbox (a relay killed after claiming them: they go out when their
 *    lease ends; counted and shown, not lost). So an effect
 *    runs more than once only as a new attempt after a timeout (counted), and a redelivered message
 *    carries the same commandId (counted as a duplicate the worker dedupes by commandId);
 * 4. a lossy run (its first DO charge swallowed by the worker) has that attempt TIMED_OUT and retried;
 * 5. steps ran in order and compensation in reverse, per the worker's own log: DO reserve < DO
 *    charge < DO ship, and for a failing run UNDO charge < UNDO reserve, both after DO ship.
 */
export function checkCrash(data: CrashData): CrashVerdict {
  const violations: string[] = [];
  const runsById = new Map(data.runs.map((r) => [r.flowId, r]));
  const stepsByKey = new Map<string, StepRunRow[]>();
  for (const s of data.steps) {
    const k = key(s.flowId, s.stepName, s.action);
    stepsByKey.set(k, [...(stepsByKey.get(k) ?? []), s]);
  }
  const deliveriesByKey = new Map<string, Delivery[]>();
  const firstDelivery = new Map<string, number>();
  data.deliveries.forEach((dl, index) => {
    const k = key(dl.flowId, dl.stepName, dl.action);
    deliveriesByKey.set(k, [...(deliveriesByKey.get(k) ?? []), dl]);
    if (!firstDelivery.has(k)) firstDelivery.set(k, index);
  });

  if (data.accepted.size !== data.intended) violations.push(`${data.intended - data.accepted.size} runs were never accepted`);
  for (const c of data.idempotencyConflicts) violations.push(`Idempotency-Key returned two runs: ${c}`);
  const acceptedIds = new Set(data.accepted.values());
  const strays = data.runs.filter((r) => !acceptedIds.has(r.flowId) && r.idempotencyKey?.startsWith(data.ns));
  for (const r of strays) violations.push(`run ${r.flowId} (${r.idempotencyKey}) exists but no 202 named it`);

  let completed = 0;
  let compensated = 0;
  let lost = 0;
  let reexecuted = 0;
  let doubleExecuted = 0;
  let lossyRuns = 0;
  let leased = 0;
  let lostInTransit = 0;
  const leasedExamples: string[] = [];
  const doubleExamples: string[] = [];
  const unsent = new Map(data.unsentCommands.map((c) => [c.commandId, c]));
  const expired = new Set(data.expiredCommands);
  const timedOutAt = new Map(data.steps.filter((s) => s.status === 'TIMED_OUT' && s.completedAt)
    .map((s) => [s.commandId, new Date(s.completedAt!).getTime()]));
  const staleDeliveries = data.deliveries.filter((dl) => dl.at > (timedOutAt.get(dl.commandId) ?? Number.POSITIVE_INFINITY)).length;
  for (const [index, flowId] of data.accepted) {
    const failing = index % data.failEvery === data.failEvery - 1;
    const lossy = index % data.lossyEvery === 3;
    if (lossy) lossyRuns++;
    const run = runsById.get(flowId);
    const problems: string[] = [];
    if (!run) {
      lost++;
      violations.push(`run ${index} (${flowId}) was accepted but is not in the database`);
      continue;
    }
    const expectedStatus = failing ? 'FAILED' : 'COMPLETED';
    if (run.status !== expectedStatus) problems.push(`status ${run.status}, expected ${expectedStatus}`);
    else if (failing) compensated++;
    else completed++;
    if (failing && run.failedStep !== 'ship') problems.push(`failedStep ${run.failedStep}, expected ship`);

    const e = expectations(failing);
    for (const item of [...e.succeed, ...e.fail, ...e.absent]) {
      const [action, step] = item.split(':');
      const k = key(flowId, step, action);
      const attempts = stepsByKey.get(k) ?? [];
      const delivered = deliveriesByKey.get(k) ?? [];
      if (e.absent.includes(item)) {
        if (attempts.length + delivered.length > 0) problems.push(`${item} happened (${attempts.length} attempts, ${delivered.length} deliveries)`);
        continue;
      }
      const succeeded = attempts.filter((a) => a.status === 'SUCCEEDED').length;
      const mustSucceed = e.succeed.includes(item);
      if (mustSucceed && succeeded !== 1) problems.push(`${item}: ${succeeded} SUCCEEDED attempts`);
      // A last attempt whose command a killed relay still holds (see 3) times out instead of
      // failing: the step still fails, on a timeout. Counted below as a leased command.
      const last = attempts.at(-1);
      const lastHeld = last?.status === 'TIMED_OUT' && (unsent.has(last.commandId) || expired.has(last.commandId));
      // Or the worker failed it in time but its reply reached an engine only after the deadline
      // (the reply consumer was rejoining its group after a kill): the step still fails, on a timeout.
      const lastLate = last?.status === 'TIMED_OUT' && delivered.some((dl) => dl.commandId === last.commandId);
      if (!mustSucceed && (succeeded !== 0 || (last?.status !== 'FAILED' && !lastHeld && !lastLate))) {
        problems.push(`${item}: expected to end FAILED, attempts ${attempts.map((a) => a.status).join(',')}`);
      }
      const allowed = mustSucceed ? ['SUCCEEDED', 'TIMED_OUT'] : ['FAILED', 'TIMED_OUT'];
      const odd = attempts.filter((a) => !allowed.includes(a.status));
      if (odd.length > 0) problems.push(`${item}: unexpected attempt statuses ${odd.map((a) => `#${a.attempt} ${a.status}`).join(', ')}`);
      const recorded = new Set(attempts.map((a) => a.commandId));
      const executed = new Set(delivered.map((dl) => dl.commandId));
      const unknown = [...executed].filter((c) => !recorded.has(c));
      const undelivered = [...recorded].filter((c) => !executed.has(c));
      if (unknown.length > 0) problems.push(`${item}: the worker executed commands the engine never recorded: ${unknown.join(', ')}`);
      const stillLeased = undelivered.filter((c) => unsent.has(c));
      const lost = undelivered.filter((c) => !unsent.has(c) && !expired.has(c));
      lostInTransit += lost.length;
      if (lost.length > 0) problems.push(`${item}: recorded attempts never reached the worker and are not in the outbox: ${lost.join(', ')}`);
      if (stillLeased.length > 0) {
        leased += stillLeased.length;
        const row = unsent.get(stillLeased[0])!;
        if (leasedExamples.length < 3) {
          leasedExamples.push(`run ${index} (${flowId}) ${item}: command ${stillLeased[0]} written ${new Date(row.createdAt).toISOString()}, `
            + `still unsent, due ${new Date(row.availableAt).toISOString()}\n${timeline(data, flowId)}`);
        }
      }
      if (mustSucceed) reexecuted += Math.max(0, executed.size - 1);
      const answered = new Set(delivered.filter((dl) => dl.outcome === 'SUCCESS' || dl.outcome === 'FAILED').map((dl) => dl.commandId));
      const again = attempts.filter((a) => a !== last && a.status === 'TIMED_OUT' && answered.has(a.commandId));
      doubleExecuted += again.length;
      if (again.length > 0 && doubleExamples.length < 3) {
        doubleExamples.push(`run ${index} (${flowId}) ${item}: attempt ${again[0].attempt} answered yet timed out; `
          + `kills at ${clockTimes(data.killedAt)}, healthy at ${clockTimes(data.healthyAt)}\n${timeline(data, flowId)}`);
      }
    }

    if (lossy) {
      const charge = stepsByKey.get(key(flowId, 'charge', 'DO')) ?? [];
      if (charge[0]?.status !== 'TIMED_OUT' || charge.length < 2) {
        problems.push(`DO charge's swallowed first attempt was not timed out and retried: ${charge.map((a) => a.status).join(',')}`);
      }
    }

    const at = (item: string) => {
      const [action, step] = item.split(':');
      return firstDelivery.get(key(flowId, step, action)) ?? Number.NaN;
    };
    const order = failing
      ? ['DO:reserve', 'DO:charge', 'DO:ship', 'UNDO:charge', 'UNDO:reserve'] : ['DO:reserve', 'DO:charge', 'DO:ship'];
    for (let i = 1; i < order.length; i++) {
      if (!(at(order[i - 1]) < at(order[i]))) problems.push(`worker saw ${order[i]} before (or without) ${order[i - 1]}`);
    }
    if (problems.length > 0) violations.push(`run ${index} (${flowId}): ${problems.join('; ')}\n${timeline(data, flowId)}`);
  }
  return {
    figures: {
      accepted: data.accepted.size, completed, compensated, lost, duplicatedEffects: data.redeliveries,
      reexecutedAfterTimeout: reexecuted, doubleExecuted, doubleExamples, lossy: lossyRuns, leasedCommands: leased, leasedExamples, lostInTransit,
      staleDeliveries, expiredCommands: data.expiredCommands.length, stuck: data.stillOpen, serverErrors: data.serverErrors, restartMs: data.restartMs, restartCpuMs: data.restartCpuMs, startRetries: data.startRetries,
    },
    violations,
  };
}

const clockTimes = (times: number[]) => times.map((t) => new Date(t).toISOString().slice(11, 23)).join(', ') || '-';

/** A run's attempts, events and the worker's deliveries, for a failure message. */
export function timeline(data: CrashData, flowId: string): string {
  const t = (d: Date | null) => (d ? new Date(d).toISOString().slice(11, 23) : '-');
  const lines = [
    ...data.steps.filter((s) => s.flowId === flowId).map((s) =>
      `    attempt ${s.action} ${s.stepName} #${s.attempt} ${s.status} cmd ${s.commandId.slice(0, 8)} dispatched ${t(s.dispatchedAt)} completed ${t(s.completedAt)}`),
    ...data.events.filter((e) => e.flowId === flowId).map((e) => `    event ${e.kind} ${e.stepName ?? ''} ${e.reason}`),
    ...data.deliveries.filter((dl) => dl.flowId === flowId).map((dl) =>
      `    worker ${dl.action} ${dl.stepName} #${dl.attempt} cmd ${dl.commandId.slice(0, 8)} delivery ${dl.delivery} ${dl.outcome} at ${new Date(dl.at).toISOString().slice(11, 23)}`),
  ];
  return lines.join('\n');
}
