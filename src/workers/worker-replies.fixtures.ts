/** What the WorkerReplies specs share: a hub on a capturing consumer, and recording stand-ins for the engine. */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { type ApplyOutcome, type StepResult, StepResultSink } from '../engine/dispatch/step-result';
import type { StepReply } from '../engine/messages/step-reply.schema';
import { type HandlersConfig, loadHandlersConfig } from '../handlers/handlers-config';
import { type Heartbeat, StepHeartbeats } from '../engine/step-heartbeats.service';
import type { IncomingMessage } from '../messaging/message';
import { CapturingConsumer } from '../../test/helpers/capturing-consumer';
import { Metrics } from '../metrics/metrics';
import { type CommandAttempt, CommandAttempts, type CommandRef } from './command-attempts';
import { HttpWorkerHub } from './http-worker-hub.service';
import { WorkerReplies } from './worker-replies.service';

/** Applies nothing: records each result, and holds it until `release` when gated. */
export class RecordingSink extends StepResultSink {
  readonly applied: StepResult[] = [];
  gate?: Promise<void>;
  outcome: ApplyOutcome = 'applied';

  async apply(result: StepResult): Promise<ApplyOutcome> {
    this.applied.push(result);
    await this.gate;
    return this.outcome;
  }
}

/** Records heartbeats instead of writing them; its DataSource is never connected. */
export class RecordingHeartbeats extends StepHeartbeats {
  readonly recorded: Heartbeat[] = [];

  constructor() {
    super(new DataSource({ type: 'postgres' }), new AppConfig(), new Metrics());
  }

  /** Attempts that ended: their heartbeats change nothing. */
  readonly ended = new Set<string>();

  /** How long a heartbeat leaves its attempt until the deadline. */
  untilDeadlineMs = 30_000;

  override async record(h: Heartbeat): Promise<number | null> {
    this.recorded.push(h);
    return this.ended.has(h.commandId ?? '') ? null : this.untilDeadlineMs;
  }
}

export class TableAttempts extends CommandAttempts {
  readonly rows = new Map<string, CommandAttempt>();
  readonly asked: CommandRef[] = [];

  async attemptOfCommand(ref: CommandRef): Promise<CommandAttempt | undefined> {
    this.asked.push(ref);
    return this.rows.get(ref.commandId);
  }

  async answeredAmong(commands: Array<{ flowId: string; commandId: string }>): Promise<Set<string>> {
    return new Set(commands.filter((c) => this.rows.get(c.commandId)?.inFlight === false).map((c) => c.commandId));
  }
}

export const SERVICE = 'shop';
export const OWN_TOPIC = `orchestrator.commands.${SERVICE}`;

export function command(commandId = randomUUID()) {
  return { flowId: randomUUID(), orchName: 'order', stepName: 'charge', action: 'DO' as const, attempt: 1, commandId };
}

export function replyTo(c: ReturnType<typeof command>, status: StepReply['metadata']['status']): StepReply {
  return { flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action, attempt: c.attempt, commandId: c.commandId, metadata: { status } };
}

export async function setup(leaseMs = 60_000, handlers: HandlersConfig = loadHandlersConfig({})) {
  const consumer = new CapturingConsumer();
  const attempts = new TableAttempts();
  const hub = new HttpWorkerHub(consumer, Object.assign(new AppConfig(), { WORKER_LEASE_MS: leaseMs }), attempts);
  const sink = new RecordingSink();
  const heartbeats = new RecordingHeartbeats();
  const replies = new WorkerReplies(hub, sink, heartbeats, attempts, new AppConfig(), handlers);
  /** Delivers a command as the broker would; resolves once Baton acknowledges it. */
  const deliver = async (body: object): Promise<{ acked: Promise<void> }> => {
    await hub.poolFor(SERVICE);
    const message: IncomingMessage = { id: randomUUID(), topic: OWN_TOPIC, headers: {}, body: Buffer.from(JSON.stringify(body)), deliveryAttempt: 1 };
    return { acked: consumer.handler!(message) };
  };
  return { hub, sink, heartbeats, attempts, replies, deliver };
}

export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}
