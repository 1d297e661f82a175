import { Logger, type LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DependencyUnavailableError } from '../common/errors/infrastructure-error';
import { AppConfig } from '../config/app-config';
import { deliverInPlace } from '../messaging/delivery/deliver-in-place';
import type { IncomingMessage, OutgoingMessage } from '../messaging/message';
import { CapturingConsumer } from '../../test/helpers/capturing-consumer';
import type { Subscription } from '../messaging/message-consumer';
import { Metrics } from '../metrics/metrics';
import { type CommandAttempt, CommandAttempts, type CommandRef } from './command-attempts';
import { HttpWorkerHub } from './http-worker-hub.service';
import { commandOfLease } from './lease-id';

/** Answers the expiry check as told, and remembers what it was asked. */
class ScriptedAttempts extends CommandAttempts {
  readonly asked: CommandRef[] = [];

  constructor(private readonly answer: () => Promise<CommandAttempt | undefined>) {
    super();
  }

  attemptOfCommand(ref: CommandRef): Promise<CommandAttempt | undefined> {
    this.asked.push(ref);
    return this.answer();
  }

  async answeredAmong(commands: Array<{ flowId: string; commandId: string }>): Promise<Set<string>> {
    const answered = new Set<string>();
    for (const c of commands) {
      this.asked.push(c);
      const found = await this.answer();
      if (found && !found.inFlight) answered.add(c.commandId);
    }
    return answered;
  }
}

const warnings: string[] = [];
const capturingLogger: LoggerService = {
  log: () => undefined, error: () => undefined, debug: () => undefined, verbose: () => undefined,
  warn: (message: unknown, ...rest: unknown[]) => warnings.push([message, ...rest].map((m) => JSON.stringify(m)).join(' ')),
};

function config(leaseMs: number): AppConfig {
  return Object.assign(new AppConfig(), { WORKER_LEASE_MS: leaseMs });
}

function commandMessage(body: object): IncomingMessage {
  return { id: randomUUID(), position: 'p', topic: 'orchestrator.commands.svc', key: 'k', headers: {}, body: Buffer.from(JSON.stringify(body)), deliveryAttempt: 1 };
}

async function hubWith(attempts: CommandAttempts, leaseMs = 60_000) {
  const consumer = new CapturingConsumer();
  const hub = new HttpWorkerHub(consumer, config(leaseMs), attempts);
  const pool = await hub.poolFor('svc');
  return { hub, pool, handler: consumer.handler! };
}

beforeAll(() => Logger.overrideLogger(capturingLogger));
afterAll(() => Logger.overrideLogger(false));

describe('HttpWorkerHub at shutdown', () => {
  it('returns a held command to the broker without counting a failed delivery, however often Baton restarts', async () => {
    const deadLetters: OutgoingMessage[] = [];
    const command = commandMessage({ commandId: randomUUID() });
    for (let restart = 1; restart <= 3; restart++) {
      const { hub, handler } = await hubWith(new ScriptedAttempts(async () => undefined));
      let stopping = false;
      const delivered = deliverInPlace(command, handler, {
        maxDeliveries: 2, metrics: new Metrics(), logger: new Logger('test'), stopping: () => stopping,
        deadLetter: async (letter) => { deadLetters.push(letter); },
      });
      await sleep(20);
      // Nest destroys modules before the consumers stop (beforeApplicationShutdown).
      hub.onModuleDestroy();
      await sleep(50);
      stopping = true;
      expect(await delivered).toEqual({ acked: false, nextAttempt: 1 });
    }
    expect(deadLetters).toEqual([]);
  });

  it('refuses polls once stopping as an outage (503, retry elsewhere or later), for a served service and a new one', async () => {
    const { hub } = await hubWith(new ScriptedAttempts(async () => undefined));
    hub.onModuleDestroy();
    for (const service of ['svc', 'other']) {
      await expect(hub.poolFor(service)).rejects.toMatchObject({ name: 'DependencyUnavailableError', message: expect.stringContaining('shutting down') });
    }
  });
});

