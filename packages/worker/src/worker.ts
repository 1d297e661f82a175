import { BatonClient, type BatonConnection } from './baton-client';
import type { StepCommand } from './command';
import { HttpControl, type WorkerControl } from './control';
import { handleDelivery, type StepFn } from './handle-delivery';
import { StepDeclarationError, WorkerRouteError, WorkerStateError } from './errors';
import { ExpiredDrops } from './expired-drops';
import type { FailureStreak } from './failure-streak';
import { errorText, stderrLogger, type WorkerLogger } from './logger';
import { Presence } from './presence';
import { warnOfRegistration } from './registration-warnings';
import { nameProblem } from './names';
import { MemoryResultStore, type ResultStore } from './result-store';
import { Slots } from './slots';
import { storeFailureStreak } from './store-failures';
import { stepDefinitionProblem } from './step-definition';
import { routeProblems } from './transports/broker-route';
import { createTransport, type TransportChoice } from './transports/create-transport';
import { KeyLanes } from './key-lanes';
import type { Delivery, Transport } from './transports/transport';
import type { WireCommand } from './wire';
import { optionProblems } from './worker-options-rules';

export interface WorkerOptions {
  /** The service name this worker registers and is addressed by. */
  service: string;
  /** Baton's REST API: needed unless a `control` is given and the transport is a broker or a {@link Transport} object. */
  baton?: BatonConnection;
  /** `'http'` (the default: long-polls Baton itself), a broker, or a {@link Transport} of your own. */
  transport?: TransportChoice | Transport;
  /** Registration and presence. Default: Baton's REST API at `baton.url`. */
  control?: WorkerControl;
  /** Handlers running at once, at most. Default 8. */
  concurrency?: number;
  /** Where successful results are recorded by idempotency key, and failures by command id. Default: in process. */
  store?: ResultStore;
  /** Send a heartbeat this often while a handler runs. Default 0: only when the handler calls `cmd.heartbeat()`. */
  autoHeartbeatMs?: number;
  /**
   * Fail the step of a handler still running after this long (HANDLER_TIMEOUT, retryable), and
   * abort its `cmd.signal`. Default 0: no limit. Set it with `autoHeartbeatMs`: heartbeats keep a
   * step alive as long as its process lives, so a hung handler would hold its run for ever. The
   * handler given up on runs on in the background, in its slot. A success it returns then is
   * recorded for the step's retry (same idempotencyKey) to replay; a retry that comes while it
   * still runs runs beside it.
   */
  handlerTimeoutMs?: number;
  /**
   * The largest reply Baton takes, as bytes of JSON (the output and its envelope). A handler whose
   * output would make a bigger reply is answered SUCCESS without the output (OUTPUT_REFUSED), as
   * Baton would refuse it at every delivery, and Baton unwinds the run, that step's undo included.
   * Default: the brokers' defaults: 1 MiB less 8 KiB on Kafka, 16 MiB on RabbitMQ; none over
   * HTTP, where Baton answers a reply over its BODY_LIMIT_BYTES with a 413 (REPLY_REFUSED), nor
   * for a transport object of your own unless it declares one. Set it when your limit differs.
   */
  maxReplyBytes?: number;
  /** How often this instance tells Baton it is alive (used by READINESS=live). Default 5000 ms. */
  presenceMs?: number;
  /** Stop (drain) on SIGTERM and SIGINT. Default true. */
  handleSignals?: boolean;
  /**
   * How long {@link Worker.stop} waits for running handlers before it disconnects anyway. Default
   * 25000 ms, under the 30 s an orchestrator such as Kubernetes grants before it kills. The
   * commands of handlers still running are not acknowledged: another instance gets them (their
   * idempotencyKey is the same), and what they return later is dropped. 0: wait for ever.
   */
  drainTimeoutMs?: number;
  logger?: WorkerLogger;
}

export interface StepDefinition<P = unknown> {
  /** Must match the template's `objectType` for this step. */
  objectType: string;
  /** Runs the step; its return value (JSON) is the step's output. Throw to fail it. */
  do: (cmd: StepCommand<P>) => unknown;
  /** Reverses the step. Without it, an UNDO succeeds at once. */
  undo?: (cmd: StepCommand<P>) => unknown;
}

