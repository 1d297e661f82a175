import { Logger } from '@nestjs/common';
import type { HandlerMetrics } from './handler-metrics';
import { loadHandlersConfig } from './handlers-config';
import type { ClaimedJob } from './job-claimer';
import type { JobExecutionEntity } from './job-execution.entity';
import type { JobExecutionRepository } from './job-execution.repository';
import { JobRunner } from './job-runner.service';
import type { JobTargets } from './job-targets';
import { JobWorker } from './job-worker';

/** job_execution in memory: due rows, leased as the database leases them, and the limit of each claim. */
class FakeJobs {
  readonly rows: JobExecutionEntity[] = [];
  readonly limits: number[] = [];
  failNextClaim = false;
  readonly dataSource = { transaction: <T>(work: (m: unknown) => Promise<T>) => work({}) };

  add(id: string): void {
    this.rows.push({
      id, flowId: id, stepName: 'provision', action: 'DO', status: 'RUNNING', version: 1, cancelRequestedAt: null, nextPollAt: new Date(),
    } as JobExecutionEntity);
  }

  async lockDue(_m: unknown, now: Date, limit: number, excluding: string[] = []): Promise<JobExecutionEntity[]> {
    this.limits.push(limit);
    if (this.failNextClaim) {
      this.failNextClaim = false;
      throw new Error('the database is down');
    }
    return this.rows.filter((r) => r.nextPollAt! <= now && !excluding.includes(r.id)).slice(0, limit);
  }

  async claim(_m: unknown, row: JobExecutionEntity, patch: Partial<JobExecutionEntity>): Promise<void> {
    Object.assign(row, patch);
    row.version += 1;
  }
}

/** Stands in for the partner calls: each job works until the test ends it. */
class FakeWork {
  readonly started: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly ends = new Map<string, (error?: Error) => void>();

  process = ({ row }: ClaimedJob): Promise<void> => {
    this.started.push(row.id);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    return new Promise((resolve, reject) => this.ends.set(row.id, (error) => {
      this.inFlight--;
      this.ends.delete(row.id);
      if (error) reject(error);
      else resolve();
    }));
  };

  end(id: string, error?: Error): void {
    this.ends.get(id)!(error);
  }

  endAll(): void {
    for (const id of [...this.ends.keys()]) this.end(id);
  }
}

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JobRunner', () => {
  let jobs: FakeJobs;
  let work: FakeWork;
  let runner: JobRunner;
  const ticks = { inc: jest.fn() };

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    jobs = new FakeJobs();
    work = new FakeWork();
    ticks.inc.mockClear();
    jest.spyOn(JobWorker.prototype, 'process').mockImplementation(work.process);
    const config = loadHandlersConfig({ HANDLER_BATCH_SIZE: '2', HANDLER_POLL_INTERVAL_MS: '10' });
    runner = new JobRunner(jobs as unknown as JobExecutionRepository, config, {} as JobTargets, () => {
      throw new Error('no result is reported here');
    }, { ticks } as unknown as HandlerMetrics);
  });

  afterEach(async () => {
    work.endAll();
    await runner.stop();
    jest.restoreAllMocks();
  });

  it('works on a job that becomes due while another hangs', async () => {
    jobs.add('hanging');
    runner.start();
    await until(() => work.started.includes('hanging'), 'the hanging job');
    jobs.add('later');
    await until(() => work.started.includes('later'), 'the job due later');
    expect(work.inFlight).toBe(2);
  });

  it('never starts a job it still works on again, even once its lease ran out (a report stalled past HANDLER_LEASE_MS)', async () => {
    jobs.add('slow');
    runner.start();
    await until(() => work.started.includes('slow'), 'the slow job');
    jobs.rows[0].nextPollAt = new Date(0);
    await pause(60);
    expect(work.started).toEqual(['slow']);
    work.end('slow');
  });

  it('keeps at most HANDLER_BATCH_SIZE jobs in flight, claiming only into free slots', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) jobs.add(id);
    runner.start();
    await until(() => work.started.length === 2, 'the first two jobs');
    await pause(50);
    expect(work.started).toEqual(['a', 'b']);

    work.end('a');
    await until(() => work.started.length === 3, 'a job in the freed slot');
    expect(work.started[2]).toBe('c');
    expect(jobs.limits.at(-1)).toBe(1);

    work.end('c');
    work.end('b');
    await until(() => work.started.length === 5, 'the rest');
    work.endAll();
    expect(work.maxInFlight).toBe(2);
    expect(Math.max(...jobs.limits)).toBe(2);
  });

  it('stop() stops claiming and waits for the jobs in flight', async () => {
    jobs.add('a');
    runner.start();
    await until(() => work.started.includes('a'), 'the job');
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    jobs.add('b');
    await pause(50);
    expect(stopped).toBe(false);

    work.end('a');
    await stopping;
    await pause(30);
    expect(work.started).toEqual(['a']);
  });

  it('frees the slot of a job whose work failed, and keeps claiming after a failed claim', async () => {
    jobs.failNextClaim = true;
    jobs.add('a');
    runner.start();
    await until(() => work.started.includes('a'), 'the job after the failed claim');
    expect(ticks.inc).toHaveBeenNthCalledWith(1, { outcome: 'error' });
    expect(ticks.inc).toHaveBeenCalledWith({ outcome: 'ok' });

    jobs.add('b');
    jobs.add('c');
    await until(() => work.started.length === 2, 'the job in the second slot');
    work.end('a', new Error('unexpected'));
    await until(() => work.started.length === 3, 'a job in the slot of the failed one');
  });
});
