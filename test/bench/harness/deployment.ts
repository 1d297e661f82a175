import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Child } from './child';
import { echoFlowsEnv, echoFlowsOf } from './echo';
import { EngineClient, StepSpec } from './engine-client';
import { EngineProcess } from './engine-process';
import { MEMORY_HOST_MAIN } from './paths';
import { RunTracker } from './run-tracker';
import { adminDatabaseUrl, brokerEnv, createDatabase, Database, Driver, freePort, namespaceEnv } from './services';
import { BrokerObserver, observeBroker, observeHost, StatusObserver } from './status-observer';
import { WorkerChannel, WorkerProcess } from './worker-process';

export interface FlowSpec {
  orchName: string;
  type: 'sequential' | 'parallel';
  steps: StepSpec[];
}

export interface DeploymentOptions {
  driver: Driver;
  flows: FlowSpec[];
  /** Extra engine settings (HEALER_INTERVAL_MS, OUTBOX_POLL_MS, DATABASE_POOL_SIZE ...). */
  engineEnv?: Record<string, string>;
  /** Node flags for the engine (e.g. a --require preload for profiling). */
  engineNodeArgs?: string[];
  /** The echo worker records every delivery (crash test) instead of only counting. */
  trackDeliveries?: boolean;
  service?: string;
  /** Prefix of the database, topics and groups; identifies leftovers. */
  prefix?: string;
  keepDatabase?: boolean;
  /**
   * `pglite`: the engine's embedded database in a data directory of its own (no DATABASE_URL), kept
   * across its restarts; only the engine can open it while it runs. Default: a fresh PostgreSQL database.
   */
  database?: 'postgres' | 'pglite';
  /** The engine reaches PostgreSQL over this Unix socket directory instead of TCP (cheaper round trips). */
  databaseSocketDir?: string;
  /**
   * Engine processes on the one database and broker (default 1). Runs start on each in turn. On
   * the in-process broker each engine has its own broker and echo worker, so only the database is shared.
   */
  engines?: number;
  log?: (line: string) => void;
}

/**
 * The first start on fresh topics. On Kafka the engine or the echo worker can exit at boot with
 * "This server does not host this topic-partition" when a topic it subscribes to was created a
 * moment earlier and has no leader yet (KafkaTopics.ensure does not wait for leaders of a topic
 * that already existed), or "the coordinator is loading" on a broker that just started: that is
 * reported, and the start retried, up to three times.
 */
async function firstStart(
  what: string, start: () => Promise<void>, alive: () => boolean, failures: string[], log: ((line: string) => void) | undefined,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await start();
      return;
    } catch (error) {
      const message = (error as Error).message;
      if (alive() || attempt >= 3) throw error;
      failures.push(message.split('\n').slice(0, 3).join(' '));
      log?.(`the ${what} exited during its first start (attempt ${attempt}); retrying: ${message.split('\n')[1] ?? message}`);
    }
  }
}

