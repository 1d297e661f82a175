import type { IncomingMessage } from '../../../src/messaging/message';
import type { MessageConsumer } from '../../../src/messaging/message-consumer';
import type { MessagePublisher } from '../../../src/messaging/message-publisher';
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
  outcome: 'SUCCESS' | 'FAILED' | 'SILENT';
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

export interface EchoOptions {
  service: string;
  commandTopic: string;
  replyTopic: string;
  /** Record every delivery (the crash test); off for the benchmark, which only counts. */
  track: boolean;
}

const has = (list: StepList, step: string) => (Array.isArray(list) ? list.includes(step) : list === step);

/**
 * A worker as users write them for the original service: consume commands from its topic, "do"
 * the step, reply on the reply topic in the original format (plus commandId, attempt, output).
 * The run payload steers it like test/helpers/test-worker.ts: `failAt` and `failUndoAt` name
 * steps whose DO or UNDO fails, `silentAt` steps it never answers, `silentFirstAt` steps whose
 * first attempt it swallows (a lost message: the engine must time it out and retry). Effects are counted per
 * commandId, which is how a real worker would deduplicate them.
 */
export class EchoWorker {
  private received = 0;
  private replied = 0;
  private redeliveries = 0;
  private readonly seen = new Map<string, number>();
  private deliveries: Delivery[] = [];

  constructor(private readonly consumer: MessageConsumer, private readonly publisher: MessagePublisher, readonly options: EchoOptions) {}

  start(): Promise<void> {
    const { commandTopic, service } = this.options;
    return this.consumer.subscribe({ topic: commandTopic, group: service, handler: (m) => this.handle(m) });
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

  private async handle(message: IncomingMessage): Promise<void> {
    const c = JSON.parse(message.body.toString('utf8')) as ReceivedCommand;
    this.received++;
    let delivery = 1;
    if (this.options.track) {
      delivery = (this.seen.get(c.commandId) ?? 0) + 1;
      this.seen.set(c.commandId, delivery);
      if (delivery > 1) this.redeliveries++;
    }
    const silent = has(c.payload?.silentAt, c.stepName) || (c.attempt === 1 && has(c.payload?.silentFirstAt, c.stepName));
    const fail = c.action === 'DO' ? has(c.payload?.failAt, c.stepName) : has(c.payload?.failUndoAt, c.stepName);
    if (this.options.track) {
      this.deliveries.push({
        flowId: c.flowId, stepName: c.stepName, action: c.action, attempt: c.attempt, commandId: c.commandId, delivery,
        outcome: silent ? 'SILENT' : fail ? 'FAILED' : 'SUCCESS', at: Date.now(),
      });
    }
    if (silent) return;
    const reply = {
      flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action,
      metadata: { status: fail ? 'FAILED' : 'SUCCESS', error: fail ? `${c.stepName} failed on purpose` : null },
      commandId: c.commandId, attempt: c.attempt,
      output: fail ? undefined : { by: this.options.service, step: c.stepName },
    };
    await this.publisher.publish([{
      topic: this.options.replyTopic, key: c.flowId, body: Buffer.from(JSON.stringify(reply)),
      headers: { 'content-type': 'application/json', 'x-correlation-id': c.correlationId ?? message.headers['x-correlation-id'] ?? '' },
    }]);
    this.replied++;
  }
}
