import {
  BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional,
} from '@nestjs/common';
import type { StepResultSink } from '../engine/dispatch/step-result';
import { HandlerMetrics } from './handler-metrics';
import { HandlersConfig } from './handlers-config';
import { JobClaimer } from './job-claimer';
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
 * The loop that launches and polls AWX/OO jobs, shaped like pg-boss's supervisor: every
 * HANDLER_POLL_INTERVAL_MS one pass claims due rows (short transaction, SKIP LOCKED, lease),
 * works on them concurrently without holding a transaction, and records the outcomes. A pass
 * that filled its batch is followed at once by another. All state is in job_execution, so a
 * restarted (or another) instance carries on where this one stopped.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobRunner.name);
  private readonly outage = new OutageLog(this.logger, 'The job runner pass');
  private readonly claimer: JobClaimer;
  private readonly worker: JobWorker;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<number>;
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

  /** Stops the loop and waits for a pass in progress (its HTTP calls are bounded by the timeouts). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass?.catch(() => undefined);
  }

  /** One pass: claims what is due and works on it; returns how many jobs it claimed. */
  async runOnce(): Promise<number> {
    const claimed = await this.claimer.claim(new Date());
    await Promise.all(claimed.map((job) => this.worker.process(job)));
    return claimed.length;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    let claimed = 0;
    this.pass = this.runOnce();
    try {
      claimed = await this.pass;
      this.metrics?.ticks.inc({ outcome: 'ok' });
      this.outage.succeeded();
    } catch (e) {
      this.metrics?.ticks.inc({ outcome: 'error' });
      this.outage.failed(e);
    } finally {
      this.pass = undefined;
    }
    const full = claimed >= this.config.settings.HANDLER_BATCH_SIZE;
    this.schedule(full ? 0 : this.config.settings.HANDLER_POLL_INTERVAL_MS);
  }
}
