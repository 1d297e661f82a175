import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TERMINAL_RUN_STATUSES } from '../../../src/engine/core/run-status';
import type { FlowSpec } from '../../bench/harness/deployment';
import { Deployment } from '../../bench/harness/deployment';
import type { Delivery } from '../../bench/harness/echo';
import type { Driver } from '../../bench/harness/services';
import type { CrashData, RunRow, StepRunRow } from './crash-checks';
import { runStoreOf } from './run-store';

/** Three steps; a short timeout so commands lost in a crash are retried within the test. */
export const CRASH_FLOW: FlowSpec = {
  orchName: 'crashOrder', type: 'sequential',
  steps: ['reserve', 'charge', 'ship'].map((name) => ({
    name, timeoutSeconds: 2,
    // Several kills may hit the same step: give it more than the default three timed-out attempts.
    retry: { maxAttempts: 6, backoff: 'fixed' as const, initialDelaySeconds: 0.2 },
  })),
};

/**
 * After a kill -9, Kafka hands the dead engine's partitions on only once its 6 s session expires,
 * and each of several kills restarts that wait: a step timeout shorter than one failover makes
 * every attempt of a step time out while its commands and replies wait for the group.
 */
export const crashFlowFor = (driver: Driver): FlowSpec => (driver === 'kafka'
  ? { ...CRASH_FLOW, steps: CRASH_FLOW.steps.map((s) => ({ ...s, timeoutSeconds: 8 })) } : CRASH_FLOW);

export interface CrashOptions {
  driver: Driver;
  runs: number;
  /** Every n-th run fails at its last step, so its first two steps are compensated. */
  failEvery: number;
  /** Runs whose index % lossyEvery === 3 lose their first DO charge command (the worker swallows it). */
  lossyEvery: number;
  kills: number;
  killGapMs: [number, number];
  startsPerSec: number;
  settleTimeoutMs: number;
  log: (line: string) => void;
  /** Defaults to CRASH_FLOW (2 s step timeouts, so commands lost in a kill are retried quickly). */
  flow?: FlowSpec;
  engineEnv?: Record<string, string>;
  /** The engine's database: PostgreSQL (default), or PGlite in a data directory kept across restarts. */
  database?: 'postgres' | 'pglite';
  /**
   * The fault injected while runs start; defaults to SIGKILLing the engine `kills` times. Another
   * fault (a server restart) records what it measured in its own closure.
   */
  fault?: (d: Deployment) => Promise<void>;
}

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/**
 * Starts runs over REST while the engine is SIGKILLed and restarted; every start is retried with
 * its Idempotency-Key until it gets its 202, so "accepted" means every intended run, each exactly once.
 */
async function drive(d: Deployment, o: CrashOptions, ns: string, accepted: Map<number, string>, stats: StartStats) {
  const orchName = (o.flow ?? CRASH_FLOW).orchName;
  let next = 0;
  const senders = 4;
  const gapMs = (1000 * senders) / o.startsPerSec;
  const sender = async () => {
    while (next < o.runs) {
      const i = next++;
      const payload = {
        order: i, ...(i % o.failEvery === o.failEvery - 1 ? { failAt: 'ship' } : {}),
        ...(i % o.lossyEvery === 3 ? { silentFirstAt: 'charge' } : {}),
      };
      for (let attempt = 0; ; attempt++) {
        const res = await d.client.execute(orchName, payload, `${ns}-${i}`, `${ns}-${i}`).catch(() => undefined);
        if (res?.statusCode === 500) stats.serverErrors++;
        if (res?.statusCode === 202 && res.flowId) {
          const known = accepted.get(i);
          if (known && known !== res.flowId) stats.conflicts.push(`run ${i}: ${known} then ${res.flowId}`);
          accepted.set(i, res.flowId);
          break;
        }
        stats.retries++;
        if (attempt > 600) throw new Error(`run ${i} was never accepted (last answer ${res?.statusCode ?? 'none'}); engine output:\n${d.output().split('\n').slice(-40).join('\n')}`);
        await sleep(100);
      }
      await sleep(gapMs);
    }
  };
  await Promise.all(Array.from({ length: senders }, sender));
}

interface StartStats {
  retries: number;
  conflicts: string[];
  /** Answers of 500: an outage must get 503 (retry later), never an internal error. */
  serverErrors: number;
}

/** SIGKILLs the engine `kills` times, each a random gap after it came back up, and restarts it. */
async function killer(d: Deployment, o: CrashOptions, kills: number[], healthy: number[], restartMs: number[], restartCpuMs: number[]) {
  for (let k = 0; k < o.kills; k++) {
    await sleep(random(...o.killGapMs));
    await d.engine.kill();
    kills.push(Date.now());
    await d.startEngine();
    healthy.push(Date.now());
    restartMs.push(healthy[healthy.length - 1] - kills[kills.length - 1]);
    // The CPU it took is what the restart costs; the wall time also counts what other processes took.
    restartCpuMs.push(Math.round(d.engine.child.cpuSeconds() * 1000));
    o.log(`kill ${k + 1}: healthy again after ${restartMs[restartMs.length - 1]} ms, ${restartCpuMs[restartCpuMs.length - 1]} ms of CPU`);
  }
}

