import { Logger } from '@nestjs/common';
import type { StepCommand } from '../../../src/engine/dispatch/step-command';
import { RunChanges } from '../../../src/engine/run-changes';
import type { HandlerMetrics } from '../../../src/handlers/handler-metrics';
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

/** A runner's metrics that note when each of its passes (a claim of due jobs) ended; nothing else is counted. */
function passRecorder(): { metrics: HandlerMetrics; passes: number[] } {
  const passes: number[] = [];
  const ignored = { inc: () => undefined };
  const ticks = { inc: ({ outcome }: { outcome: string }) => void (outcome === 'ok' && passes.push(Date.now())) };
  return { metrics: { launches: ignored, polls: ignored, finished: ignored, ticks } as unknown as HandlerMetrics, passes };
}

/** The http step's job rows under the runner itself: several instances, and an instance that dies mid-call. */
describe('http calls on the job runner: one effective call per attempt', () => {
  const partner = new FakePartnerServer(PARTNER_AUTH);
  const sink = new RecordingSink();
  let db: EmbeddedDatabase;
  let repo: JobExecutionRepository;
  const runners: JobRunner[] = [];
  const targets: JobTargets[] = [];
  /** When each runner's passes ended, by runner. */
  const passesOf: number[][] = [];

  const config = (extra: Record<string, string> = {}) => loadHandlersConfig(partnerEnv(partner, extra));
  const start = (c = config()) => {
    const t = new JobTargets(c);
    targets.push(t);
    const { metrics, passes } = passRecorder();
    const runner = new JobRunner(repo, c, t, () => sink, metrics);
    runners.push(runner);
    passesOf.push(passes);
    runner.start();
    return passes;
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
    passesOf.splice(0);
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
    // Every result is in: each runner looks for due work twice more, then stops, which waits for
    // every call it started. Nothing either runner does can reach the partner after this.
    const seen = passesOf.map((p) => p.length);
    await eventually(() => passesOf.every((p, i) => p.length >= seen[i] + 2), 10_000, 'two more passes of each runner');
    await Promise.all(runners.map((r) => r.stop()));
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
    const leaseEnds = claimed[0].row.nextLaunchAt!.getTime();
    await fetch(`${partner.url}/api/orders`, {
      method: 'POST', body: JSON.stringify({ size: 2 }),
      headers: { authorization: `Bearer ${PARTNER_AUTH.token}`, 'content-type': 'application/json', 'idempotency-key': `${c.flowId}:provision:DO` },
    });
    const passes = start(short);
    expect(await eventually(() => sink.for(c.flowId)[0], 10_000)).toMatchObject({ status: 'SUCCESS', output: { status: 201, body: { orderId: ordersFor(c.flowId)[0].id } } });
    // The runner looked for due work while the lease held, and called only once it had run out.
    expect(passes.some((at) => at < leaseEnds)).toBe(true);
    expect(callsFor(c.flowId).map((call) => call.at >= leaseEnds)).toEqual([false, true]);
    expect(ordersFor(c.flowId)).toHaveLength(1);
    expect(await row(c.flowId)).toMatchObject({ status: 'SUCCEEDED', launchAttempts: 2 });
  });
});
