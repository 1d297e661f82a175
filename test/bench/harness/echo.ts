import { createWorker, type Delivery as SdkDelivery, type Slots, type Transport, type Worker, type WorkerLogger } from '@baton/worker';
import type { MessageConsumer } from '../../../src/messaging/message-consumer';
import type { MessagePublisher } from '../../../src/messaging/message-publisher';
import { MessagingTransport } from '../../../src/workers/messaging-transport';
import type { ReceivedCommand, StepList } from '../../helpers/received-command';

/** One delivery of a command, in the order the worker got them (kept only when tracking). */
export interface Delivery {
  flowId: string;
  stepName: string;
  action: 'DO' | 'UNDO';
  attempt: number;
  commandId: string;
  /** 1 for the first delivery of this commandId, 2+ for a redelivery of the same command. */
  delivery: number;
  outcome: 'SUCCESS' | 'FAILED' | 'SILENT' | 'EXPIRED';
  at: number;
}

export interface EchoStats {
  service: string;
  /** Deliveries of commands (a redelivered command counts each time). */
  received: number;
  replied: number;
  /** Deliveries of a commandId this worker had already handled: the at-least-once duplicates. */
  redeliveries: number;
  distinctCommands: number;
  deliveries?: Delivery[];
}

/** The templates and steps the echo worker serves (the SDK takes commands only for declared steps). */
export interface EchoFlow {
  orchName: string;
  steps: string[];
}

export interface EchoOptions {
  service: string;
  commandTopic: string;
  replyTopic: string;
  flows: EchoFlow[];
  /** Record every delivery (the crash test); off for the benchmark, which only counts. */
  track: boolean;
}

const has = (list: StepList, step: string) => (Array.isArray(list) ? list.includes(step) : list === step);

/** Echo handlers are instant: the slots bound replies awaiting their broker's confirmation. */
const CONCURRENCY = 256;

// The benchmark's logs are its figures: the SDK's lines about steps failing on purpose are noise.
const errorsOnly: WorkerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: (fields, message) => process.stderr.write(`${JSON.stringify({ ...fields, msg: message })}\n`),
};

/**
 * The benchmark's and crash test's worker, written on the worker SDK (@baton/worker) over the
 * engine's own messaging driver, so the SDK is on the benchmark's hot path. The run payload steers
 * it like test/helpers/test-worker.ts: `failAt` and `failUndoAt` name steps whose DO or UNDO
 * throws, `silentAt` steps it never answers, `silentFirstAt` steps whose first attempt it swallows
 * (a lost message: the engine must time it out and retry). A swallowed command is dropped before
 * the SDK sees it, as a lost message would be. The SDK deduplicates by idempotency key: a
 * redelivered command gets its recorded reply without running the handler again.
 */
export class EchoWorker {
  private received = 0;
  private replied = 0;
  private redeliveries = 0;
  private readonly seen = new Map<string, number>();
  private deliveries: Delivery[] = [];
  private readonly worker: Worker;

  constructor(consumer: MessageConsumer, publisher: MessagePublisher, readonly options: EchoOptions) {
    const transport = new MessagingTransport(consumer, publisher, options);
    this.worker = createWorker({
      service: options.service, transport: this.observed(transport), concurrency: CONCURRENCY,
      handleSignals: false, logger: errorsOnly,
      // The harness registers the benchmark's workers over REST once the engine is up
      // (deployment.ts), and nothing in the benchmark gates on presence (READINESS=registered).
      control: { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined },
    });
    for (const flow of options.flows) {
      for (const step of flow.steps) {
        this.worker.step<ReceivedCommand['payload']>(flow.orchName, step, {
          objectType: 'String',
          do: (cmd) => this.echo(cmd.step, 'DO', has(cmd.payload?.failAt, cmd.step)),
          undo: (cmd) => this.echo(cmd.step, 'UNDO', has(cmd.payload?.failUndoAt, cmd.step)),
        });
      }
    }
  }

  start(): Promise<void> {
    return this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  stats(): EchoStats {
    return {
      service: this.options.service, received: this.received, replied: this.replied, redeliveries: this.redeliveries,
      distinctCommands: this.seen.size, ...(this.options.track ? { deliveries: this.deliveries } : {}),
    };
  }

  reset(): void {
    this.received = this.replied = this.redeliveries = 0;
    this.seen.clear();
    this.deliveries = [];
  }

  private echo(step: string, action: 'DO' | 'UNDO', fail: boolean): unknown {
    if (fail) throw new Error(`${step} ${action} failed on purpose`);
    return { by: this.options.service, step };
  }

  /** Counts and records every delivery, swallows the silent ones, and counts confirmed replies. */
  private observed(inner: Transport): Transport {
    return {
      registration: inner.registration,
      start: (receive: (d: SdkDelivery) => void, slots: Slots) => inner.start((d) => {
        if (this.observe(d.command as unknown as ReceivedCommand) === 'SILENT') void d.drop();
        else receive({ ...d, settle: (reply) => d.settle(reply).then(() => void this.replied++) });
      }, slots),
      pause: () => inner.pause(),
      close: () => inner.close(),
    };
  }

  private observe(c: ReceivedCommand): Delivery['outcome'] {
    this.received++;
    const silent = has(c.payload?.silentAt, c.stepName) || (c.attempt === 1 && has(c.payload?.silentFirstAt, c.stepName));
    const fail = c.action === 'DO' ? has(c.payload?.failAt, c.stepName) : has(c.payload?.failUndoAt, c.stepName);
    const outcome = silent ? 'SILENT' : Date.parse(c.deadline) <= Date.now() ? 'EXPIRED' : fail ? 'FAILED' : 'SUCCESS';
    if (!this.options.track) return outcome;
    const delivery = (this.seen.get(c.commandId) ?? 0) + 1;
    this.seen.set(c.commandId, delivery);
    if (delivery > 1) this.redeliveries++;
    this.deliveries.push({
      flowId: c.flowId, stepName: c.stepName, action: c.action, attempt: c.attempt, commandId: c.commandId, delivery, outcome, at: Date.now(),
    });
    return outcome;
  }
}

/** ECHO_FLOWS: how a parent tells a forked echo worker (or the memory host) which steps it serves. */
export function echoFlowsEnv(flows: EchoFlow[]): Record<string, string> {
  return { ECHO_FLOWS: JSON.stringify(flows) };
}

export function echoFlowsOf(flows: Array<{ orchName: string; steps: Array<{ name: string }> }>): EchoFlow[] {
  return flows.map((f) => ({ orchName: f.orchName, steps: f.steps.map((s) => s.name) }));
}

export function echoFlowsFromEnv(value = process.env.ECHO_FLOWS): EchoFlow[] {
  const flows = JSON.parse(value ?? '[]') as EchoFlow[];
  if (!Array.isArray(flows) || flows.length === 0) throw new Error('ECHO_FLOWS must list the flows the echo worker serves');
  return flows;
}
