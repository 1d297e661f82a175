import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RegistryService } from '../../src/registry/registry.service';
import { signatureOf } from '../../src/auth/message-signing/message-signature';
import { ORCA_SERVICE, orcaTemplateDocument } from '../../src/orca/orca-template';
import type { OrcaRequest } from '../../src/orca/request-created-event';
import { FakeAwxServer } from '../fakes/fake-awx.server';
import { FakeOoServer } from '../fakes/fake-oo.server';
import { authOn, bearer, newAdminKey } from '../helpers/auth';
import { expectEventually } from '../helpers/expect-eventually';
import { AUDIENCE, ISSUER, rsaKey } from '../helpers/jwt';
import { messageJwt } from '../helpers/message-jwt';
import type { TestApp } from '../helpers/test-app';
import { handlerEnv } from '../e2e/handlers/support/engine-app';
import { expectOrcaFields, fixture, ISO_UTC, OO_FLOW, orcaClient } from './orca.fixtures';

/**
 * The Orca drop-in, end to end: RequestCreatedEvent on the broker → AWX/OO launch on the fakes →
 * RequestStatusUpdatedEvent on the broker, and the job-execution endpoints in Orca's shapes.
 * Shared by the embedded e2e suite (in-process broker) and the RabbitMQ integration suite.
 */