/** Runs the crash scenario and returns everything the checks need. */
export async function runCrashScenario(o: CrashOptions): Promise<CrashData> {
  const d = await Deployment.start({
    driver: o.driver, flows: [o.flow ?? CRASH_FLOW], trackDeliveries: true, prefix: 'crash', log: o.log, database: o.database,
    engineEnv: { HEALER_INTERVAL_MS: '500', OUTBOX_POLL_MS: '200', ...o.engineEnv },
  });
  try {
    await d.worker.take(); // forget the readiness run's deliveries
    const ns = `crash-${randomBytes(4).toString('hex')}`;
    const accepted = new Map<number, string>();
    const startStats: StartStats = { retries: 0, conflicts: [], serverErrors: 0 };
    const kills: number[] = [];
    const healthy: number[] = [];
    const restartMs: number[] = [];
    const restartCpuMs: number[] = [];
    const started = Date.now();
    await Promise.all([drive(d, o, ns, accepted, startStats), o.fault ? o.fault(d) : killer(d, o, kills, healthy, restartMs, restartCpuMs)]);
    o.log(`${accepted.size} runs accepted in ${Date.now() - started} ms with ${kills.length} kills; settling`);

    const flowIds = [...accepted.values()];
    const orchName = (o.flow ?? CRASH_FLOW).orchName;
    const store = runStoreOf(d);
    const deadline = Date.now() + o.settleTimeoutMs;
    let open = flowIds.length;
    while (Date.now() < deadline) {
      open = await store.openRuns(orchName, flowIds, TERMINAL_RUN_STATUSES);
      if (open === 0) break;
      await sleep(500);
    }
    // Then let the outbox drain (republished commands still reach the worker) and the worker go quiet.
    // Rows a killed relay had claimed stay leased (LEASE_SECONDS) and are not due yet: not waited for.
    let last = -1;
    const quietDeadline = Date.now() + 20_000;
    while (Date.now() < quietDeadline) {
      const n = await store.dueOutbox();
      const received = (await d.worker.stats()).received;
      if (n === 0 && received === last) break;
      last = received;
      await sleep(1500);
    }
    const stats = await d.worker.stats();
    const { runs, steps, events, unsent, dropped } = await store.finally(async (query) => ({
      runs: await query<RunRow>(
        `SELECT flow_id AS "flowId", status, failed_step AS "failedStep", idempotency_key AS "idempotencyKey"
         FROM orchestration_run WHERE orch_name = $1`, [orchName]),
      steps: await query<StepRunRow>(
        `SELECT flow_id AS "flowId", step_name AS "stepName", action, attempt, command_id AS "commandId", status,
                dispatched_at AS "dispatchedAt", completed_at AS "completedAt"
         FROM orchestration_step_run WHERE flow_id = ANY($1) ORDER BY id`, [flowIds]),
      events: await query<{ flowId: string; kind: string; stepName: string | null; reason: string }>(
        `SELECT flow_id AS "flowId", kind, step_name AS "stepName", reason FROM run_event WHERE flow_id = ANY($1) ORDER BY id`, [flowIds]),
      unsent: await query<{ body: Uint8Array; availableAt: Date; createdAt: Date }>(
        `SELECT body, available_at AS "availableAt", created_at AS "createdAt" FROM outbox WHERE sent_at IS NULL AND topic LIKE '%commands.%'`),
      // Commands the relay dropped unpublished because their attempt's deadline had passed (a restart took longer).
      dropped: await query<{ body: Uint8Array }>(`SELECT body FROM outbox WHERE topic LIKE '%commands.%' AND dropped_at IS NOT NULL`),
    }));
    const expiredCommands = dropped.map((row) => (JSON.parse(Buffer.from(row.body).toString('utf8')) as { commandId: string }).commandId);
    const unsentCommands = unsent.map((row) => {
      const body = JSON.parse(Buffer.from(row.body).toString('utf8')) as { commandId: string; flowId: string };
      return { commandId: body.commandId, flowId: body.flowId, availableAt: row.availableAt, createdAt: row.createdAt };
    });
    return {
      unsentCommands, expiredCommands,
      intended: o.runs, failEvery: o.failEvery, lossyEvery: o.lossyEvery, ns, accepted, startRetries: startStats.retries, idempotencyConflicts: startStats.conflicts,
      serverErrors: startStats.serverErrors,
      kills: kills.length, killedAt: kills, healthyAt: healthy, restartMs, restartCpuMs, stillOpen: open, runs, steps, events,
      deliveries: (stats.deliveries ?? []) as Delivery[], redeliveries: stats.redeliveries, engineOutput: d.output(),
    };
  } finally {
    await d.stop();
  }
}
