import type { IncomingMessage } from '../../src/messaging/message';
import { MessageConsumer } from '../../src/messaging/message-consumer';
import { MessagePublisher } from '../../src/messaging/message-publisher';
import type { ReceivedCommand, StepList } from './received-command';
import type { TestApp } from './test-app';

const has = (list: StepList, step: string) => (Array.isArray(list) ? list.includes(step) : list === step);

/**
 * A worker service as users write them: it consumes commands from its topic and replies in the
 * original format. The run payload steers it: `failAt` (the first `failAttempts` attempts, or all), `failUndoAt` (the first `failUndoAttempts` attempts, or all), `silentAt` and `silentUndoAt`
 * name steps (silent: no reply, to the first `silentAttempts` attempts or all of them), and `heldAt`
 * steps whose DO it answers once the suite calls `release()`, which keeps a run waiting for as
 * long as a suite needs it in flight. It records every command, so suites can check order and
 * count effects by commandId.
 */
export class TestWorker {
  readonly commands: ReceivedCommand[] = [];
  private gate = TestWorker.closedGate();

  constructor(private readonly t: TestApp, readonly service: string) {}

  get topic(): string {
    return `${this.t.config.COMMAND_TOPIC_PREFIX}${this.service}`;
  }

  async start(): Promise<this> {
    await this.t.get(MessageConsumer).subscribe({ topic: this.topic, group: this.service, handler: (m) => this.handle(m) });
    return this;
  }

  /** Registers this worker for steps of a template over REST. */
  async register(orchName: string, steps: string[]): Promise<void> {
    await this.t.http.post('/api/orchestration/register').set('X-Service-Name', this.service)
      .send({ orchName, as: 'worker', steps: steps.map((name) => ({ name, objectType: 'String' })) }).expect((r) => {
        if (r.status >= 300) throw new Error(`worker registration failed: ${r.status} ${JSON.stringify(r.body)}`);
      });
  }

  /** Answers the commands held so far; later ones wait for the next release. */
  release(): void {
    this.gate.open();
    this.gate = TestWorker.closedGate();
  }

  private static closedGate(): { opened: Promise<void>; open: () => void } {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => { open = resolve; });
    return { opened, open };
  }

  commandsFor(flowId: string): string[] {
    return this.commands.filter((c) => c.flowId === flowId).map((c) => `${c.action}:${c.stepName}`);
  }

  /** Sends a reply as a worker would; exposed so suites can send duplicates and late replies. */
  async reply(c: Pick<ReceivedCommand, 'flowId' | 'orchName' | 'stepName' | 'action'> & Partial<ReceivedCommand>,
    status: 'SUCCESS' | 'FAILED', extra: Record<string, unknown> = {}, keyed = true): Promise<void> {
    const body = {
      flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action,
      metadata: { status, error: status === 'FAILED' ? `${c.stepName} failed on purpose` : null }, ...extra,
    };
    await this.t.get(MessagePublisher).publish([{
      topic: this.t.config.TOPIC_REPLY, key: keyed ? c.flowId : undefined, body: Buffer.from(JSON.stringify(body)), headers: {},
    }]);
  }

  private async handle(m: IncomingMessage): Promise<void> {
    const c = JSON.parse(m.body.toString('utf8')) as ReceivedCommand;
    this.commands.push(c);
    const silent = has(c.action === 'DO' ? c.payload?.silentAt : c.payload?.silentUndoAt, c.stepName);
    if (silent && c.attempt <= (c.payload?.silentAttempts ?? Infinity)) return;
    if (c.action === 'DO' && has(c.payload?.heldAt, c.stepName)) await this.gate.opened;
    const fail = c.action === 'DO' ? has(c.payload?.failAt, c.stepName) && c.attempt <= (c.payload?.failAttempts ?? Infinity)
      : has(c.payload?.failUndoAt, c.stepName) && c.attempt <= (c.payload?.failUndoAttempts ?? Infinity);
    const copies = c.payload?.duplicateReplies ? 2 : 1;
    // Without a key, as the SDK's RabbitMQ transport replies: the driver runs unkeyed messages side by
    // side. Keyed on Kafka, as its workers must: it orders only within a partition, and two unkeyed
    // replies may land on two partitions, with no order between them to keep.
    if (c.action === 'DO' && c.payload?.contradictingReplies) {
      const output = { by: this.service, step: c.stepName };
      const keyed = this.t.config.MESSAGING_DRIVER === 'kafka';
      await this.reply(c, 'SUCCESS', { commandId: c.commandId, attempt: c.attempt, output }, keyed);
      await this.reply(c, 'FAILED', { commandId: c.commandId, attempt: c.attempt }, keyed);
      return;
    }
    for (let i = 0; i < copies; i++) {
      await this.reply(c, fail ? 'FAILED' : 'SUCCESS', {
        commandId: c.commandId, attempt: c.attempt, output: fail ? undefined : { by: this.service, step: c.stepName },
      });
    }
  }
}