/** A PGlite data directory for the engine: `url` is empty, nothing but the engine may open it while it runs. */
function embeddedDatabase(): Database & { dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-pglite-'));
  return { name: `pglite:${dataDir}`, url: '', dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

function viaSocket(url: string, dir: string | undefined): string {
  if (!dir) return url;
  const u = new URL(url);
  u.hostname = 'localhost';
  u.port = '';
  u.searchParams.set('host', dir);
  return u.toString();
}

/**
 * One engine under test with everything around it: a fresh database, topics of its own, the
 * engine child process, the echo worker (its own process on a real broker; inside the engine's
 * process on the in-process broker), a status observer in this process and a REST client.
 * Templates and the worker registration go through the REST API like any client's.
 */
export class Deployment {
  readonly tracker = new RunTracker();
  /** First starts that failed and were retried (see firstStart). */
  readonly bootFailures: string[] = [];
  private observer?: StatusObserver;
  /** The same observer on a real broker, which can also start runs. */
  private broker?: BrokerObserver;
  private admin?: Client;
  private workerProcess?: WorkerProcess;
  /** Engines after the first (DeploymentOptions.engines), with their REST clients and (in-process broker) observers. */
  private readonly extra: Array<{ engine: EngineProcess; client: EngineClient; observer?: StatusObserver }> = [];
  private nextEngine = 0;

  private constructor(
    readonly options: DeploymentOptions,
    readonly db: Database & { dataDir?: string },
    readonly env: Record<string, string>,
    readonly engine: EngineProcess,
    readonly client: EngineClient,
    readonly worker: WorkerChannel,
  ) {}

  /** Engine and worker in one process: the memory driver's broker cannot be shared. */
  get inProcessWorker(): boolean {
    return this.options.driver === 'memory';
  }

  get service(): string {
    return this.options.service ?? 'echo-worker';
  }

  static async start(options: DeploymentOptions): Promise<Deployment> {
    const prefix = options.prefix ?? 'bench';
    const db: Database & { dataDir?: string } = options.database === 'pglite' ? embeddedDatabase() : await createDatabase(`baton_${prefix}`);
    const service = options.service ?? 'echo-worker';
    const track = options.trackDeliveries ?? false;
    const env: Record<string, string> = {
      ...(db.dataDir ? { DATA_DIR: db.dataDir } : { DATABASE_URL: viaSocket(db.url, options.databaseSocketDir) }),
      ...brokerEnv(options.driver), ...namespaceEnv(prefix),
      LOG_LEVEL: 'warn', DEMO_WORKER: 'false', DEFINITIONS_DIR: '/nonexistent-baton-definitions',
      ...options.engineEnv,
    };
    const memory = options.driver === 'memory';
    // With the in-process broker, every engine hosts its own echo worker.
    const engineEnv = memory ? { ...env, ...echoFlowsEnv(echoFlowsOf(options.flows)), ECHO_SERVICE: service, ECHO_TRACK: String(track) } : env;
    const engine = new EngineProcess({
      env: engineEnv,
      port: await freePort(), script: memory ? MEMORY_HOST_MAIN : undefined, nodeArgs: options.engineNodeArgs,
    });
    let workerProcess: WorkerProcess | undefined;
    const channel = memory ? new WorkerChannel(() => engine.child.process) : undefined;
    const d = new Deployment(options, db, env, engine, new EngineClient(engine.baseUrl),
      channel ?? (workerProcess = new WorkerProcess({ ...env, ...echoFlowsEnv(echoFlowsOf(options.flows)) }, service, track)).channel);
    d.workerProcess = workerProcess;
    for (let i = 1; i < (options.engines ?? 1); i++) {
      const extra = new EngineProcess({
        env: engineEnv, port: await freePort(), script: memory ? MEMORY_HOST_MAIN : undefined,
        nodeArgs: options.engineNodeArgs,
      });
      d.extra.push({ engine: extra, client: new EngineClient(extra.baseUrl) });
    }
    try {
      // The worker subscribes first: on RabbitMQ a command published before its queue exists is dropped.
      if (workerProcess) await firstStart('echo worker', () => workerProcess!.start(), () => workerProcess!.child.alive, d.bootFailures, options.log);
      await firstStart('engine', () => d.startEngine(), () => d.engine.child.alive, d.bootFailures, options.log);
      // One after the other: the first has run the migrations by the time it is healthy.
      for (const x of d.extra) {
        await firstStart('engine', () => x.engine.start(), () => x.engine.child.alive, d.bootFailures, options.log);
        if (memory) x.observer = observeHost(x.engine.child.process!, d.tracker);
      }
      if (!memory) d.observer = d.broker = await observeBroker(env, d.tracker, `${prefix}-observer`);
      for (const flow of options.flows) {
        await d.client.registerInitiator('bench-initiator', flow.orchName, flow.type, flow.steps);
        await d.client.registerWorker(service, flow.orchName, flow.steps.map((s) => s.name));
      }
      // Consumers of real brokers join their groups asynchronously: the first run proves the loop.
      await d.runOnce(options.flows[0].orchName, 60_000);
    } catch (error) {
      await d.stop().catch(() => undefined);
      throw error;
    }
    return d;
  }

  /** Starts (or, after a kill, restarts) the engine; on memory this re-attaches the IPC observer. */
  async startEngine(): Promise<void> {
    await this.engine.start();
    if (this.inProcessWorker) {
      await this.observer?.close();
      this.channel(this.engine.child);
      this.observer = observeHost(this.engine.child.process!, this.tracker);
    }
  }

  /** Starts a run with a message on the execution-start topic, as a service without HTTP would (real brokers only). */
  startOnTopic(orchName: string, payload: unknown, correlationId: string): Promise<void> {
    if (!this.broker) throw new Error('Runs start on the topic only over a real broker');
    return this.broker.startRun(orchName, payload, correlationId);
  }

  /** One run start to end; rejects after `timeoutMs`. */
  async runOnce(orchName: string, timeoutMs: number, payload: unknown = {}): Promise<void> {
    const correlationId = randomUUID();
    const ended = this.tracker.expect(correlationId);
    const started = await this.client.execute(orchName, payload, correlationId);
    if (started.statusCode !== 202) throw new Error(`execute answered ${started.statusCode}: ${JSON.stringify(started.body)}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`run ${started.flowId} did not end within ${timeoutMs} ms:\n${this.output()}`)), timeoutMs);
    });
    try {
      const end = await Promise.race([ended, timeout]);
      if (end.status !== 'COMPLETED') throw new Error(`run ${started.flowId} ended ${end.status}`);
    } finally {
      clearTimeout(timer);
      this.tracker.forget(correlationId);
    }
  }

  /** PostgreSQL backends serving other databases: other people's tests on a shared server. */
  async otherDatabaseBackends(): Promise<Set<number>> {
    if (!this.admin) {
      this.admin = new Client({ connectionString: adminDatabaseUrl() });
      // A server restarted by someone else must fail the next query, not crash the benchmark.
      this.admin.on('error', () => undefined);
      await this.admin.connect();
    }
    const { rows } = await this.admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname IS DISTINCT FROM $1 AND pid <> pg_backend_pid()`,
      [this.db.name]);
    return new Set(rows.map((r) => r.pid));
  }

  /**
   * Updates of run rows so far, and how many PostgreSQL made in place (HOT: no index entries).
   * Backends report their counts within a second of going idle, so read after a pause.
   */
  async runRowUpdates(): Promise<{ updates: number; inPlace: number }> {
    const client = new Client({ connectionString: this.db.url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const { rows } = await client.query<{ updates: string; in_place: string }>(
        `SELECT n_tup_upd AS updates, n_tup_hot_upd AS in_place FROM pg_stat_user_tables WHERE relname = 'orchestration_run'`);
      return { updates: Number(rows[0]?.updates ?? 0), inPlace: Number(rows[0]?.in_place ?? 0) };
    } finally {
      await client.end();
    }
  }

  /** The REST client of the engine the next run starts on: each engine in turn. */
  nextClient(): EngineClient {
    const k = this.nextEngine++ % (1 + this.extra.length);
    return k === 0 ? this.client : this.extra[k - 1].client;
  }

  /** Step transitions applied so far, summed over the engines. */
  async transitions(): Promise<number> {
    const counts = await Promise.all([this.client, ...this.extra.map((x) => x.client)].map((c) => c.counter('baton_step_transitions_total')));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** CPU seconds used so far, summed over the engine processes; NaN when one has exited (its window then has no CPU figure). */
  engineCpuSeconds(): number {
    try {
      return [this.engine, ...this.extra.map((x) => x.engine)].reduce((sum, e) => sum + e.child.cpuSeconds(), 0);
    } catch {
      return NaN;
    }
  }

  /** The engines' and the worker's process ids (for CPU accounting). */
  pids(): Array<number | undefined> {
    return [this.engine.pid, ...this.extra.map((x) => x.engine.pid), this.workerProcess?.child.pid];
  }

  output(): string {
    return [this.engine.child.output(), ...this.extra.map((x) => x.engine.child.output()), this.workerProcess?.child.output() ?? '']
      .filter(Boolean).join('\n');
  }

  async stop(): Promise<void> {
    await this.admin?.end().catch(() => undefined);
    await this.observer?.close().catch(() => undefined);
    await this.client.close().catch(() => undefined);
    await this.engine.stop().catch(() => undefined);
    for (const x of this.extra) {
      await x.observer?.close().catch(() => undefined);
      await x.client.close().catch(() => undefined);
      await x.engine.stop().catch(() => undefined);
    }
    await this.workerProcess?.stop().catch(() => undefined);
    if (!this.options.keepDatabase) await this.db.drop().catch(() => undefined);
  }

  private channel(child: Child): void {
    this.worker.attach(child.process!);
  }
}
