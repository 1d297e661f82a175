import {
  BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional,
} from '@nestjs/common';
import type { StepResultSink } from '../engine/dispatch/step-result';
import { HandlerMetrics } from './handler-metrics';
import { HandlersConfig, HandlerSettings } from './handlers-config';
import { ClaimedJob, JobClaimer, logContext } from './job-claimer';
import { JobExecutionRepository } from './job-execution.repository';
import { JobLaunchEvents } from './job-launch-events';
import { JobTargets } from './job-targets';
import { JobWorker } from './job-worker';
import { OutageLog } from '../common/logging/outage-log';

/**
 * Where the runner hands results: a function, because the engine's StepResultSink is looked up
 * lazily (the engine imports the handlers' dispatchers, so the handlers cannot import the engine).
 */
export const JOB_RESULT_SINK = Symbol('JOB_RESULT_SINK');
export type ResultSinkSource = () => StepResultSink;

/**
 * The loop that launches and polls AWX, OO and HTTP jobs, shaped like pg-boss's supervisor: it
 * keeps up to HANDLER_BATCH_SIZE jobs in flight. Every HANDLER_POLL_INTERVAL_MS a pass claims due
 * rows into the free slots (short transaction, SKIP LOCKED, lease) and starts them without holding
 * a transaction or waiting for them, so a partner that hangs until its timeout holds one slot, not
 * every other launch, retry and poll (passes that awaited their whole batch made a second HTTP
 * call wait 3 s behind a hanging one). A job that ends frees its slot, filled at once when the
 * last claim filled every free slot (more may be due). All state is in job_execution, so a
 * restarted (or another) instance carries on where this one stopped.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobRunner.name);
  private readonly outage = new OutageLog(this.logger, 'The job runner pass');
  private readonly claimer: JobClaimer;
  private readonly worker: JobWorker;
  /** Jobs being worked on, by row id. Their leases keep other instances off them; a pass here skips them even once a lease ran out (a stalled report). */
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  /** The last claim filled every free slot: more may be due, so a slot that frees is filled at once. */
  private backlog = false;
  private stopped = true;

  constructor(
    repo: JobExecutionRepository,
    private readonly config: HandlersConfig,
    targets: JobTargets,
    @Inject(JOB_RESULT_SINK) sink: ResultSinkSource,
    @Optional() private readonly metrics?: HandlerMetrics,
    @Optional() launchEvents?: JobLaunchEvents,
  ) {
    this.claimer = new JobClaimer(repo, config);
    this.worker = new JobWorker({ repo, targets, settings: config.settings, sink, metrics, launchEvents, now: () => new Date() });
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Stops claiming and waits for the jobs in flight (their HTTP calls are bounded by the
   * timeouts), those of a claim in progress included: they are leased, so left alone they would
   * wait out the lease before another instance took them.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
    await Promise.all(this.inFlight.values());
  }

  private get settings(): HandlerSettings {
    return this.config.settings;
  }

  private freeSlots(): number {
    return this.settings.HANDLER_BATCH_SIZE - this.inFlight.size;
  }

  /** Sets the next pass `delay` ms from now, in place of one already set; a pass in progress sets its own when it ends. */
  private schedule(delay: number): void {
    if (this.stopped || this.pass) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.pass = this.fillSlots();
    await this.pass;
    this.pass = undefined;
    this.schedule(this.backlog && this.freeSlots() > 0 ? 0 : this.settings.HANDLER_POLL_INTERVAL_MS);
  }

  /** Claims due jobs into the free slots and starts them; never rejects (a failed claim is logged, as an outage if it is one). */
  private async fillSlots(): Promise<void> {
    const free = this.freeSlots();
    if (free <= 0) return;
    try {
      const claimed = await this.claimer.claim(new Date(), free, [...this.inFlight.keys()]);
      for (const job of claimed) this.begin(job);
      this.backlog = claimed.length >= free;
      this.metrics?.ticks.inc({ outcome: 'ok' });
      this.outage.succeeded();
    } catch (e) {
      this.backlog = false;
      this.metrics?.ticks.inc({ outcome: 'error' });
      this.outage.failed(e);
    }
  }

  private begin(job: ClaimedJob): void {
    const id = job.row.id;
    this.inFlight.set(id, this.work(job).finally(() => {
      this.inFlight.delete(id);
      if (this.backlog) this.schedule(0);
    }));
  }

  /**
   * JobWorker.process logs its own failures, but not what escapes it (its span is set up outside
   * that guard, from the row's trace context): caught here, as a rejection nobody awaits would end
   * the process. The lease runs out and the row is retried.
   */
  private async work(job: ClaimedJob): Promise<void> {
    try {
      await this.worker.process(job);
    } catch (e) {
      this.logger.error({ ...logContext(job.row), err: e }, `job ${job.action} failed unexpectedly`);
    }
  }
}