/** A worker service: register steps with {@link Worker.step}, then {@link Worker.start}. */
export class Worker {
  private readonly steps = new Map<string, { orchName: string; name: string; def: StepDefinition }>();
  private readonly slots: Slots;
  private readonly store: ResultStore;
  private readonly logger: WorkerLogger;
  private readonly client?: BatonClient;
  private readonly control: WorkerControl;
  /**
   * Two copies of one command at once (a redelivery while the first still runs) run one after the
   * other, so the second finds the first's recorded result instead of running the effect again.
   * A handler that timed out frees its key at once (late-handler.ts): its retry, held behind it,
   * would wait past its own deadline.
   */
  private readonly byIdempotencyKey = new KeyLanes();
  private readonly expiredDrops: ExpiredDrops;
  private readonly storeFailures: FailureStreak;
  private transport?: Transport;
  private presence?: Presence;
  /** The start under way or done; cleared when it fails, as a failed start leaves nothing behind and may be tried again. */
  private starting?: Promise<void>;
  private stopping?: Promise<void>;
  /** Set once stop() disconnects: a reply that fails after it failed because the worker stopped. */
  private disconnected = false;
  private readonly onSignal = () => void this.stop();

  constructor(private readonly options: WorkerOptions) {
    const problems = optionProblems(options);
    if (problems.length) throw new Error(`Invalid worker options: ${problems.join('; ')}`);
    this.slots = new Slots(options.concurrency ?? 8);
    this.store = options.store ?? new MemoryResultStore();
    this.logger = options.logger ?? stderrLogger;
    this.expiredDrops = new ExpiredDrops(this.logger);
    this.storeFailures = storeFailureStreak(this.logger);
    this.client = options.baton && new BatonClient(options.baton, options.service);
    this.control = options.control ?? new HttpControl(this.client!);
  }

  /**
   * Declares the handler of one step of one template. Call before {@link start}. A name Baton
   * would refuse or trim, a definition without a `do` function, or a second one for the same step,
   * throws here ({@link StepDeclarationError}): found at run time instead, each would fail the
   * step's commands (`NO_HANDLER: …`) or silently run other code.
   */
  step<P = unknown>(orchName: string, stepName: string, def: StepDefinition<P>): this {
    if (this.starting || this.stopping) throw new Error('Declare steps before start()');
    const key = `${orchName}/${stepName}`;
    const problem = nameProblem('template', orchName) ?? nameProblem('step', stepName)
      ?? (this.steps.has(key) ? 'is declared twice: declare each step once' : stepDefinitionProblem(def));
    if (problem) throw new StepDeclarationError(`Step ${key} ${problem}`);
    this.steps.set(key, { orchName, name: stepName, def: def as StepDefinition });
    return this;
  }

  /** Registers every declared step with Baton, then consumes commands. A worker starts once; one whose start failed may try again. */
  start(): Promise<void> {
    if (this.stopping) return Promise.reject(new WorkerStateError('WORKER_STOPPED', 'a stopped worker cannot be started again: create a new one'));
    if (this.starting) return Promise.reject(new WorkerStateError('WORKER_ALREADY_STARTED', 'start() was called already on this worker'));
    const starting = this.startOnce().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    this.starting = starting;
    return starting;
  }

  private async startOnce(): Promise<void> {
    if (this.steps.size === 0) throw new Error('Declare at least one step before start()');
    this.transport = this.createTransport();
    try {
      await this.checkRoute();
      await this.transport.prepare?.();
      // Alive before registered: with READINESS=live the registration can then make the template READY at once.
      const steps = [...this.steps.values()].map((s) => ({ orchName: s.orchName, stepName: s.name }));
      this.presence = new Presence(this.control, this.options.service, steps, this.logger, this.options.presenceMs ?? 5000);
      await this.presence.start();
      await this.register();
      await this.transport.start((d) => this.receive(d), this.slots);
    } catch (error) {
      await this.undoStart();
      throw error;
    }
    if (this.options.handleSignals ?? true) {
      process.once('SIGTERM', this.onSignal);
      process.once('SIGINT', this.onSignal);
    }
    this.logger.info({ service: this.options.service, steps: [...this.steps.keys()] }, 'worker started');
  }

  /**
   * Takes no new commands, waits for running handlers to reply, then disconnects. During start(),
   * it waits for the start to end first: a transport started after the drain would poll for ever.
   */
  stop(): Promise<void> {
    this.stopping ??= (this.starting ?? Promise.resolve()).catch(() => undefined).then(() => this.drain());
    return this.stopping;
  }

  /** Handlers running now. */
  get inFlight(): number {
    return this.slots.inUse;
  }

