import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config';
import { TemplateRepository } from '../../src/registry/template.repository';
import { WorkerAccessSweep } from '../../src/registry/worker-access-sweep.service';
import { WorkerInUse } from '../../src/registry/worker-in-use';
import { initiatorYaml, workerJson } from '../helpers/documents';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Registrations made while any service could register a step (WORKER_ACCESS=open, as before this
 * version with authentication on) are removed at the next start under the pinned rule.
 */
describe('worker registrations that WORKER_ACCESS=pinned would refuse, at start', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ WORKER_ACCESS: 'open' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const register = (service: string, body: string | object) => {
    const req = t.http.post('/api/orchestration/register').set('X-Service-Name', service);
    return typeof body === 'string' ? req.set('Content-Type', 'application/yaml').send(body) : req.send(body);
  };
  const sweep = (access: 'open' | 'pinned') => {
    const ds = t.get(DataSource);
    return new WorkerAccessSweep(ds, new TemplateRepository(ds, Object.assign(new AppConfig(), { WORKER_ACCESS: access })), t.get(WorkerInUse))
      .onApplicationBootstrap();
  };
  const workersOf = async (orchName: string) =>
    (await t.http.get(`/api/orchestration/templates/${orchName}`).expect(200)).body as { status: string; workers: Array<{ serviceName: string; stepName: string }> };

  it("removes another service's registration of an unnamed step, keeps the owner's and a named service's, and the template goes PENDING", async () => {
    await register('squatter', workerJson('sweptFlow', ['reserve'])).expect(201);
    await register('shop', `${initiatorYaml('sweptFlow', 'sequential', ['reserve', 'charge'])}`).expect(201);
    await register('shop', workerJson('sweptFlow', ['reserve'])).expect(201);
    await register('payments', workerJson('sweptFlow', ['charge'])).expect(201);
    await register('shop', initiatorYaml('namedFlow', 'sequential', ['ship'], ['carrier'])).expect(201);
    await register('carrier', workerJson('namedFlow', ['ship'])).expect(201);
    expect((await workersOf('sweptFlow')).status).toBe('READY');

    await sweep('open');
    expect((await workersOf('sweptFlow')).workers).toHaveLength(3);

    const warn = jest.spyOn(Logger.prototype, 'warn');
    await sweep('pinned');
    expect(warn).toHaveBeenCalledWith({ removed: expect.arrayContaining(['sweptFlow/reserve:squatter', 'sweptFlow/charge:payments']) },
      expect.stringContaining('removed 2 worker registration(s)'));
    warn.mockRestore();
    const swept = await workersOf('sweptFlow');
    expect(swept.workers.map((w) => `${w.stepName}:${w.serviceName}`).sort()).toEqual(['reserve:shop']);
    expect(swept.status).toBe('PENDING');
    expect((await workersOf('namedFlow')).workers.map((w) => w.serviceName)).toEqual(['carrier']);
  });
});