describe('HttpWorkerHub while a command is leased', () => {
  const attempt = { flowId: randomUUID(), stepName: 'charge', action: 'DO' as const, attempt: 1 };
  const answered = (inFlight: boolean) => async () => ({ target: 'orchestrator.commands.svc', inFlight, pastDeadline: false, heartbeatAgeMs: null });

  it('acknowledges a command answered through another instance a second into its lease, not at its end (which holds the step\'s undo back)', async () => {
    const attempts = new ScriptedAttempts(answered(false));
    const { hub, pool, handler } = await hubWith(attempts);
    const commandId = randomUUID();
    const acked = handler(commandMessage({ ...attempt, commandId }));
    await pool.take(1, 0);
    await hub.settleAnsweredElsewhere(Date.now() + 500);
    expect([attempts.asked, pool.size.leased]).toEqual([[], 1]);
    await hub.settleAnsweredElsewhere(Date.now() + 1_000);
    await acked;
    expect(attempts.asked).toEqual([{ flowId: attempt.flowId, commandId }]);
    expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
  });

  it('looks a command still in flight up again after 2, then 4 s, not every second', async () => {
    const attempts = new ScriptedAttempts(answered(true));
    const { hub, pool, handler } = await hubWith(attempts);
    void handler(commandMessage({ ...attempt, commandId: randomUUID() }));
    const [lease] = await pool.take(1, 0);
    const t0 = Date.now();
    for (const at of [1_000, 2_000, 2_900, 3_000, 5_000, 6_900, 7_000]) await hub.settleAnsweredElsewhere(t0 + at);
    expect(attempts.asked).toHaveLength(3); // at 1, 3 and 7 s
    pool.settle(lease.leaseId);
  });

  it('keeps a command whose attempt is still in flight leased, and one it cannot look up', async () => {
    for (const answer of [answered(true), () => Promise.reject(new Error('connection refused'))]) {
      const { hub, pool, handler } = await hubWith(new ScriptedAttempts(answer));
      void handler(commandMessage({ ...attempt, commandId: randomUUID() }));
      const [lease] = await pool.take(1, 0);
      await hub.settleAnsweredElsewhere(Date.now() + 1_000);
      expect(pool.size.leased).toBe(1);
      pool.settle(lease.leaseId);
    }
  });
});

describe('HttpWorkerHub when a lease expires', () => {
  const LEASE_MS = 40;
  const attempt = { flowId: randomUUID(), stepName: 'charge', action: 'DO' as const, attempt: 2 };

  beforeEach(() => {
    warnings.length = 0;
  });

  it('acknowledges the command when its attempt was answered through another instance', async () => {
    const attempts = new ScriptedAttempts(async () => ({ target: 'orchestrator.commands.svc', inFlight: false, pastDeadline: false, heartbeatAgeMs: null }));
    const { pool, handler } = await hubWith(attempts, LEASE_MS);
    const commandId = randomUUID();
    const acked = handler(commandMessage({ ...attempt, commandId, payload: {} }));
    const [lease] = await pool.take(1, 0);
    expect(commandOfLease(lease.leaseId)).toEqual({ flowId: attempt.flowId, commandId }); // for a drop that reaches another instance
    await acked; // the broker's handler resolves: the command is acknowledged
    expect(attempts.asked).toEqual([{ ...attempt, commandId }]);
    expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
  });

  it('acknowledges the command when its attempt waits past its deadline, as no poller would run it', async () => {
    const attempts = new ScriptedAttempts(async () => ({ target: 'orchestrator.commands.svc', inFlight: true, pastDeadline: true, heartbeatAgeMs: null }));
    const { pool, handler } = await hubWith(attempts, LEASE_MS);
    const acked = handler(commandMessage({ ...attempt, commandId: randomUUID() }));
    await pool.take(1, 0);
    await acked;
    expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
  });

  it('keeps the command leased while heartbeats reach another instance', async () => {
    const attempts = new ScriptedAttempts(async () => ({ target: 'orchestrator.commands.svc', inFlight: true, pastDeadline: false, heartbeatAgeMs: 0 }));
    const { pool, handler } = await hubWith(attempts, LEASE_MS);
    void handler(commandMessage({ ...attempt, commandId: randomUUID() }));
    const [lease] = await pool.take(1, 0);
    await sleep(LEASE_MS * 3);
    expect(attempts.asked.length).toBeGreaterThanOrEqual(2);
    expect(await pool.take(1, 0)).toEqual([]);
    pool.settle(lease.leaseId);
  });

  it('offers the command again, with a warning, when the database cannot be read', async () => {
    const attempts = new ScriptedAttempts(() => Promise.reject(new Error('connection refused')));
    const { pool, handler } = await hubWith(attempts, LEASE_MS);
    const commandId = randomUUID();
    void handler(commandMessage({ ...attempt, commandId }));
    const [first] = await pool.take(1, 0);
    const [again] = await pool.take(1, LEASE_MS * 5);
    expect(again.command).toEqual(first.command);
    expect(warnings).toEqual([expect.stringContaining('connection refused')]);
    pool.settle(again.leaseId);
  });

  it('offers a command that names no attempt again without asking', async () => {
    const attempts = new ScriptedAttempts(async () => undefined);
    const { pool, handler } = await hubWith(attempts, LEASE_MS);
    void handler(commandMessage({ commandId: randomUUID() }));
    await pool.take(1, 0);
    const [again] = await pool.take(1, LEASE_MS * 5);
    expect(again).toBeDefined();
    expect(attempts.asked).toEqual([]);
    pool.settle(again.leaseId);
  });
});

