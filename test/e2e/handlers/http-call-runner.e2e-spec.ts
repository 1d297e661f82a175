import { Logger } from '@nestjs/common';
import type { StepCommand } from '../../../src/engine/dispatch/step-command';
import { RunChanges } from '../../../src/engine/run-changes';
import { loadHandlersConfig } from '../../../src/handlers/handlers-config';
import { HttpCallStepDispatcher } from '../../../src/handlers/http-call/http-call-step.dispatcher';
import { JobClaimer } from '../../../src/handlers/job-claimer';
import { JobExecutionEntity } from '../../../src/handlers/job-execution.entity';
import { JobExecutionRepository } from '../../../src/handlers/job-execution.repository';
import { JobRunner } from '../../../src/handlers/job-runner.service';
import { JobTargets } from '../../../src/handlers/job-targets';
import { FakePartnerServer } from '../../fakes/fake-partner.server';
import { EmbeddedDatabase, openEmbeddedDatabase } from '../../helpers/embedded-database';
import { command, eventually, RecordingSink } from './support/job-fixtures';
import { PARTNER_AUTH, partnerEnv } from './support/partner-env';

/** The http step's job rows under the runner itself: several instances, and an instance that dies mid-call. */
describe('http calls on the job runner: one effective call per attempt', () => {
  const partner = new FakePartnerServer(PARTNER_AUTH);
  const sink = new RecordingSink();
  let db: EmbeddedDatabase;
  let repo: JobExecutionRepository;
  const runners: JobRunner[] = [];
  const targets: JobTargets[] = [];

  const config = (extra: Record<string, string> = {}) => loadHandlersConfig(partnerEnv(partner, extra));
  const start = (c = config()) => {
    const t = new JobTargets(c);
    targets.push(t);
    const runner = new JobRunner(repo, c, t, () => sink);
    runners.push(runner);
    runner.start();
  };
  const dispatch = async (c: StepCommand) => {
    const changes = new RunChanges();
    await new HttpCallStepDispatcher(config()).dispatch(changes, c);
    for (const [entity, { rows }] of changes.inserts) await db.dataSource.createQueryBuilder().insert().into(entity).values(rows).orIgnore().execute();
  };
  const row = (flowId: string) => db.dataSource.getRepository(JobExecutionEntity).findOneByOrFail({ flowId });
  const ordersFor = (flowId: string) => partner.orders.filter((o) => o.idempotencyKey === `${flowId}:provision:DO`);
  const callsFor = (flowId: string) => partner.calls('POST', /^\/api\/orders$/).filter((r) => r.headers['idempotency-key'] === `${flowId}:provision:DO`);
  const order = { type: 'http', connection: 'erp', method: 'POST', path: '/orders', body: { size: '${payload.size}' } };

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    await partner.start();
    db = await openEmbeddedDatabase();
    repo = new JobExecutionRepository(db.dataSource);
  }, 60_000);

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await Promise.all(targets.splice(0).map((t) => t.onApplicationShutdown()));
  });

  afterAll(async () => {
    await partner.stop();
    await db?.close();
  });

  it('makes each call once with two runners, retries included', async () => {
    const commands = Array.from({ length: 12 }, () => command(order, { retry: { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 0.02, maxDelaySeconds: 1 } }));
    partner.failNext('POST', /^\/api\/orders$/, ...Array.from({ length: 6 }, () => ({ status: 503, body: { message: 'busy' } })));
    for (const c of commands) await dispatch(c);
    start(config({ HANDLER_BATCH_SIZE: '3' }));
    start(config({ HANDLER_BATCH_SIZE: '3' }));
    for (const c of commands) await eventually(() => sink.for(c.flowId)[0], 15_000, `the result of ${c.flowId}`);
    await new Promise((r) => setTimeout(r, 200));
    let calls = 0;
    for (const c of commands) {
      expect(sink.for(c.flowId)).toEqual([expect.objectContaining({ status: 'SUCCESS' })]);
      const job = await row(c.flowId);
      expect(callsFor(c.flowId)).toHaveLength(job.launchAttempts);
      expect(ordersFor(c.flowId)).toHaveLength(1);
      calls += job.launchAttempts;
    }
    expect(calls).toBe(12 + 6);
  });

  it('takes over a call whose runner died during it, once the lease ran out, with the same Idempotency-Key', async () => {
    const short = config({ HANDLER_LEASE_MS: '600', HTTP_ERP_CONNECT_TIMEOUT_MS: '100', HTTP_ERP_TIMEOUT_MS: '300',
      HTTP_CRM_CONNECT_TIMEOUT_MS: '50', HTTP_CRM_TIMEOUT_MS: '80' });
    const c = command(order);
    await dispatch(c);
    // An instance claims the call, sends it, and dies before recording the answer.
    const claimed = await new JobClaimer(repo, short).claim(new Date());
    expect(claimed.map((j) => [j.row.flowId, j.action])).toEqual([[c.flowId, 'launch']]);
    await fetch(`${partner.url}/api/orders`, {
      method: 'POST', body: JSON.stringify({ size: 2 }),
      headers: { authorization: `Bearer ${PARTNER_AUTH.token}`, 'content-type': 'application/json', 'idempotency-key': `${c.flowId}:provision:DO` },
    });
    start(short);
    await new Promise((r) => setTimeout(r, 300));
    expect(callsFor(c.flowId)).toHaveLength(1);
    expect(await eventually(() => sink.for(c.flowId)[0], 10_000)).toMatchObject({ status: 'SUCCESS', output: { status: 201, body: { orderId: ordersFor(c.flowId)[0].id } } });
    expect(callsFor(c.flowId)).toHaveLength(2);
    expect(ordersFor(c.flowId)).toHaveLength(1);
    expect(await row(c.flowId)).toMatchObject({ status: 'SUCCEEDED', launchAttempts: 2 });
  });
});
