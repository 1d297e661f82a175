import { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config';
import type { ConsumerState, MessageConsumer } from '../messaging/message-consumer';
import { Metrics } from '../metrics/metrics';
import type { RegistrationEvents } from '../registry/registration-events';
import type { TemplateRepository } from '../registry/template.repository';
import { Healer } from './healer.service';
import type { Retention } from './retention.service';
import type { RunRevivals } from './run-revivals.service';
import type { StuckWorkRepository } from './stuck-work.repository';

const NOTHING_PRUNED = { auditRowsPruned: 0, securityAuditRowsPruned: 0, runsPruned: 0, instancesPruned: 0 };

/** A healer over fakes: `overdueRuns` candidates past their deadline (each healed), and a retention that does what `prune` says. */
function healerWith({ overdueRuns = 0, prune = async () => ({ pruned: NOTHING_PRUNED, more: false }), stuck: more = {} }: {
  overdueRuns?: number; prune?: () => Promise<{ pruned: typeof NOTHING_PRUNED; more: boolean }>; stuck?: Record<string, unknown>;
}) {
  let left = overdueRuns;
  const reads: number[] = [];
  const stuck = {
    readyWorkerTemplateNames: async () => [], pendingTemplateNames: async () => [], parkedRunsToSettle: async () => [],
    overdueAttempts: async () => [], stalledRuns: async () => [], nearestDeadlineSeconds: async () => null,
    overdueRuns: async (limit: number) => {
      const batch = Array.from({ length: Math.min(limit, left) }, (_, i) => ({ flowId: `f${left - i}`, deadlineAt: new Date(0), onDeadline: 'alert' }));
      reads.push(batch.length);
      return batch;
    },
    ...more,
  };
  const revivals = { passDeadline: async () => { left--; return true; } };
  const config = loadConfig({ HEALER_INTERVAL_MS: '60000' });
  const reply: ConsumerState = { topic: config.TOPIC_REPLY, group: 'g', state: 'running', backlog: { kind: 'applied' } };
  const consumer = { consumers: () => [reply] };
  const healer = new Healer({} as DataSource, { doesExist: () => false } as unknown as SchedulerRegistry, stuck as unknown as StuckWorkRepository,
    { prune } as unknown as Retention, revivals as unknown as RunRevivals, {} as TemplateRepository, {} as RegistrationEvents,
    consumer as unknown as MessageConsumer, config, new Metrics());
  return { healer, reads, left: () => left, reply };
}

describe('Healer', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('still passes deadlines when its retention fails (a cutoff PostgreSQL refuses), and says why', async () => {
    const { healer, left } = healerWith({
      overdueRuns: 3,
      prune: async () => { throw Object.assign(new Error('date/time field value out of range'), { code: '22008' }); },
    });
    await healer.tick();
    expect(left()).toBe(0);
    expect(healer.status()).toMatchObject({ lastCounts: { deadlinesPassed: 3 }, lastError: 'retention: date/time field value out of range' });
    // Not a success: a kind failing at every tick must show in health as the time since the last one grows.
    expect(healer.status().lastSuccessAt).toBeNull();
  });

  it('goes on at once while a pass reads a full batch of its backlog, not a batch a tick', async () => {
    const { healer, reads, left } = healerWith({ overdueRuns: 450 });
    await healer.tick();
    expect(left()).toBe(0);
    expect(reads).toEqual([200, 200, 50]);
  });

  it('goes on while retention leaves rows to remove, and stops catching up once shutdown began', async () => {
    let passes = 0;
    const { healer } = healerWith({
      prune: async () => {
        passes++;
        if (passes === 3) void healer.onApplicationShutdown();
        return { pruned: { ...NOTHING_PRUNED, runsPruned: 1000 }, more: true };
      },
    });
    await healer.tick();
    expect(passes).toBe(3);
  });
});

describe('Healer: order, asks while a tick runs, and outages', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => jest.useRealTimers());

  it('passes deadlines before it starts parked runs, times attempts out or revives runs: those would send what the deadline undoes', async () => {
    const read: string[] = [];
    const reading = (kind: string) => async () => { read.push(kind); return []; };
    const { healer } = healerWith({ stuck: {
      overdueRuns: reading('deadlines'), parkedRunsToSettle: reading('parked'), overdueAttempts: reading('timeouts'), stalledRuns: reading('stalled'),
    } });
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    await healer.tick(); // the first tick sees the reply consumers running
    jest.setSystemTime(Date.now() + 10_000); // long enough: timeouts may go ahead
    read.length = 0;
    await healer.tick();
    expect(read).toEqual(['deadlines', 'parked', 'timeouts', 'stalled']);
  });

  it('runs one more tick after the running one when asked meanwhile (a template became READY after its parked runs were read)', async () => {
    let parkedReads = 0;
    let release!: () => void;
    const slow = new Promise<void>((resolve) => { release = resolve; });
    const { healer } = healerWith({ stuck: { parkedRunsToSettle: async () => { parkedReads++; return []; } },
      prune: async () => { await slow; return { pruned: NOTHING_PRUNED, more: false }; } });
    const first = healer.tick();
    await new Promise((r) => setImmediate(r));
    expect(parkedReads).toBe(1); // the running tick is past its parked runs
    const asked = [healer.tick(), healer.tick()];
    release();
    await Promise.all([first, ...asked]);
    // One more tick for both asks, not one each.
    expect(parkedReads).toBe(2);
  });

  it('times nothing out while a reply consumer holds a reply in its outage retry, nor until settleMs after it applied it', async () => {
    let down = false;
    let timeoutReads = 0;
    const { healer, reply } = healerWith({ stuck: {
      pendingTemplateNames: async () => { if (down) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' }); return []; },
      overdueAttempts: async () => { timeoutReads++; return []; },
    } });
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    await healer.tick(); // the first tick sees the reply consumers running
    jest.setSystemTime(Date.now() + 10_000);
    await healer.tick();
    expect(timeoutReads).toBe(1);
    // An outage that no pass meets: the consumer says it holds a reply.
    reply.waitingSince = new Date();
    jest.setSystemTime(Date.now() + 10_000);
    await healer.tick();
    expect(timeoutReads).toBe(1);
    reply.waitingSince = undefined; // applied
    await healer.tick();
    jest.setSystemTime(Date.now() + 1_999);
    await healer.tick();
    expect(timeoutReads).toBe(1);
    jest.setSystemTime(Date.now() + 1);
    await healer.tick();
    expect(timeoutReads).toBe(2);
    // A pass that met an outage holds nothing back by itself: no consumer held a reply through it.
    down = true;
    await healer.tick();
    down = false;
    await healer.tick();
    expect(timeoutReads).toBe(3);
  });
});
