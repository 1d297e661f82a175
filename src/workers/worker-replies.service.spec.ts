import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { type ApplyOutcome, type StepResult, StepResultSink } from '../engine/dispatch/step-result';
import type { StepReply } from '../engine/messages/step-reply.schema';
import { type Heartbeat, StepHeartbeats } from '../engine/step-heartbeats.service';
import type { IncomingMessage } from '../messaging/message';
import { CapturingConsumer } from '../../test/helpers/capturing-consumer';
import { Metrics } from '../metrics/metrics';
import { type CommandAttempt, CommandAttempts, type CommandRef } from './command-attempts';
import { HttpWorkerHub } from './http-worker-hub.service';
import { newLeaseId } from './lease-id';
import { WorkerReplies } from './worker-replies.service';

/** Applies nothing: records each result, and holds it until `release` when gated. */
class RecordingSink extends StepResultSink {
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
class RecordingHeartbeats extends StepHeartbeats {
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

class TableAttempts extends CommandAttempts {
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

const SERVICE = 'shop';
const OWN_TOPIC = `orchestrator.commands.${SERVICE}`;

function command(commandId = randomUUID()) {
  return { flowId: randomUUID(), orchName: 'order', stepName: 'charge', action: 'DO' as const, attempt: 1, commandId };
}

function replyTo(c: ReturnType<typeof command>, status: StepReply['metadata']['status']): StepReply {
  return { flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action, attempt: c.attempt, commandId: c.commandId, metadata: { status } };
}

async function setup(leaseMs = 60_000) {
  const consumer = new CapturingConsumer();
  const attempts = new TableAttempts();
  const hub = new HttpWorkerHub(consumer, Object.assign(new AppConfig(), { WORKER_LEASE_MS: leaseMs }), attempts);
  const sink = new RecordingSink();
  const heartbeats = new RecordingHeartbeats();
  const replies = new WorkerReplies(hub, sink, heartbeats, attempts, new AppConfig());
  /** Delivers a command as the broker would; resolves once Baton acknowledges it. */
  const deliver = async (body: object): Promise<{ acked: Promise<void> }> => {
    await hub.poolFor(SERVICE);
    const message: IncomingMessage = { id: randomUUID(), topic: OWN_TOPIC, headers: {}, body: Buffer.from(JSON.stringify(body)), deliveryAttempt: 1 };
    return { acked: consumer.handler!(message) };
  };
  return { hub, sink, heartbeats, attempts, replies, deliver };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

beforeAll(() => Logger.overrideLogger(false));

describe('WorkerReplies', () => {
  it('refuses a reply without commandId with a 400 naming the field, leased or not', async () => {
    const { replies, deliver, hub, sink } = await setup();
    const c = command();
    await deliver(c);
    const [lease] = await (await hub.poolFor(SERVICE)).take(1, 0);
    const { commandId: _omitted, ...original } = replyTo(c, 'SUCCESS');
    for (const leaseId of [lease.leaseId, randomUUID()]) {
      const error = await refusal(replies.reply(SERVICE, leaseId, original));
      expect(error.code).toBe(ErrorCode.INVALID_REQUEST);
      expect(error.problems).toEqual([{ path: 'commandId', message: expect.any(String) }]);
    }
    const other = await refusal(replies.reply(SERVICE, lease.leaseId, replyTo(command(), 'SUCCESS')));
    expect(other.problems).toEqual([
      { path: 'commandId', message: expect.stringContaining(c.commandId) }, { path: 'flowId', message: expect.stringContaining(c.flowId) },
    ]);
    expect(sink.applied).toEqual([]);
  });

  it('refuses a reply under a lease that names another step, template, action or attempt, each with its path, and keeps the lease', async () => {
    const { replies, deliver, hub, sink } = await setup();
    const c = command();
    await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    const [lease] = await pool.take(1, 0);
    const wrong = { ...replyTo(c, 'SUCCESS'), orchName: 'refund', stepName: 'ship', action: 'UNDO' as const, attempt: 2 };
    const error = await refusal(replies.reply(SERVICE, lease.leaseId, wrong));
    expect([error.code, error.problems.map((p) => p.path).sort()]).toEqual([ErrorCode.INVALID_REQUEST, ['action', 'attempt', 'orchName', 'stepName']]);
    expect(error.problems).toContainEqual({ path: 'stepName', message: "must be the leased command's, charge" });
    const heartbeat = await refusal(replies.reply(SERVICE, lease.leaseId, { ...replyTo(c, 'HEARTBEAT'), stepName: 'ship' }));
    expect(heartbeat.problems).toEqual([{ path: 'stepName', message: "must be the leased command's, charge" }]);
    expect(sink.applied).toEqual([]);
    expect(pool.size.leased).toBe(1);
    // A reply that leaves out the attempt is matched on the rest, as before.
    const { attempt: _left, ...withoutAttempt } = replyTo(c, 'SUCCESS');
    expect(await replies.reply(SERVICE, lease.leaseId, withoutAttempt)).toBe('applied');
  });

  it('checks a reply under an expired or unknown lease id against the command as held here, and keeps it held when it names another step', async () => {
    const { replies, deliver, hub, sink } = await setup();
    const c = command();
    await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    await pool.take(1, 0);
    for (const reply of [{ ...replyTo(c, 'SUCCESS'), stepName: 'ship' }, { ...replyTo(c, 'HEARTBEAT'), attempt: 2 }]) {
      const error = await refusal(replies.reply(SERVICE, newLeaseId(c), reply));
      expect(error.code).toBe(ErrorCode.INVALID_REQUEST);
    }
    expect(sink.applied).toEqual([]);
    expect(pool.size.leased).toBe(1);
  });

  it('settles a command leased again while its reply was being applied', async () => {
    const { replies, deliver, hub, sink, attempts } = await setup(40);
    const c = command();
    // As the database has it while the reply is not yet applied: the expired lease offers the command again.
    attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    const { acked } = await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    const [first] = await pool.take(1, 0);
    let release!: () => void;
    sink.gate = new Promise((r) => (release = r));
    const replied = replies.reply(SERVICE, first.leaseId, replyTo(c, 'SUCCESS'));
    const [second] = await pool.take(1, 1000);
    expect(second.command).toEqual(first.command);
    release();
    expect(await replied).toBe('applied');
    expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
    await acked;
  });

  it('keeps a command held when a reply naming it answered nothing (another template): it arrived here while the reply was applied', async () => {
    const { replies, deliver, hub, sink, attempts } = await setup();
    const c = command();
    attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    const pool = await hub.poolFor(SERVICE);
    let release!: () => void;
    sink.gate = new Promise((r) => (release = r));
    sink.outcome = 'wrong-orch-name';
    const replied = replies.reply(SERVICE, newLeaseId(c), { ...replyTo(c, 'SUCCESS'), orchName: 'refund' });
    await deliver(c);
    release();
    expect(await replied).toBe('wrong-orch-name');
    expect(pool.size.ready).toBe(1);
  });

  it('drops a command leased here once the database finds it past its deadline (or its attempt over): acknowledged unanswered', async () => {
    const { replies, deliver, hub, attempts } = await setup();
    for (const row of [{ inFlight: true, pastDeadline: true }, { inFlight: false, pastDeadline: false }]) {
      const c = command();
      attempts.rows.set(c.commandId, { target: OWN_TOPIC, heartbeatAgeMs: null, ...row });
      const { acked } = await deliver(c);
      const [lease] = await (await hub.poolFor(SERVICE)).take(1, 0);
      await replies.drop(SERVICE, lease.leaseId);
      await acked;
    }
    expect(attempts.asked).toHaveLength(2);
  });

  it('leaves a dropped command under its lease while the database finds it due (the worker\'s clock ahead)', async () => {
    const { replies, deliver, hub, attempts } = await setup();
    const c = command();
    attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    const [lease] = await pool.take(1, 0);
    await replies.drop(SERVICE, lease.leaseId);
    expect(pool.size).toEqual({ ready: 0, leased: 1, polling: 0 });
  });

  it('renews a lease for a heartbeat at once, and once it is recorded again up to the deadline it gave, so the lease\'s expiry does not count it again', async () => {
    const { replies, deliver, hub, heartbeats } = await setup();
    const c = command();
    await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    const [lease] = await pool.take(1, 0);
    const order: string[] = [];
    const renew = pool.renew.bind(pool);
    jest.spyOn(heartbeats, 'record').mockImplementation(async () => { order.push('recorded'); return 4_000; });
    jest.spyOn(pool, 'renew').mockImplementation((id, until) => { order.push(`renewed ${until ?? 'for the lease'}`); return renew(id, until); });
    expect(await replies.reply(SERVICE, lease.leaseId, replyTo(c, 'HEARTBEAT'))).toBe('heartbeat');
    expect(order).toEqual(['renewed for the lease', 'recorded', 'renewed 4000']);
    jest.restoreAllMocks();
    pool.settle(lease.leaseId);
  });

  it('keeps the lease renewed when the heartbeat cannot be written (a database outage), and acknowledges a command whose attempt ended', async () => {
    const { replies, deliver, hub, heartbeats } = await setup();
    const c = command();
    const { acked } = await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    const [lease] = await pool.take(1, 0);
    const renewed = jest.spyOn(pool, 'renew');
    jest.spyOn(heartbeats, 'record').mockRejectedValueOnce(new Error('connection refused'));
    await expect(replies.reply(SERVICE, lease.leaseId, replyTo(c, 'HEARTBEAT'))).rejects.toThrow('connection refused');
    expect(renewed).toHaveBeenCalledWith(lease.leaseId);
    heartbeats.ended.add(c.commandId);
    expect(await replies.reply(SERVICE, lease.leaseId, replyTo(c, 'HEARTBEAT'))).toBe('not-in-flight');
    await acked;
    expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
    jest.restoreAllMocks();
  });

  describe('on an instance that did not lease the command', () => {
    it('applies a final reply to a command of the service, and settles the command if it is held here after all', async () => {
      const { replies, attempts, sink, deliver } = await setup();
      const c = command();
      attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
      expect(await replies.reply(SERVICE, randomUUID(), replyTo(c, 'SUCCESS'))).toBe('applied');
      expect(sink.applied).toEqual([expect.objectContaining({ flowId: c.flowId, commandId: c.commandId, status: 'SUCCESS' })]);
      expect(attempts.asked).toEqual([expect.objectContaining({ commandId: c.commandId, attempt: 1 })]);

      const waiting = command();
      const { acked } = await deliver(waiting);
      expect(await replies.reply(SERVICE, randomUUID(), replyTo(waiting, 'FAILED'))).toBe('applied');
      await acked;
    });

    it('records a heartbeat for a command of the service and answers it', async () => {
      const { replies, attempts, heartbeats } = await setup();
      const c = command();
      attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
      expect(await replies.reply(SERVICE, randomUUID(), replyTo(c, 'HEARTBEAT'))).toBe('heartbeat');
      expect(heartbeats.recorded).toEqual([expect.objectContaining({ flowId: c.flowId, commandId: c.commandId })]);
    });

    it('answers not-in-flight to a heartbeat whose attempt has ended, so its worker can tell', async () => {
      const { replies, attempts, heartbeats } = await setup();
      const c = command();
      attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: false, pastDeadline: false, heartbeatAgeMs: null });
      heartbeats.ended.add(c.commandId);
      expect(await replies.reply(SERVICE, randomUUID(), replyTo(c, 'HEARTBEAT'))).toBe('not-in-flight');
    });

    it("refuses a reply or heartbeat to another service's command as one to no command (404): its existence is not told", async () => {
      const { replies, attempts, sink, heartbeats } = await setup();
      const theirs = command();
      attempts.rows.set(theirs.commandId, { target: 'orchestrator.commands.billing', inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
      for (const status of ['SUCCESS', 'HEARTBEAT'] as const) {
        const other = await refusal(replies.reply(SERVICE, randomUUID(), replyTo(theirs, status)));
        const none = await refusal(replies.reply(SERVICE, randomUUID(), replyTo(command(), status)));
        expect([other.code, none.code]).toEqual([ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND]);
        expect(other.message).toBe(`No command ${theirs.commandId} of step ${theirs.stepName} (${theirs.action}) of run ${theirs.flowId}`);
      }
      expect(sink.applied).toEqual([]);
      expect(heartbeats.recorded).toEqual([]);
    });

    it("accepts the drop of a command of the service that its lease id names, and refuses another service's as no command (404)", async () => {
      const { replies, attempts } = await setup();
      const [ours, theirs] = [command(), command()];
      attempts.rows.set(ours.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: true, heartbeatAgeMs: null });
      attempts.rows.set(theirs.commandId, { target: 'orchestrator.commands.billing', inFlight: true, pastDeadline: true, heartbeatAgeMs: null });
      await replies.drop(SERVICE, newLeaseId(ours));
      expect(attempts.asked).toEqual([{ flowId: ours.flowId, commandId: ours.commandId }]);
      expect((await refusal(replies.drop(SERVICE, newLeaseId(theirs)))).code).toBe(ErrorCode.NOT_FOUND);
      expect((await refusal(replies.drop(SERVICE, newLeaseId(command())))).code).toBe(ErrorCode.NOT_FOUND);
    });

    it('answers 404 to the drop of a lease whose id names no command, without asking the database', async () => {
      const { replies, attempts } = await setup();
      expect((await refusal(replies.drop(SERVICE, newLeaseId(undefined)))).code).toBe(ErrorCode.NOT_FOUND);
      expect(attempts.asked).toEqual([]);
    });
  });
});
