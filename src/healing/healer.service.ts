import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Subscription } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { errorMessage } from '../common/errors/error-message';
import { isInfrastructureError, isLockTimeout } from '../common/errors/infrastructure-error';
import { AppConfig } from '../config/app-config';
import { MessageConsumer } from '../messaging/message-consumer';
import { Metrics } from '../metrics/metrics';
import { OrchestrationTemplateEntity, TemplateStatus } from '../registry/entities/orchestration-template.entity';
import { RegistrationEvents } from '../registry/registration-events';
import { TemplateRepository } from '../registry/template.repository';
import { HeldBack } from './held-back';
import { NameCursor } from './name-cursor';
import { timeoutReason } from './policies';
import { Retention } from './retention.service';
import { HealerStatus, NOTHING_HEALED, TickCounts } from './tick-counts';
import { RunRevivals } from './run-revivals.service';
import { StuckWorkRepository } from './stuck-work.repository';
import { TimeoutGate } from './timeout-gate';
import { OutageLog } from '../common/logging/outage-log';
import { attemptFields } from '../common/logging/attempt-fields';

const BATCH = 200;
/**
 * A candidate whose healing threw is skipped for this many ticks: one that fails for good is then
 * tried (and logged) a few times an hour at the default interval instead of every tick, and one
 * that failed for a moment (a run that kept changing under it) is soon tried again.
 */
const HOLD_TICKS = 5;
/** The reply consumers' state is sampled this often, so a tick (every HEALER_INTERVAL_MS) knows since when they have listened. */
const LISTENING_SAMPLE_MS = 250;
const LISTENING_INTERVAL = 'HealerReplyListening';
/** The longest a tick goes on catching up on full batches (see passes): the rest waits for the next tick. */
const CATCH_UP_MS = 30_000;
const SCANS: Array<keyof TickCounts> = ['templatesDemoted', 'templatesPromoted'];

/**
 * The one healing loop, shaped like pg-boss's supervisor: an interval from config, a tick is
 * skipped while the previous one runs, a failing tick is reported and the loop lives on, and
 * shutdown waits for a running tick. Candidates are read without locks. A template is claimed
 * with SKIP LOCKED; a run is healed through the executor's version-guarded write, as every
 * decision on a run is (the Orca adapter's launch only records the job on the attempt in flight
 * and moves the version on), so when two instances (or a reply) race, one write wins and the
 * other finds nothing left to do: nothing is healed twice.
 */
