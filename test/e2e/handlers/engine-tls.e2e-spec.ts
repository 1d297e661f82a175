import { FakeAwxServer } from '../../fakes/fake-awx.server';
import { FakeOoServer } from '../../fakes/fake-oo.server';
import type { TestApp } from '../../helpers/test-app';
import { expectNoCredentials, handlerEnv, jobsOf, registerTemplate, runToEnd, startEngineApp, timeline } from './support/engine-app';

const FLOW = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';

/** AWX and OO over HTTPS with a self-signed certificate, TLS verification as the variables say. */
describe('built-in handlers through the whole engine: AWX_/OO_ALLOW_INVALID_SSL against self-signed HTTPS', () => {
  const awx = new FakeAwxServer({ tls: true });
  const oo = new FakeOoServer({ tls: true });

  beforeAll(async () => {
    await Promise.all([awx.start(), oo.start()]);
    awx.jobTemplate(41, { statuses: ['running', 'successful'] });
    oo.flow(FLOW, { states: [{ status: 'COMPLETED', resultStatusType: 'RESOLVED' }] });
  });

  afterAll(() => Promise.all([awx.stop(), oo.stop()]));

  async function withApp(env: Record<string, string>, test: (t: TestApp) => Promise<void>): Promise<void> {
    const t = await startEngineApp(handlerEnv(awx, oo, env));
    try {
      await registerTemplate(t, 'secureAwx', [{ seq: 1, name: 'provision', handler: { type: 'awx', jobTemplateId: 41 } }]);
      await registerTemplate(t, 'secureOo', [{ seq: 1, name: 'configure', handler: { type: 'oo', flowUuid: FLOW } }]);
      await test(t);
    } finally {
      await t.close();
    }
  }

  it('rejects the self-signed certificate by default: the step fails at once, naming the variable to set', async () => {
    await withApp({}, async (t) => {
      const awxRun = await runToEnd(t, 'secureAwx', {}, 'FAILED');
      expect(awxRun.failedStep).toBe('provision');
      expect(awxRun.error).toMatch(/^AWX launch of job_template 41: TLS certificate verification failed \(\w+/);
      expect(awxRun.error).toContain('for a test server with a self-signed certificate set AWX_ALLOW_INVALID_SSL=true');
      const [awxJob] = await jobsOf(t, awxRun.flowId);
      expect(awxJob).toMatchObject({ status: 'FAILED', launchAttempts: 1, externalJobId: null });

      const ooRun = await runToEnd(t, 'secureOo', {}, 'FAILED');
      expect(ooRun.error).toMatch(/^OO launch of flow [\w-]+: TLS certificate verification failed/);
      expect(ooRun.error).toContain('set OO_ALLOW_INVALID_SSL=true');
      expectNoCredentials([awxRun, ooRun, awxJob]);
    });
    // The handshake failed: no request ever reached the servers.
    expect(awx.requests).toHaveLength(0);
    expect(oo.requests).toHaveLength(0);
  });

  it('accepts it with AWX_ALLOW_INVALID_SSL=true and OO_ALLOW_INVALID_SSL=true', async () => {
    await withApp({ AWX_ALLOW_INVALID_SSL: 'true', OO_ALLOW_INVALID_SSL: 'true' }, async (t) => {
      expect(timeline(await runToEnd(t, 'secureAwx', {}, 'COMPLETED'))).toEqual(['DO:provision:SUCCEEDED']);
      expect(timeline(await runToEnd(t, 'secureOo', {}, 'COMPLETED'))).toEqual(['DO:configure:SUCCEEDED']);
    });
    expect(awx.requestsTo('POST', /job_templates\/41\/launch\/$/)).toHaveLength(1);
    expect(oo.requestsTo('POST', /executions$/)).toHaveLength(1);
  });
});