export function orcaScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`Orca drop-in (${setting})`, () => {
    let t: TestApp;
    const awx = new FakeAwxServer();
    const oo = new FakeOoServer();
    const orca = orcaClient();
    const { deadLetters, publish, request, eventsOf, finalEventOf } = orca;

    beforeAll(async () => {
      await Promise.all([awx.start(), oo.start()]);
      awx.jobTemplate(42, { statuses: ['pending', 'running', 'successful'] })
        .workflowJobTemplate(7, { statuses: ['running', 'successful'], askVariablesOnLaunch: true })
        .jobTemplate(13, { launchError: { status: 400, body: { variables_needed_to_start: ["'email' value missing"] } } });
      oo.flow(OO_FLOW, { states: [{ status: 'RUNNING' }, { status: 'COMPLETED', resultStatusType: 'DIAGNOSED' }] });
      t = await orca.start({ ...(await env()), ...handlerEnv(awx, oo), AWX_TRACE_EXTRA_VARS: 'false' });
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await Promise.all([awx.stop(), oo.stop()]);
    });

    it('runs an AWX job template request: Status 1 after the launch, then 2, and serves its job execution in Orca\'s shapes', async () => {
      const event = request({});
      await publish(event);
      const final = await finalEventOf(event.RequestId);
      const launched = awx.launches().find((j) => j.templateId === 42)!;
      expect(launched).toMatchObject({ type: 'job' });
      expect(launched.extraVars).toEqual({ email: 'user@example.com' });
      const jobId = String(launched.id);

      const [running, ...rest] = eventsOf(event.RequestId);
      expect(rest).toEqual([final]);
      expect(running).toEqual({ ...fixture('request-status-updated-running.json'), RequestId: event.RequestId, ExecutionId: jobId,
        UpdatedAtUtc: expect.stringMatching(ISO_UTC) });
      expect(final).toEqual({ ...fixture('request-status-updated-success.json'), RequestId: event.RequestId, ExecutionId: jobId,
        UpdatedAtUtc: expect.stringMatching(ISO_UTC) });

      const forRequest = (await t.http.get(`/api/job-executions/request/${event.RequestId}`).expect(200)).body;
      expect(forRequest).toHaveLength(1);
      expectOrcaFields(forRequest[0], fixture('job-executions-for-request.json')[0]);
      const id = forRequest[0].id;
      const detail = (await t.http.get(`/api/job-executions/${id}`).expect(200)).body;
      const example = fixture('job-execution.json');
      expectOrcaFields(detail, example);
      expect(detail).toMatchObject({
        id, requestId: event.RequestId, awxOoJobId: jobId, executionTargetType: 0, executionResourceType: 0, executionResourceId: '42',
        executionStatus: example.executionStatus, resultStatusType: example.resultStatusType, maxPollingAttempts: example.maxPollingAttempts,
        executionPayload: example.executionPayload, errorMessage: example.errorMessage, awxOoExecutionStatus: 'successful',
        executionResponse: { ...example.executionResponse, id: Number(jobId) },
      });
      expect(detail.pollingAttempts).toBeGreaterThan(0);
      expect(Date.parse(detail.completedAtUtc)).toBeGreaterThanOrEqual(Date.parse(detail.lastPolledAtUtc));

      const page = (await t.http.get('/api/job-executions').expect(200)).body;
      const pageExample = fixture('job-executions-page.json');
      expect(Object.keys(page).sort()).toEqual(Object.keys(pageExample).sort());
      expect(page).toMatchObject({ page: pageExample.page, pageSize: pageExample.pageSize });
      for (const item of page.items) expectOrcaFields(item, pageExample.items[0]);

      const missing = fixture('job-execution-not-found.json');
      const notFound = (await t.http.get('/api/job-executions/b72af38d-ab5e-44a3-a568-584ffc46dd29').expect(404)).body;
      expect(notFound.error).toBe(missing.error);
    });

    it('runs an AWX workflow request to Status 2', async () => {
      const event = request({ ExecutionResourceType: 1, ExecutionResourceId: '7', FormData: '{"team":"ops"}' });
      await publish(event);
      const final = await finalEventOf(event.RequestId);
      const launched = awx.launches().find((j) => j.templateId === 7 && j.type === 'workflow_job')!;
      expect(launched.extraVars).toEqual({ team: 'ops' });
      expect(final).toMatchObject({ Status: 2, ResultType: null, AwxOoExecutionStatus: 'successful', ExecutionId: String(launched.id), ErrorMessage: null });
      expect(eventsOf(event.RequestId).map((e) => e.Status)).toEqual([1, 2]);
      const [job] = (await t.http.get(`/api/job-executions/request/${event.RequestId}`).expect(200)).body;
      expect(job).toMatchObject({ executionTargetType: 0, executionResourceType: 1, executionResourceId: '7', executionStatus: 2 });
    });

    it('runs an OO flow request with FormData as inputs, reporting its result type', async () => {
      const event = request({ ExecutionTargetType: 1, ExecutionResourceType: null, ExecutionResourceId: OO_FLOW, FormData: '{"hostname":"vm1","count":2}' });
      await publish(event);
      const final = await finalEventOf(event.RequestId);
      const execution = oo.launches().find((e) => e.flowUuid === OO_FLOW)!;
      expect(execution.inputs).toEqual({ hostname: 'vm1', count: '2' });
      expect(final).toMatchObject({ Status: 2, ResultType: 1, AwxOoExecutionStatus: 'COMPLETED', ExecutionId: execution.id, ErrorMessage: null });
      expect(eventsOf(event.RequestId)[0]).toMatchObject({ Status: 1, ResultType: null, ExecutionId: execution.id });
      const [job] = (await t.http.get(`/api/job-executions/request/${event.RequestId}`).expect(200)).body;
      expect(job).toMatchObject({ executionTargetType: 1, executionResourceType: null, executionResourceId: OO_FLOW, resultStatusType: 'DIAGNOSED', executionStatus: 2 });
    });

    it('registers a template per resource past MAX_TEMPLATES_PER_SERVICE, which binds service keys, not the adapter', async () => {
      const [{ owned }] = await t.get(DataSource).query('SELECT count(*)::int AS owned FROM orchestration_template WHERE owner_service = $1', [ORCA_SERVICE]);
      expect(owned).toBeGreaterThanOrEqual(3); // the AWX job template, the AWX workflow and the OO flow above
    });

    it('starts nothing for a redelivered event, finished or still in flight', async () => {
      const event = request({ FormData: '{"email":"again@example.com"}' });
      await publish(event);
      await publish(event);
      await finalEventOf(event.RequestId);
      await publish(event);
      const launchesOf = () => awx.launches().filter((j) => j.extraVars.email === 'again@example.com');
      // Nothing marks the third copy as consumed; give it time to start something, then check it did not.
      await new Promise((r) => setTimeout(r, 1000));
      expect((await t.http.get(`/api/job-executions/request/${event.RequestId}`).expect(200)).body).toHaveLength(1);
      expect(launchesOf()).toHaveLength(1);
      expect(eventsOf(event.RequestId).map((e) => e.Status)).toEqual([1, 2]);
      expect(deadLetters.filter((d) => d.body.includes(event.RequestId))).toEqual([]);
      // The same RequestId for other FormData is another request, which must not be acknowledged as this one.
      await publish({ ...event, FormData: '{"email":"other@example.com"}' });
      await expectEventually(() => expect(deadLetters.filter((d) => d.body.includes(event.RequestId)).map((d) => d.reason))
        .toEqual([expect.stringMatching(/^IDEMPOTENCY_KEY_REUSED: /)]), { timeoutMs: 15_000 });
    });

    it('ends a request terminated with its job still running with Status 3 naming that job, as Status 1 did', async () => {
      awx.jobTemplate(44, { statuses: ['running'] });
      const event = request({ ExecutionResourceId: '44' });
      await publish(event);
      const running = await expectEventually(() => {
        const [first] = eventsOf(event.RequestId);
        expect(first).toMatchObject({ Status: 1 });
        return first;
      }, { timeoutMs: 20_000 });
      await t.http.post(`/api/orchestration/runs/${event.RequestId}/terminate`).query({ compensate: false }).send({ reason: 'left running' }).expect(202);
      const final = await finalEventOf(event.RequestId);
      const jobId = String(awx.launches().find((j) => j.templateId === 44)!.id);
      expect(running).toMatchObject({ ExecutionId: jobId, AwxOoExecutionStatus: 'running' });
      // Orca's Requests service stores the final event's ExecutionId over the one Status 1 gave it.
      expect(final).toMatchObject({ Status: 3, ExecutionId: jobId, AwxOoExecutionStatus: 'running' });
    });

    it('answers a refused launch with Status 3 and AWX\'s error', async () => {
      const event = request({ ExecutionResourceId: '13' });
      await publish(event);
      const final = await finalEventOf(event.RequestId);
      expect(final).toMatchObject({ Status: 3, ResultType: null, ExecutionId: null, AwxOoExecutionStatus: null });
      expect(final.ErrorMessage).toContain("'email' value missing");
      expect(eventsOf(event.RequestId)).toEqual([final]);
      const [job] = (await t.http.get(`/api/job-executions/request/${event.RequestId}`).expect(200)).body;
      expect(job).toMatchObject({ executionStatus: 3, awxOoJobId: null, errorMessage: final.ErrorMessage });
    });

    it("sends no Status 1 for a run of an orca. template that another service owns (taken before the names were reserved)", async () => {
      awx.jobTemplate(43, { statuses: ['successful'] });
      const doc = orcaTemplateDocument({ target: 'awx', resourceType: 'job_template', resourceId: '43' } as OrcaRequest, 'default');
      // Registered as the adapter does (over HTTP, baton-orca is a service like any other, past its MAX_TEMPLATES_PER_SERVICE of 1 here).
      await t.get(RegistryService).register({ body: doc, contentType: 'application/json', serviceName: ORCA_SERVICE, source: 'orca' });
      await t.get(DataSource).query("UPDATE orchestration_template SET owner_service = 'legacy-service' WHERE orch_name = $1", [doc.orchName]);
      const run = await t.http.post(`/api/orchestration/execute/${doc.orchName}`).send({ email: 'legacy@example.com' }).expect(202);
      await expectEventually(() => expect(awx.launches().some((j) => j.templateId === 43)).toBe(true), { timeoutMs: 15_000 });
      await finalEventOf(run.body.flowId);
      expect(eventsOf(run.body.flowId).map((e) => e.Status)).not.toContain(1);
    });

    it('dead-letters events that can never run, with the reason, answering those whose FormData fails with Status 3', async () => {
      const notJson = request({ FormData: '{not json' });
      const deep = request({ FormData: '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) });
      const notFlow = request({ ExecutionTargetType: 1, ExecutionResourceId: '42' });
      for (const event of [{ ...request({}), RequestId: 'not-a-uuid' }, notJson, notFlow, deep]) await publish(event);
      await expectEventually(() => expect(deadLetters.map((d) => d.reason)).toEqual(expect.arrayContaining([
        expect.stringContaining('RequestId: must be a UUID'),
        expect.stringContaining('FormData: not JSON'),
        expect.stringContaining('ExecutionResourceId: must be an OO flow UUID'),
        expect.stringMatching(/FormData(\.a)+: nested deeper than 100 levels$/),
      ])), { timeoutMs: 15_000 });
      // Read once its sender may run it, the request's FormData is its own; an event not read that far is no one's to answer.
      await expectEventually(() => {
        expect(eventsOf(notJson.RequestId)).toEqual([expect.objectContaining({ Status: 3, ErrorMessage: expect.stringContaining('FormData: not JSON') })]);
        expect(eventsOf(deep.RequestId)).toEqual([expect.objectContaining({ Status: 3, ErrorMessage: expect.stringMatching(/nested deeper/) })]);
      }, { timeoutMs: 15_000 });
      expect(eventsOf(notFlow.RequestId)).toEqual([]);
    });
  });
}

