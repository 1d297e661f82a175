import { Global, INestApplication, Logger, Module } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import { AppConfig } from '../../../src/config/app-config';
import { HttpErrorFilter } from '../../../src/common/errors/http-error.filter';
import { BoundedValidationPipe } from '../../../src/common/validation/bounded-validation.pipe';
import { StepResultSink } from '../../../src/engine/dispatch/step-result';
import { RunChanges } from '../../../src/engine/run-changes';
import { AwxStepDispatcher } from '../../../src/handlers/awx/awx-step.dispatcher';
import { HandlersConfig, loadHandlersConfig } from '../../../src/handlers/handlers-config';
import { HandlersModule } from '../../../src/handlers/handlers.module';
import { JobExecutionEntity } from '../../../src/handlers/job-execution.entity';
import { OoStepDispatcher } from '../../../src/handlers/oo/oo-step.dispatcher';
import { Metrics } from '../../../src/metrics/metrics';
import { FakeAwxServer } from '../../fakes/fake-awx.server';
import { EmbeddedDatabase, openEmbeddedDatabase } from '../../helpers/embedded-database';
import { command, eventually, RecordingSink } from './support/job-fixtures';

describe('HandlersModule wired in Nest: dispatch, run, and the job-execution API', () => {
  let db: EmbeddedDatabase;
  let app: INestApplication;
  const awx = new FakeAwxServer();
  const sink = new RecordingSink();

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    db = await openEmbeddedDatabase();
    await awx.start();
    awx.jobTemplate(1, { statuses: ['running', 'successful'], artifacts: { ok: true } });
    const config = loadHandlersConfig({
      AWX_HOST: awx.url, AWX_TOKEN: 'awx-secret-token', HANDLER_POLL_INTERVAL_MS: '10', HANDLER_JOB_POLL_INTERVAL_MS: '20',
    });

    // What the application provides around the module: config, database, metrics, the engine's sink.
    @Global()
    @Module({
      providers: [
        { provide: HandlersConfig, useValue: config },
        { provide: AppConfig, useValue: new AppConfig() },
        { provide: getDataSourceToken(), useValue: db.dataSource },
        { provide: Metrics, useValue: new Metrics() },
        { provide: StepResultSink, useValue: sink },
      ],
      exports: [HandlersConfig, AppConfig, getDataSourceToken(), Metrics, StepResultSink],
    })
    class SurroundingsModule {}

    const moduleRef = await Test.createTestingModule({ imports: [SurroundingsModule, HandlersModule] }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter());
    app.useGlobalPipes(new BoundedValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
    app.useGlobalFilters(new HttpErrorFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await awx.stop();
    await db?.close();
  });

  it('exports dispatchers typed awx and oo that the runner (started on bootstrap) carries through', async () => {
    const awxDispatcher = app.get(AwxStepDispatcher);
    expect(awxDispatcher.type).toBe('awx');
    expect(app.get(OoStepDispatcher).type).toBe('oo');
    const flows = [command({ type: 'awx', jobTemplateId: 1 }), command({ type: 'awx', jobTemplateId: 1 })];
    for (const c of flows) {
      const changes = new RunChanges();
      await awxDispatcher.dispatch(changes, c);
      await db.dataSource.createQueryBuilder().insert().into(JobExecutionEntity).values(changes.inserts.get(JobExecutionEntity)!.rows).execute();
    }
    for (const c of flows) {
      await eventually(() => sink.for(c.flowId)[0], 15_000);
      await eventually(async () => (await request(app.getHttpServer()).get(`/api/job-executions/request/${c.flowId}`)).body[0]?.reportedAt);
    }
    expect(sink.for(flows[0].flowId)[0]).toMatchObject({ status: 'SUCCESS', output: { artifacts: { ok: true } } });
  });

  it('lists job executions page by page, newest first', async () => {
    const http = request(app.getHttpServer());
    const all = await http.get('/api/job-executions').expect(200);
    expect(all.body).toMatchObject({ page: 1, pageSize: 10, total: 2 }); // Orca's default page size
    const page2 = await http.get('/api/job-executions?page=2&pageSize=1').expect(200);
    expect(page2.body).toMatchObject({ page: 2, pageSize: 1, total: 2 });
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].id).toBe(all.body.items[1].id);
    const filtered = await http.get('/api/job-executions?status=FAILED&targetType=AWX').expect(200);
    expect(filtered.body).toMatchObject({ total: 0, items: [] });
    await http.get('/api/job-executions?page=0').expect(400);
    await http.get('/api/job-executions?status=NOPE').expect(400);
  });

  it('serves one job execution in the original shape, plus flow and step, without credentials', async () => {
    const http = request(app.getHttpServer());
    const [first] = (await http.get('/api/job-executions').expect(200)).body.items;
    const one = await http.get(`/api/job-executions/${first.id}`).expect(200);
    expect(one.body).toMatchObject({
      id: first.id, requestId: first.flowId, flowId: first.flowId, stepName: 'provision', action: 'DO', attempt: 1,
      targetType: 'AWX', resourceType: 'job_template', resourceId: '1', connection: 'default',
      externalJobType: 'job', externalStatus: 'successful', status: 'SUCCEEDED', launchAttempts: 1, pollingAttempts: 2,
      error: null, lastLaunchError: null,
    });
    for (const key of ['createdAt', 'sentAt', 'completedAt', 'lastPolledAt', 'updatedAt', 'reportedAt']) expect(typeof one.body[key]).toBe('string');
    expect(one.body.requestPayload.extra_vars.baton_flow_id).toBe(first.flowId);
    expect(JSON.stringify(one.body)).not.toMatch(/awx-secret|must-never-be-stored|127\.0\.0\.1/);
  });

  it('404s an unknown id with JOB_EXECUTION_NOT_FOUND, and lists nothing for an unknown flow', async () => {
    const http = request(app.getHttpServer());
    const missing = await http.get('/api/job-executions/4a7e1f06-5d0c-4d5e-9a44-2b1c9e8f7a61').expect(404);
    expect(missing.body).toMatchObject({ code: 'JOB_EXECUTION_NOT_FOUND' });
    expect((await http.get('/api/job-executions/not-a-uuid').expect(404)).body).toMatchObject({
      code: 'JOB_EXECUTION_NOT_FOUND', message: 'No job execution not-a-uuid', error: 'JobExecution not-a-uuid not found' });
    // A long id (up to 16 KiB in the app) is echoed cut to 64 characters, and a key pasted in it as its prefix only (as the key revoke route does).
    const long = await http.get(`/api/job-executions/${'x'.repeat(90)}`).expect(404);
    expect(long.body).toMatchObject({ message: `No job execution ${'x'.repeat(64)}`, error: `JobExecution ${'x'.repeat(64)} not found` });
    const pasted = await http.get(`/api/job-executions/bk_ab12CD34_${'s'.repeat(43)}`).expect(404);
    expect(pasted.body).toMatchObject({ message: 'No job execution bk_ab12CD34_…', error: 'JobExecution bk_ab12CD34_… not found' });
    expect((await http.get('/api/job-executions/request/4a7e1f06-5d0c-4d5e-9a44-2b1c9e8f7a61').expect(200)).body).toEqual([]);
  });

  it('documents the three endpoints in Swagger', () => {
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/job-executions', '/api/job-executions/{id}', '/api/job-executions/request/{flowId}']));
    const schema = doc.components?.schemas?.JobExecutionDto as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['requestId', 'flowId', 'stepName', 'externalJobId', 'requestPayload']));
    expect(Object.keys(schema.properties).join()).not.toMatch(/password|token|secret/i);
  });

  it('exposes handler metrics on the shared registry', async () => {
    const text = await app.get(Metrics).registry.metrics();
    expect(text).toMatch(/baton_handler_launches_total\{target="AWX",outcome="launched"\} 2/);
    expect(text).toMatch(/baton_handler_jobs_finished_total\{target="AWX",action="DO",status="SUCCEEDED"\} 2/);
  });
});
