import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import type { IncomingMessage } from '../../messaging/message';
import { MessageConsumer } from '../../messaging/message-consumer';
import { MessagePublisher } from '../../messaging/message-publisher';
import { messagingAttributes, stepAttributes } from '../../tracing/span-attributes';
import { SpanKind, tracing } from '../../tracing/tracing';

export const DEMO_WORKER_SERVICE = 'demo-worker';

const REGISTRATION = `orchName: demoOrder
as: worker
steps:
  - {name: reserveStock, objectType: Order}
  - {name: chargePayment, objectType: Order}
  - {name: shipOrder, objectType: Order}
`;

interface Command {
  flowId: string; orchName: string; stepName: string; action: 'DO' | 'UNDO'; attempt: number; commandId: string;
  payload: { failAt?: string; failUndoAt?: string } | null;
}

/**
 * A worker for the demo definition that runs inside Baton (on by default only on the embedded
 * default). It behaves like any external worker: it registers over the registration topic,
 * consumes commands from its own topic and replies on the reply topic, in the original format.
 */
@Injectable()
export class DemoWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoWorker.name);

  constructor(
    private readonly config: AppConfig,
    private readonly consumer: MessageConsumer,
    private readonly publisher: MessagePublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoWorkerEnabled) return;
    const topic = `${this.config.COMMAND_TOPIC_PREFIX}${DEMO_WORKER_SERVICE}`;
    await this.consumer.subscribe({ topic, group: DEMO_WORKER_SERVICE, handler: (m) => this.handle(m) });
    await this.publisher.publish([{
      topic: this.config.TOPIC_REGISTRATION, key: 'demoOrder', body: Buffer.from(REGISTRATION),
      headers: { 'content-type': 'application/yaml', 'x-service-name': DEMO_WORKER_SERVICE },
    }]);
    this.logger.log(`demo worker listening on ${topic}`);
  }

  /** Like an SDK worker, it continues the command's trace in its own span, and the reply carries that span back. */
  private handle(message: IncomingMessage): Promise<void> {
    const c = JSON.parse(message.body.toString('utf8')) as Command;
    return tracing.span(`process ${c.action}`, {
      kind: SpanKind.CONSUMER, parent: tracing.extract(message.headers),
      attributes: { ...stepAttributes(c), ...messagingAttributes(this.config.MESSAGING_DRIVER, 'process', message.topic, message.id) },
    }, () => this.reply(c, message));
  }

  private async reply(c: Command, message: IncomingMessage): Promise<void> {
    const failAt = c.action === 'DO' ? c.payload?.failAt : c.payload?.failUndoAt;
    const failed = failAt === c.stepName;
    const reply = {
      flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action,
      commandId: c.commandId, attempt: c.attempt,
      metadata: { status: failed ? 'FAILED' : 'SUCCESS', error: failed ? `demo failure requested at ${c.stepName}` : null },
      output: failed ? undefined : { handledBy: DEMO_WORKER_SERVICE, step: c.stepName, action: c.action, at: new Date().toISOString() },
    };
    await this.publisher.publish([{
      topic: this.config.TOPIC_REPLY, key: c.flowId, body: Buffer.from(JSON.stringify(reply)),
      headers: tracing.inject({ 'content-type': 'application/json', 'x-correlation-id': message.headers['x-correlation-id'] ?? '' }),
    }]);
  }
}
