import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createWorker, type StepCommand, type Worker } from '@baton/worker';
import { AppConfig } from '../config/app-config';
import { MessageConsumer } from '../messaging/message-consumer';
import { MessagePublisher } from '../messaging/message-publisher';
import { InProcessControl } from './in-process-control';
import { MessagingTransport } from './messaging-transport';
import { nestWorkerLogger } from './nest-worker-logger';
import { WorkerPresence } from './worker-presence.service';

export const DEMO_WORKER_SERVICE = 'demo-worker';

const TEMPLATE = 'demoOrder';
const STEPS = ['reserveStock', 'chargePayment', 'shipOrder'];

type DemoPayload = { failAt?: string; failUndoAt?: string } | null;

/**
 * A worker for the demo definition that runs inside Baton (on by default only on the embedded
 * default), written on the worker SDK like any external worker: it registers over the
 * registration topic, consumes its command topic on the engine's own broker and replies on the
 * reply topic. `failAt` / `failUndoAt` in the run payload name a step whose DO / UNDO fails.
 */
@Injectable()
export class DemoWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DemoWorker.name);
  private worker?: Worker;

  constructor(
    private readonly config: AppConfig,
    private readonly consumer: MessageConsumer,
    private readonly publisher: MessagePublisher,
    private readonly presence: WorkerPresence,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoWorkerEnabled) return;
    const service = DEMO_WORKER_SERVICE;
    const commandTopic = `${this.config.COMMAND_TOPIC_PREFIX}${service}`;
    const worker = createWorker({
      service, handleSignals: false, logger: nestWorkerLogger(this.logger),
      transport: new MessagingTransport(this.consumer, this.publisher, { service, commandTopic, replyTopic: this.config.TOPIC_REPLY }),
      control: new InProcessControl(service, this.publisher, this.config.TOPIC_REGISTRATION, this.presence),
    });
    for (const step of STEPS) {
      worker.step<DemoPayload>(TEMPLATE, step, { objectType: 'Order', do: (cmd) => act(cmd, cmd.payload?.failAt), undo: (cmd) => act(cmd, cmd.payload?.failUndoAt) });
    }
    await worker.start();
    this.worker = worker;
    this.logger.log({ topic: commandTopic }, 'demo worker listening');
  }

  // Before the database closes: stopping says goodbye to the presence table.
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
  }
}

function act(cmd: StepCommand<DemoPayload>, failAt: string | undefined): unknown {
  if (failAt === cmd.step) throw new Error(`demo failure requested at ${cmd.step}`);
  return { handledBy: DEMO_WORKER_SERVICE, step: cmd.step, action: cmd.action, at: new Date().toISOString() };
}
