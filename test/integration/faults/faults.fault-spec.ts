import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Deployment, FlowSpec } from '../../bench/harness/deployment';
import { EngineProcess } from '../../bench/harness/engine-process';
import { ECHO_WORKER_MAIN, ENGINE_MAIN, requireBuilt } from '../../bench/harness/paths';
import { Driver, freePort } from '../../bench/harness/services';
import { freezeControls, serviceControls, type BrokerControls } from '../../helpers/broker-control';
import { expectEventually } from '../../helpers/expect-eventually';
import { checkCrash, CrashVerdict } from '../crash/crash-checks';
import { CRASH_FLOW, crashFlowFor, CrashOptions, runCrashScenario } from '../crash/crash-scenario';
import { FaultFigures, figuresOf, log, recordLine, reportFigures } from './fault-report';
import { OutageRecord, outages } from './server-faults';

/*
 * Issue 13: faults strand nothing. Each scenario drives runs of a 3-step flow over REST (every
 * fifth fails at its last step and is compensated) while a server is restarted or the engine is
 * SIGKILLed, then checks every accepted run with the crash test's checks (test/integration/crash)
 * and prints its figures. The servers are the environment's (DATABASE_URL, RABBITMQ_URL,
 * KAFKA_BROKERS), restarted through scripts/services.sh with the same environment (PG_PORT,
 * RABBITMQ_PORT, KAFKA_PORT, BATON_SERVICES_DIR). Runs from dist/ (npm run build first).
 */

/**
 * Step timeouts longer than any outage, stop and start included (a Kafka shutdown alone can take
 * 30 s here): a command or reply held back by the outage must not look lost.
 */
const OUTAGE_FLOW: FlowSpec = {
  ...CRASH_FLOW, orchName: 'outageOrder',
  steps: CRASH_FLOW.steps.map((s) => ({ ...s, timeoutSeconds: 120 })),
};
// A run loses a command when index % lossyEvery === 3: never with 3, so no re-execution is forced.
const NO_LOSS = 3;
/** A restart not healthy by then hangs; a slower one is a figure (see the kill scenarios). */
const RESTART_HANG_MS = 15_000;

function assertClean(verdict: CrashVerdict, stillOpen: number, engineOutput: string): void {
  const { violations } = verdict;
  if (stillOpen > 0) violations.unshift(`${stillOpen} runs were not terminal at the end`);
  if (violations.length > 0) {
    throw new Error(`${violations.length} violation(s); first ones:\n${violations.slice(0, 8).join('\n')}\n`
      + `engine output (last lines):\n${engineOutput.split('\n').slice(-30).join('\n')}`);
  }
}

async function outageScenario(
  name: string, driver: Driver, server: 'postgres' | 'rabbitmq' | 'kafka',
  load: Pick<CrashOptions, 'runs' | 'startsPerSec'>, faults: Parameters<typeof outages>[2],
  how: { controls: BrokerControls; flow: FlowSpec } = { controls: serviceControls(server), flow: OUTAGE_FLOW },
): Promise<FaultFigures> {
  const record: OutageRecord = { downMs: [], restartMs: [], drainMs: [] };
  const data = await runCrashScenario({
    driver, ...load, failEvery: 5, lossyEvery: NO_LOSS, kills: 0, killGapMs: [0, 0], settleTimeoutMs: 120_000, log,
    flow: how.flow, fault: outages({ name: server, controls: how.controls }, record, faults),
  });
  // A recorded attempt whose command never reached the worker is a violation (checkCrash 3).
  const verdict = checkCrash(data);
  const figures = figuresOf(verdict.figures, { restartMs: record.restartMs, drainMs: record.drainMs });
  reportFigures(`${name} (outages ${record.downMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s)`, figures);
  assertClean(verdict, data.stillOpen, data.engineOutput);
  expect(figures).toMatchObject({ lost: 0, stuck: 0, doubleExecuted: 0, lostInTransit: 0, staleCommands: 0 });
  return figures;
}