@Injectable()
export class Healer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Healer.name);
  private readonly outage = new OutageLog(this.logger, 'A healer tick');
  private running?: Promise<void>;
  /** The tick asked for while one ran (see tick). */
  private next?: Promise<void>;
  private subscription?: Subscription;
  private readonly state: HealerStatus = { lastSuccessAt: null, lastError: null, lastCounts: null, lastFailed: 0 };
  private readonly held = new HeldBack(HOLD_TICKS);
  private failed = 0;
  private readonly demotions = new NameCursor();
  private readonly promotions = new NameCursor();
  private readonly timeouts = new TimeoutGate(() => this.consumer.consumers().filter((c) => c.topic === this.config.TOPIC_REPLY));
  /** Whether this pass read a full batch of some backlog and healed from it: more may be waiting. */
  private backlog = false;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scheduler: SchedulerRegistry,
    private readonly stuck: StuckWorkRepository,
    private readonly retention: Retention,
    private readonly revivals: RunRevivals,
    private readonly templates: TemplateRepository,
    private readonly events: RegistrationEvents,
    private readonly consumer: MessageConsumer,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.addInterval(LISTENING_INTERVAL, setInterval(() => this.timeouts.observe(), LISTENING_SAMPLE_MS));
    // pg-boss's supervisor: the interval skips a tick while one runs.
    this.scheduler.addInterval(Healer.name, setInterval(() => { if (!this.running) void this.tick(); }, this.config.HEALER_INTERVAL_MS));
    // Runs parked for a template start as soon as it becomes READY, not a whole interval later.
    this.subscription = this.events.applied$.subscribe((r) => { if (r.status === 'READY') void this.tick(); });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.subscription?.unsubscribe();
    for (const name of [Healer.name, LISTENING_INTERVAL]) if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
    await this.running;
    await this.next;
  }

  status(): HealerStatus {
    return { ...this.state };
  }

  /**
   * A tick that sees the work there is now. Asked while one runs, it is the one after it: the
   * running tick may have settled parked runs before a template became READY (its runs would wait
   * a whole interval), so every ask meanwhile shares one more tick once it ends.
   */
  tick(): Promise<void> {
    if (this.running) {
      const again = (): Promise<void> | undefined => { this.next = undefined; return this.stopping ? undefined : this.tick(); };
      return this.next ??= this.running.then(again, again);
    }
    this.running = this.passes().finally(() => { this.running = undefined; });
    return this.running;
  }

  /**
   * A tick: a pass, and at once another while the last one read a full batch of a backlog and
   * healed some of it (20,000 overdue attempts took a hundred ticks, one a minute), for at most
   * CATCH_UP_MS (or an interval, if shorter), never once shutdown began. Held candidates wait ticks, not passes.
   */
  private async passes(): Promise<void> {
    const started = Date.now();
    const budgetMs = Math.min(CATCH_UP_MS, this.config.HEALER_INTERVAL_MS);
    this.held.tick();
    while ((await this.pass()) && !this.stopping && Date.now() - started < budgetMs) { /* the next batch */ }
  }

  /**
   * Each kind of work on its own: one that fails (a defect, a setting PostgreSQL refuses) is
   * logged and the others still run, where it ended the pass and every kind after it. An outage
   * ends the pass: the next one tries everything again. True when a backlog is left (see passes).
   */
  private async pass(): Promise<boolean> {
    this.failed = 0;
    this.backlog = false;
    const counts: TickCounts = { ...NOTHING_HEALED };
    const failures: string[] = [];
    try {
      for (const [kind, work] of this.kinds) {
        try {
          Object.assign(counts, await work());
        } catch (e) {
          if (isInfrastructureError(e)) throw e;
          failures.push(`${kind}: ${errorMessage(e)}`);
          this.logger.error({ err: e, kind }, `healer could not do its ${kind} work this tick; it did the rest`);
        }
      }
    } catch (e) {
      this.state.lastError = (e as Error).message;
      this.metrics.healerTicks.inc({ outcome: 'failure' });
      this.outage.failed(e);
      return false;
    }
    // A success only when every kind of work did its part: one failing at every tick must still
    // show in health (lastSuccessAt ages) and in baton_healer_last_success_timestamp_seconds.
    Object.assign(this.state, { lastError: failures.join('; ') || null, lastCounts: counts, lastFailed: this.failed });
    this.metrics.healerTicks.inc({ outcome: failures.length > 0 ? 'failure' : 'success' });
    if (failures.length === 0) {
      this.state.lastSuccessAt = new Date();
      this.metrics.healerLastSuccess.set(Date.now() / 1000);
    }
    for (const [kind, n] of Object.entries(counts)) if (n > 0) this.metrics.healed.inc({ kind }, n);
    if (Object.values(counts).some((n) => n > 0)) this.logger.log(counts, 'healer tick healed work');
    this.outage.succeeded();
    return this.backlog;
  }

  /** The pass's kinds of work, in order, each giving its counts. */
  private readonly kinds: Array<[string, () => Promise<Partial<TickCounts>>]> = [
    ['templatesDemoted', async () => ({ templatesDemoted: await this.demoteTemplates() })],
    ['templatesPromoted', async () => ({ templatesPromoted: await this.promoteTemplates() })],
    // Deadlines before anything that sends: a run past its deadline is compensated or paused, not sent
    // its next step (a parked start, a timeout's retry, a revival) only for the deadline to undo it.
    ['deadlinesPassed', async () => ({ deadlinesPassed: await this.passDeadlines() })],
    ['parkedSettled', async () => ({ parkedSettled: await this.settleParkedRuns() })],
    ['stepsTimedOut', async () => ({ stepsTimedOut: await this.timeOutSteps() })],
    ['runsRevived', async () => ({ runsRevived: await this.reviveStalledRuns() })],
    ['retention', async () => {
      const { pruned, more } = await this.retention.prune();
      this.backlog ||= more;
      return pruned;
    }],
  ];

  /** With READINESS=live: a READY template whose last live worker of a step went away becomes PENDING. */
  private async demoteTemplates(): Promise<number> {
    if (this.config.READINESS !== 'live') return 0;
    const names = await this.demotions.next((after, limit) => this.stuck.readyWorkerTemplateNames(after, limit), this.batch);
    return this.refreshReadiness('templatesDemoted', names, (m, orchName) => this.templates.claimReadyTemplate(m, orchName), 'PENDING', (t) =>
      this.logger.warn({ orchName: t.orchName, missingSteps: t.missingSteps }, 'template demoted to PENDING: no live worker'));
  }

  /** Safety net for readiness: registration already promotes at once. */
  private async promoteTemplates(): Promise<number> {
    const names = await this.promotions.next((after, limit) => this.stuck.pendingTemplateNames(after, limit), this.batch);
    return this.refreshReadiness('templatesPromoted', names, (m, orchName) => this.templates.claimPendingTemplate(m, orchName), 'READY', (t) =>
      this.events.emitted({ orchName: t.orchName, role: 'initiator', outcome: 'UNCHANGED', serviceName: t.ownerService,
        version: t.currentVersion, status: 'READY', missingSteps: [] }));
  }

  /** Claims each template (skipping one another instance holds), recomputes its readiness, and counts those that became `to`. */
  private refreshReadiness(
    kind: keyof TickCounts, names: { orchName: string }[], claim: (m: EntityManager, orchName: string) => Promise<OrchestrationTemplateEntity | null>,
    to: TemplateStatus, changed: (template: OrchestrationTemplateEntity) => void,
  ): Promise<number> {
    return this.count(kind, names, ({ orchName }) => ({ orchName }), async ({ orchName }) => {
      const refreshed = await this.dataSource.transaction(async (m) => {
        const template = await claim(m, orchName);
        return template ? this.templates.refreshReadiness(m, template) : undefined;
      });
      if (refreshed?.status !== to) return false;
      changed(refreshed);
      return true;
    });
  }

  private async settleParkedRuns(): Promise<number> {
    return this.count('parkedSettled', await this.stuck.parkedRunsToSettle(this.batch), ({ flowId }) => ({ flowId }),
      (r) => this.revivals.settleParked(r));
  }

  private async timeOutSteps(): Promise<number> {
    if (!this.timeouts.open()) return 0;
    return this.count('stepsTimedOut', await this.stuck.overdueAttempts(this.batch),
      attemptFields,
      (a) => this.revivals.timeOut({ ...a, reason: timeoutReason(a) }));
  }

  private async reviveStalledRuns(): Promise<number> {
    // A transition in progress is not stalled: only runs quiet for two ticks (at least 5 s) qualify.
    const graceMs = Math.max(2 * this.config.HEALER_INTERVAL_MS, 5_000);
    return this.count('runsRevived', await this.stuck.stalledRuns(graceMs, this.batch), ({ flowId }) => ({ flowId }),
      (r) => this.revivals.revive(r.flowId, `${r.status} with nothing in flight for over ${graceMs} ms`));
  }

  private async passDeadlines(): Promise<number> {
    const passed = await this.count('deadlinesPassed', await this.stuck.overdueRuns(this.batch), ({ flowId }) => ({ flowId }),
      (r) => this.revivals.passDeadline(r.flowId, r.deadlineAt, r.onDeadline));
    const nearest = await this.stuck.nearestDeadlineSeconds();
    // None pending is +Inf: a gauge without labels always has a value, and 0 would read "due now".
    this.metrics.nearestDeadline.set(nearest ?? Number.POSITIVE_INFINITY);
    return passed;
  }

  /** How many candidates to read: a batch, and one more for each held back, so held ones never take a batch's places. */
  private get batch(): number {
    return BATCH + this.held.size;
  }

  /**
   * Heals candidates one by one and counts those it changed. One that throws is logged (`describe`
   * names it), counted and held back, and the others go on: one bad run must not stop every
   * timeout, revival and deadline behind it. An outage is not the candidate's fault: it ends the
   * tick as a failure, and the next tick tries every candidate again. The first lock timeout is the
   * candidate's (a run another session holds locked), or the tick would end at it every time; a
   * second one in a pass is a lock on more than one run (a table's), and ends the tick.
   */
  private async count<T>(kind: keyof TickCounts, items: T[], describe: (item: T) => Record<string, unknown>,
    heal: (item: T) => Promise<boolean>): Promise<number> {
    const healed = await this.healEach(kind, items, describe, heal);
    // Templates are pages of a scan that goes round, not a backlog: their next page waits for the next tick.
    if (items.length >= this.batch && healed > 0 && !SCANS.includes(kind)) this.backlog = true;
    return healed;
  }

  private async healEach<T>(kind: keyof TickCounts, items: T[], describe: (item: T) => Record<string, unknown>,
    heal: (item: T) => Promise<boolean>): Promise<number> {
    let healed = 0;
    let lockTimeouts = 0;
    for (const item of items) {
      const key = `${kind} ${JSON.stringify(describe(item))}`;
      if (this.held.has(key)) continue;
      try {
        if (await heal(item)) healed++;
      } catch (e) {
        if (isInfrastructureError(e) && !(isLockTimeout(e) && ++lockTimeouts === 1)) throw e;
        this.failed++;
        this.held.hold(key);
        this.logger.error({ err: e, kind, ...describe(item) }, `healer could not heal this candidate: skipped for ${HOLD_TICKS} ticks`);
      }
    }
    return healed;
  }
}