  private async drain(): Promise<void> {
    process.off('SIGTERM', this.onSignal);
    process.off('SIGINT', this.onSignal);
    if (!this.transport) return;
    // The goodbye goes beside the pause, not before it: a slow Baton would otherwise keep the poll
    // leasing commands while it eats the grace period.
    const goodbye = this.presence?.stop();
    await this.transport.pause();
    const limit = this.options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS;
    const idle = await within(this.slots.whenIdle(), limit);
    if (!idle) {
      this.logger.warn({ service: this.options.service, running: this.slots.inUse },
        `stopping with ${this.slots.inUse} handler(s) still running after ${limit} ms: their commands are not acknowledged and go to another instance`);
    }
    await goodbye;
    this.disconnected = true;
    await this.transport.close();
    if (idle) await this.store.close?.();
    else void this.closeStoreWhenIdle();
    this.expiredDrops.flush();
    this.logger.info({ service: this.options.service }, 'worker stopped');
  }

  /**
   * The handlers stop() gave up on may still record their results, and with a shared store that
   * is what lets the instance their commands go to replay a result instead of running the step
   * again: the store closes once they end (PostgresResultStore's own pool does not hold the
   * process meanwhile), not under them.
   */
  private async closeStoreWhenIdle(): Promise<void> {
    await this.slots.whenIdle();
    await this.store.close?.()
      .catch((e: unknown) => this.logger.warn({ service: this.options.service }, `closing the result store failed: ${errorText(e)}`));
  }

  /** A failed start leaves nothing behind: no presence telling Baton this instance is alive, no connection. */
  private async undoStart(): Promise<void> {
    await this.presence?.stop();
    await this.transport?.close()
      .catch((e: unknown) => this.logger.warn({ service: this.options.service }, `closing the transport after a failed start failed: ${errorText(e)}`));
    this.presence = undefined;
    this.transport = undefined;
  }

  /**
   * Before a broker transport declares anything: one on another broker, exchange or reply topic
   * than Baton's would wait for commands that go elsewhere, or reply where nobody reads, and
   * leave a queue declared on the wrong exchange, which the right settings could not declare again.
   */
  private async checkRoute(): Promise<void> {
    const expected = this.transport?.route;
    if (!expected || !this.control.brokerRoute) return;
    const problems = routeProblems(expected, await this.control.brokerRoute());
    if (problems.length) throw new WorkerRouteError(problems);
  }

  private async register(): Promise<void> {
    const byTemplate = new Map<string, Array<{ name: string; objectType: string }>>();
    for (const s of this.steps.values()) {
      byTemplate.set(s.orchName, [...(byTemplate.get(s.orchName) ?? []), { name: s.name, objectType: s.def.objectType }]);
    }
    for (const [orchName, steps] of byTemplate) {
      const answer = await this.control.register({ orchName, as: 'worker', service: this.options.service, steps, ...this.transport?.registration });
      warnOfRegistration(this.logger, this.options.service, orchName, answer);
    }
  }

  private createTransport(): Transport {
    const choice = this.options.transport ?? 'http';
    if (typeof choice === 'object' && 'start' in choice) return choice;
    return createTransport(choice, this.options.service, this.client, this.logger);
  }

  private receive(delivery: Delivery): void {
    void this.slots.acquire().then(() => this.handle(delivery));
  }

  private handle(delivery: Delivery): void {
    const c = delivery.command;
    this.byIdempotencyKey.run(c.idempotencyKey, (releaseKey) => handleDelivery(delivery, {
      handlerFor: (command) => this.handlerFor(command), store: this.store, logger: this.logger,
      autoHeartbeatMs: this.options.autoHeartbeatMs ?? 0, handlerTimeoutMs: this.options.handlerTimeoutMs ?? 0,
      maxReplyBytes: this.options.maxReplyBytes ?? this.transport?.maxReplyBytes,
      expiredDrops: this.expiredDrops, storeFailures: this.storeFailures, stopped: () => this.disconnected, releaseKey,
    }).catch((error: unknown) => {
      // Only giving the command back can fail here; unacknowledged, it comes again.
      this.logger.error({ flowId: c.flowId, step: c.stepName, correlationId: c.correlationId }, `giving the command back failed: ${errorText(error)}`);
    }).finally(() => this.slots.release()));
  }

  private handlerFor(c: WireCommand): StepFn | undefined {
    const s = this.steps.get(`${c.orchName}/${c.stepName}`);
    if (!s) return undefined;
    return (c.action === 'DO' ? s.def.do : s.def.undo ?? (() => undefined)) as StepFn;
  }
}

const DRAIN_TIMEOUT_MS = 25_000;

/** Whether `done` settles within `ms` (0: waits as long as it takes). */
async function within(done: Promise<void>, ms: number): Promise<boolean> {
  if (ms <= 0) return done.then(() => true);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([done.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Creates a worker for one service. See {@link WorkerOptions}. */
export function createWorker(options: WorkerOptions): Worker {
  return new Worker(options);
}