describe('HttpWorkerHub when its pollers stop reaching it', () => {
  const idleMs = new AppConfig().WORKER_POLL_IDLE_MS;

  it('stops consuming after WORKER_POLL_IDLE_MS, giving back what it held as an outage; a later poll serves the service again', async () => {
    const consumer = new CapturingConsumer();
    const unsubscribe = jest.spyOn(consumer, 'unsubscribe');
    const hub = new HttpWorkerHub(consumer, config(60_000), new ScriptedAttempts(async () => undefined));
    const pool = await hub.poolFor('svc');
    const held = consumer.handler!(commandMessage({ commandId: randomUUID() })).then(() => 'acknowledged', (e: unknown) => e);

    await hub.releaseIdle(Date.now() + idleMs - 1000);
    expect(unsubscribe).not.toHaveBeenCalled();
    await hub.releaseIdle(Date.now() + idleMs + 1000);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(await held).toBeInstanceOf(DependencyUnavailableError);
    expect(pool.isClosed).toBe(true);

    const again = await hub.poolFor('svc');
    expect(again).not.toBe(pool);
    expect(consumer.handler).toEqual(expect.any(Function));
    hub.onModuleDestroy();
  });

  it('keeps serving while a command is leased from it, or a poll waits', async () => {
    const consumer = new CapturingConsumer();
    const unsubscribe = jest.spyOn(consumer, 'unsubscribe');
    const hub = new HttpWorkerHub(consumer, config(60_000), new ScriptedAttempts(async () => undefined));
    const pool = await hub.poolFor('svc');
    const held = consumer.handler!(commandMessage({ commandId: randomUUID() })).catch((e: unknown) => e);
    await sleep(0);
    expect(await pool.take(1, 0)).toHaveLength(1);
    await hub.releaseIdle(Date.now() + 10 * idleMs);
    const waiting = new AbortController();
    const poll = pool.take(1, 30_000, waiting.signal);
    await hub.releaseIdle(Date.now() + 10 * idleMs);
    expect(unsubscribe).not.toHaveBeenCalled();
    waiting.abort();
    await poll;
    hub.onModuleDestroy();
    // Still leased at the stop: acknowledged, since its worker answers another instance (CommandPool.releaseAll).
    expect(await held).toBeUndefined();
  });

  it('never releases a service whose subscription is still being made, however long that takes', async () => {
    let finish!: () => void;
    const active: Subscription[] = [];
    class SlowConsumer extends CapturingConsumer {
      override subscribe(subscription: Subscription): Promise<void> {
        return new Promise((resolve) => { finish = () => { active.push(subscription); resolve(); }; });
      }
      override async unsubscribe(subscription: Subscription): Promise<void> {
        active.splice(active.indexOf(subscription), 1);
      }
    }
    const hub = new HttpWorkerHub(new SlowConsumer(), config(60_000), new ScriptedAttempts(async () => undefined));
    const polled = hub.poolFor('svc');
    await hub.releaseIdle(Date.now() + 10 * idleMs);
    finish();
    const pool = await polled;
    expect(pool.isClosed).toBe(false);
    expect(active).toHaveLength(1);
    await hub.releaseIdle(Date.now() + idleMs / 2);
    expect(active).toHaveLength(1);
    hub.onModuleDestroy();
  });

  it('subscribes again for a poll that came during a release only once the old consumer stopped', async () => {
    const order: string[] = [];
    let finishStop!: () => void;
    class SlowStop extends CapturingConsumer {
      override async subscribe(subscription: Subscription): Promise<void> {
        order.push('subscribe');
        await super.subscribe(subscription);
      }
      override unsubscribe(): Promise<void> {
        order.push('unsubscribe');
        return new Promise((resolve) => { finishStop = () => { order.push('stopped'); resolve(); }; });
      }
    }
    const hub = new HttpWorkerHub(new SlowStop(), config(60_000), new ScriptedAttempts(async () => undefined));
    await hub.poolFor('svc');
    const released = hub.releaseIdle(Date.now() + 10 * idleMs);
    const polled = hub.poolFor('svc');
    await sleep(10);
    finishStop();
    await released;
    await polled;
    expect(order).toEqual(['subscribe', 'unsubscribe', 'stopped', 'subscribe']);
    hub.onModuleDestroy();
  });
});