describe('fault suite', () => {
  beforeAll(() => requireBuilt(ENGINE_MAIN, ECHO_WORKER_MAIN));

  it('PostgreSQL restarted 3 times for 5-15 s during steady load', async () => {
    await outageScenario('postgres x3 under steady load', 'rabbitmq', 'postgres', { runs: 500, startsPerSec: 10 },
      { times: 3, firstAfterMs: 3000, downMs: [5000, 15_000], gapMs: [2000, 4000] });
  }, 420_000);

  it('PostgreSQL stopped 0.5 s into a burst, for 10 s', async () => {
    await outageScenario('postgres 0.5 s into a burst', 'rabbitmq', 'postgres', { runs: 200, startsPerSec: 400 },
      { times: 1, firstAfterMs: 500, downMs: [10_000, 10_000], gapMs: [0, 0] });
  }, 300_000);

  /*
   * A hung database, not a stopped one (a storage stall, a paused VM): nothing fails, every statement
   * waits. Step timeouts are 2 s, so the attempts in flight pass their deadlines meanwhile while their
   * replies wait, consumed or in the broker, for the database: none may be timed out and run again.
   */
  it('PostgreSQL frozen (SIGSTOP) twice for 8-12 s under load, with 2 s step timeouts', async () => {
    const controls = freezeControls('postgres');
    try {
      await outageScenario('postgres frozen x2 under load', 'rabbitmq', 'postgres', { runs: 400, startsPerSec: 15 },
        { times: 2, firstAfterMs: 3000, downMs: [8000, 12_000], gapMs: [2000, 4000] }, { controls, flow: CRASH_FLOW });
    } finally {
      await controls.start(); // never leave the suites after it a hung server
    }
  }, 420_000);

  it.each<['rabbitmq' | 'kafka']>([['rabbitmq'], ['kafka']])('%s restarted under load: the outbox drains within 30 s', async (driver) => {
    const figures = await outageScenario(`${driver} restarted under load`, driver, driver, { runs: 300, startsPerSec: 15 },
      { times: 1, firstAfterMs: 3000, downMs: [5000, 8000], gapMs: [0, 0] });
    for (const ms of figures.drainMs) expect(ms).toBeLessThan(30_000);
  }, 300_000);

  /*
   * On the embedded PGlite database the engine is killed on the same data directory each time: its
   * lock must be taken over at once and PGlite must recover what it had committed. The broker there
   * is RabbitMQ, not the embedded default's in-process broker: a SIGKILL empties an in-process
   * broker by design (its messages are recovered only by step timeouts), and a worker in the
   * engine's process would lose its own record of what it executed, so the checks could no longer
   * tell a lost command from a Baton defect. RabbitMQ keeps both outside the engine. PGlite serves
   * one connection from one process: a fifth of the start rate keeps its queue short, and 600 runs
   * at that rate still span all ten kills (about 45 s of them, with the restarts).
   *
   * What issue 13 asks of a restart is that the first start after each kill succeeds (the lock of
   * a dead owner is taken over at once): `startEngine` throws if the engine exits during startup,
   * so one refused start fails the scenario. How long a restart takes is a figure, printed with its
   * CPU, not a timed assertion: it is nearly all CPU (module loading, then PostgreSQL's start and
   * WAL replay in WebAssembly on PGlite), so on a shared machine the wall time also measures the
   * neighbours' load (PGlite 2.3-3.1 s in one CI run, 3.9-5.3 s in another on a slower host, whose
   * PostgreSQL restarts took 2.7-4.1 s). RESTART_HANG_MS only tells a hung start from a slow one.
   */
  it.each<[Driver, 'postgres' | 'pglite', { runs: number; startsPerSec: number }]>([
    ['rabbitmq', 'postgres', { runs: 1000, startsPerSec: 60 }], ['kafka', 'postgres', { runs: 1000, startsPerSec: 60 }],
    ['rabbitmq', 'pglite', { runs: 600, startsPerSec: 12 }],
  ])('engine SIGKILLed 10 times during runs with 20%% failing, on %s and %s', async (driver, database, load) => {
      const data = await runCrashScenario({
        driver, database, ...load, failEvery: 5, lossyEvery: 10, kills: 10, killGapMs: [300, 1500],
        settleTimeoutMs: 120_000, log, flow: crashFlowFor(driver),
      });
      const verdict = checkCrash(data);
      const figures = figuresOf(verdict.figures);
      reportFigures(`engine SIGKILLed x${data.kills} on ${driver} and ${database === 'pglite' ? 'PGlite (same data directory)' : 'PostgreSQL'}`,
        figures);
      assertClean(verdict, data.stillOpen, data.engineOutput);
      for (const example of verdict.figures.leasedExamples) log(`a command a killed relay had claimed is still unsent: ${example}`);
      for (const example of verdict.figures.doubleExamples) recordLine(`a step ran twice: ${example}`);
      // A killed relay's claimed commands go out at its restart, never after their attempt timed out.
      expect({ stale: figures.staleCommands, leased: verdict.figures.leasedCommands }).toEqual({ stale: 0, leased: 0 });
      // No step runs again after a timeout whose reply had arrived: timeouts wait until the restarted
      // engine's reply consumers applied what waited for them (the lossy runs' forced retries are not counted).
      expect({ lost: figures.lost, doubleExecuted: figures.doubleExecuted }).toEqual({ lost: 0, doubleExecuted: 0 });
      expect(Math.max(...figures.restartMs)).toBeLessThan(RESTART_HANG_MS);
    }, 420_000);

  it('a fresh consumer group on topics holding old requests replays nothing', async () => {
    const d = await Deployment.start({ driver: 'kafka', flows: [OUTAGE_FLOW], prefix: 'fresh', log });
    const kafka = new Kafka({ clientId: 'fault-suite', brokers: (process.env.KAFKA_BROKERS ?? '').split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    let fresh: EngineProcess | undefined;
    try {
      await d.engine.stop();
      await producer.connect();
      const ns = `old-${randomBytes(4).toString('hex')}`;
      const start = (key: string) => ({ value: JSON.stringify({ orchName: OUTAGE_FLOW.orchName, payload: {}, idempotencyKey: key }) });
      await producer.send({ topic: d.env.TOPIC_EXECUTION_START, messages: Array.from({ length: 20 }, (_, i) => start(`${ns}-${i}`)) });
      // A new deployment: same topics, a consumer group that has never consumed them.
      fresh = new EngineProcess({ env: { ...d.env, CONSUMER_GROUP: `${d.env.CONSUMER_GROUP}-next` }, port: await freePort() });
      await fresh.start();
      // Publish until a new request is consumed: the group has joined and reads from its start position.
      const db = new Client({ connectionString: d.db.url });
      await db.connect();
      const runsOf = async (prefix: string) => (await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM orchestration_run WHERE idempotency_key LIKE $1', [`${prefix}%`])).rows[0].n;
      try {
        await expectEventually(async () => {
          await producer.send({ topic: d.env.TOPIC_EXECUTION_START, messages: [start(`new-${ns}-${randomBytes(2).toString('hex')}`)] });
          await new Promise((r) => setTimeout(r, 500));
          expect(await runsOf(`new-${ns}`)).toBeGreaterThan(0);
        }, { timeoutMs: 60_000 });
        const replayed = await runsOf(`${ns}-`);
        recordLine(`fresh consumer group: old start requests 20 / replayed ${replayed}`);
        expect(replayed).toBe(0);
      } finally {
        await db.end();
      }
    } finally {
      await producer.disconnect().catch(() => undefined);
      await fresh?.stop().catch(() => undefined);
      await d.stop();
    }
  }, 180_000);
});