/**
 * ORCA_COMPAT with MESSAGE_SIGNING=required: a RequestCreatedEvent launches AWX jobs with Baton's
 * credentials, so it is proven like a start message (HMAC or JWT, a service or an operator); any
 * other is dead-lettered with the reason and audited, and launches nothing.
 */
export function orcaSigningScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`Orca drop-in with MESSAGE_SIGNING=required (${setting})`, () => {
    let t: TestApp;
    const awx = new FakeAwxServer();
    const oo = new FakeOoServer();
    const admin = newAdminKey();
    const secret = randomBytes(32).toString('hex');
    const rogueSecret = randomBytes(32).toString('hex');
    const idp = rsaKey();
    const orca = orcaClient();
    const { topics, statusEvents, deadLetters, publish } = orca;

    beforeAll(async () => {
      await Promise.all([awx.start(), oo.start()]);
      awx.jobTemplate(42, { statuses: ['successful'] });
      t = await orca.start(authOn(admin, {
        ...(await env()), ...handlerEnv(awx, oo), AWX_TRACE_EXTRA_VARS: 'false',
        MESSAGE_SIGNING: 'required', SIGNING_SECRETS: `requests-service:${secret},rogue-service:${rogueSecret}`,
        AWX_SERVICES: `baton-orca,requests-service`, OO_SERVICES: 'baton-orca',
        AUTH_JWT_PUBLIC_KEY: idp.publicPem, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE,
      }));
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await Promise.all([awx.stop(), oo.stop()]);
    });

    /** An event whose FormData names `email`, so its launch (or the lack of one) can be found. */
    const eventFor = (email: string) => JSON.stringify({ ...fixture('request-created.json'), RequestId: randomUUID(), FormData: JSON.stringify({ email }) });
    const hmac = (body: string, key = secret, signedAt = Math.floor(Date.now() / 1000), service = 'requests-service') => ({
      'x-baton-service': service, 'x-baton-signature-timestamp': String(signedAt), 'x-baton-signature': signatureOf(key, signedAt, Buffer.from(body)),
    });
    // `azp` as Keycloak puts it in every token: an operator's names the console's client, which is no service.
    const jwtOf = (body: string, roles: string[]) => ({ authorization: `Bearer ${messageJwt(idp, body, { roles, azp: 'baton-console' })}` });
    const launchedFor = (email: string) => awx.launches().filter((j) => j.extraVars.email === email);

    it('runs an event signed by a service with its secret, or carrying an admin\'s JWT (its client no service), to Status 2', async () => {
      const signed = eventFor('signed@example.com');
      const byAdmin = eventFor('admin@example.com');
      await publish(signed, hmac(signed));
      await publish(byAdmin, jwtOf(byAdmin, ['admin']));
      await expectEventually(() => {
        for (const body of [signed, byAdmin]) {
          expect(statusEvents.filter((e) => e.RequestId === JSON.parse(body).RequestId).map((e) => e.Status)).toEqual([1, 2]);
        }
      }, { timeoutMs: 20_000 });
      expect([launchedFor('signed@example.com'), launchedFor('admin@example.com')].map((l) => l.length)).toEqual([1, 1]);
    });

    it('dead-letters and audits an unsigned event, a badly signed one and a viewer\'s, launching nothing', async () => {
      const unsigned = eventFor('unsigned@example.com');
      const forged = eventFor('forged@example.com');
      const viewer = eventFor('viewer@example.com');
      await publish(unsigned);
      await publish(forged, hmac(forged, 'f'.repeat(64)));
      await publish(viewer, jwtOf(viewer, ['viewer']));
      const reasonOf = (body: string) => deadLetters.filter((d) => d.body === body).map((d) => d.reason);
      await expectEventually(() => {
        expect(reasonOf(unsigned)).toEqual([expect.stringMatching(/^MESSAGE_UNSIGNED: /)]);
        expect(reasonOf(forged)).toEqual([expect.stringMatching(/^MESSAGE_SIGNATURE_INVALID: /)]);
        expect(reasonOf(viewer)).toEqual([expect.stringMatching(/^FORBIDDEN: jwt:user-1 has none of the roles service, operator/)]);
      }, { timeoutMs: 15_000 });
      const audit = (await t.http.get('/api/admin/security-audit').query({ event: 'MESSAGE_REJECTED', pageSize: 200 }).set(bearer(admin)).expect(200))
        .body.items.filter((r: { target: string }) => r.target === `topic ${topics.request}`);
      expect(audit.map((r: { code: string }) => r.code).sort()).toEqual(['FORBIDDEN', 'MESSAGE_SIGNATURE_INVALID', 'MESSAGE_UNSIGNED']);
      expect(audit).toContainEqual(expect.objectContaining({ code: 'FORBIDDEN', principalId: 'jwt:user-1' }));
      for (const email of ['unsigned@example.com', 'forged@example.com', 'viewer@example.com']) expect(launchedFor(email)).toEqual([]);
      for (const body of [unsigned, forged, viewer]) {
        expect(statusEvents.filter((e) => e.RequestId === JSON.parse(body).RequestId)).toEqual([]);
      }
    });

    it("dead-letters and audits a service's signed event for a connection not open to it (AWX_SERVICES), launching nothing", async () => {
      const rogue = eventFor('rogue@example.com');
      await publish(rogue, hmac(rogue, rogueSecret, undefined, 'rogue-service'));
      await expectEventually(() => expect(deadLetters.filter((d) => d.body === rogue).map((d) => d.reason)).toEqual([
        'FORBIDDEN: hmac:rogue-service asks for AWX connection "default", which is not open to rogue-service (AWX_SERVICES)',
      ]), { timeoutMs: 15_000 });
      const audit = (await t.http.get('/api/admin/security-audit').query({ event: 'MESSAGE_REJECTED', pageSize: 200 }).set(bearer(admin)).expect(200)).body.items;
      expect(audit).toContainEqual(expect.objectContaining({ code: 'FORBIDDEN', principalId: 'hmac:rogue-service', target: `topic ${topics.request}` }));
      expect(launchedFor('rogue@example.com')).toEqual([]);
      expect(statusEvents.filter((e) => e.RequestId === JSON.parse(rogue).RequestId)).toEqual([]);
    });

    it("dead-letters an operator's event proving no service, which AWX_SERVICES could not be checked against, launching nothing", async () => {
      const byOperator = eventFor('operator@example.com');
      await publish(byOperator, jwtOf(byOperator, ['operator']));
      await expectEventually(() => expect(deadLetters.filter((d) => d.body === byOperator).map((d) => d.reason)).toEqual([
        'FORBIDDEN: jwt:user-1 proves no service name: only a service the connection is open to, or an admin, may send requests',
      ]), { timeoutMs: 15_000 });
      expect(launchedFor('operator@example.com')).toEqual([]);
      expect(statusEvents.filter((e) => e.RequestId === JSON.parse(byOperator).RequestId)).toEqual([]);
    });
  });
}
