import { Logger } from '@nestjs/common';
import type { StepCommand } from '../../../../src/engine/dispatch/step-command';
import { RunChanges } from '../../../../src/engine/run-changes';
import { AwxStepDispatcher } from '../../../../src/handlers/awx/awx-step.dispatcher';
import { HandlersConfig, loadHandlersConfig } from '../../../../src/handlers/handlers-config';
import { JobExecutionEntity } from '../../../../src/handlers/job-execution.entity';
import { JobExecutionRepository } from '../../../../src/handlers/job-execution.repository';
import { JobRunner } from '../../../../src/handlers/job-runner.service';
import { JobTargets } from '../../../../src/handlers/job-targets';
import { OoStepDispatcher } from '../../../../src/handlers/oo/oo-step.dispatcher';
import type { StepResult } from '../../../../src/engine/dispatch/step-result';
import { FakeAwxServer } from '../../../fakes/fake-awx.server';
import { FakeOoServer } from '../../../fakes/fake-oo.server';
import { EmbeddedDatabase, openEmbeddedDatabase } from '../../../helpers/embedded-database';
import { eventually, RecordingSink } from './job-fixtures';

/**
 * Fake AWX and OO, a fresh embedded database, runners started per test (and stopped after it),
 * the dispatchers, and a recording sink in place of the engine. Registers its own Jest hooks.
 */
export class RunnerHarness {
  db!: EmbeddedDatabase;
  repo!: JobExecutionRepository;
  sink = new RecordingSink();
  readonly awx = new FakeAwxServer();
  readonly oo = new FakeOoServer();
  private readonly running: JobRunner[] = [];
  private readonly targets: JobTargets[] = [];

  static install(): RunnerHarness {
    const h = new RunnerHarness();
    beforeAll(async () => {
      // The runner logs every launch, poll failure and result; keep the test output to errors.
      Logger.overrideLogger(['error']);
      h.db = await openEmbeddedDatabase();
      h.repo = new JobExecutionRepository(h.db.dataSource);
      await h.awx.start();
      await h.oo.start();
    }, 60_000);
    beforeEach(() => {
      h.sink = new RecordingSink();
    });
    afterEach(async () => {
      await Promise.all(h.running.splice(0).map((r) => r.stop()));
      await Promise.all(h.targets.splice(0).map((t) => t.onApplicationShutdown()));
    });
    afterAll(async () => {
      await h.awx.stop();
      await h.oo.stop();
      await h.db?.close();
    });
    return h;
  }

  /** Short intervals, millisecond backoffs, timeouts that fit a claim (4 exchanges) in its lease; `env` overrides. */
  config(env: Record<string, string> = {}): HandlersConfig {
    return loadHandlersConfig({
      AWX_HOST: this.awx.url, AWX_TOKEN: 'awx-secret-token', AWX_REQUEST_TIMEOUT_MS: '900', AWX_CONNECT_TIMEOUT_MS: '250',
      OO_HOST: `${this.oo.url}/oo`, OO_USERNAME: 'oo-admin', OO_PASSWORD: 'oo-secret-pw', OO_REQUEST_TIMEOUT_MS: '900', OO_CONNECT_TIMEOUT_MS: '250',
      HANDLER_POLL_INTERVAL_MS: '10', HANDLER_JOB_POLL_INTERVAL_MS: '20', HANDLER_LEASE_MS: '5000',
      HANDLER_LAUNCH_BACKOFF_INITIAL_MS: '10', HANDLER_LAUNCH_BACKOFF_MAX_MS: '40',
      ...env,
    });
  }

  startRunner(config: HandlersConfig): JobRunner {
    const targets = new JobTargets(config);
    this.targets.push(targets);
    const runner = new JobRunner(this.repo, config, targets, () => this.sink);
    this.running.push(runner);
    runner.start();
    return runner;
  }

  /** Dispatches as the engine would, with the dispatcher of the (DO) type, and writes the rows it adds. */
  async dispatch(config: HandlersConfig, c: StepCommand): Promise<string> {
    const dispatcher = c.handler.type === 'oo' || (c.handler.do as { type?: string } | undefined)?.type === 'oo'
      ? new OoStepDispatcher(config) : new AwxStepDispatcher(config);
    const changes = new RunChanges();
    const target = await dispatcher.dispatch(changes, c);
    for (const [entity, { rows }] of changes.inserts) {
      await this.db.dataSource.createQueryBuilder().insert().into(entity).values(rows).orIgnore().execute();
    }
    return target;
  }

  rows(flowId: string): Promise<JobExecutionEntity[]> {
    return this.db.dataSource.getRepository(JobExecutionEntity).find({ where: { flowId }, order: { createdAt: 'ASC' } });
  }

  async row(flowId: string, action: 'DO' | 'UNDO' = 'DO'): Promise<JobExecutionEntity> {
    return (await this.rows(flowId)).find((r) => r.action === action)!;
  }

  reported(flowId: string, action: 'DO' | 'UNDO' = 'DO'): Promise<StepResult> {
    return eventually(() => this.sink.for(flowId, action)[0], 15_000, `${action} result of ${flowId}`);
  }
}
