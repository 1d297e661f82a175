import { Logger } from '@nestjs/common';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunDetailDto } from '../../../../src/engine/dto/run.dto';
import type { JobExecutionDto } from '../../../../src/handlers/dto/job-execution.dto';
import type { RegistrationResultDto } from '../../../../src/registry/dto/registration.dto';
import type { FakeAwxServer } from '../../../fakes/fake-awx.server';
import type { FakeOoServer } from '../../../fakes/fake-oo.server';
import { waitForRun } from '../../../helpers/runs';
import { startTestApp, TestApp } from '../../../helpers/test-app';
import { seededDataDir } from '../../../helpers/seeded-data-dir';

/*
 * Helpers for suites that drive built-in handlers through the whole application: HTTP register →
 * execute → run timeline, with fake AWX/OO servers configured through the same variables
 * production reads (AWX_*, OO_*, HANDLER_*).
 */

/** Every credential the fakes accept: none may appear in an API body. */
export const SECRETS = [
  'awx-secret-token', 'awx-secret-pw', 'oo-secret-pw', 'lab-secret-pw', 'must-never-be-stored',
  Buffer.from('oo-admin:oo-secret-pw').toString('base64'), Buffer.from('admin:awx-secret-pw').toString('base64'),
  Buffer.from('lab-admin:lab-secret-pw').toString('base64'),
];

/** The job execution shape served by the API (JobExecutionDto): Baton's fields, then the Orca service's. */
export const JOB_EXECUTION_KEYS = [
  'id', 'requestId', 'flowId', 'stepName', 'action', 'attempt', 'commandId', 'correlationId', 'targetType',
  'resourceType', 'resourceId', 'connection', 'externalJobId', 'externalJobType', 'externalStatus', 'externalResult',
  'status', 'launchAttempts', 'nextLaunchAt', 'lastLaunchError', 'pollingAttempts', 'lastPolledAt', 'nextPollAt',
  'cancelRequestedAt', 'completedAt', 'reportedAt', 'error', 'requestPayload', 'responsePayload', 'createdAt', 'sentAt',
  'updatedAt',
  'executionTargetType', 'executionResourceType', 'executionResourceId', 'awxOoJobId', 'awxOoExecutionStatus', 'executionStatus',
  'resultStatusType', 'maxPollingAttempts', 'lastPolledAtUtc', 'createdAtUtc', 'completedAtUtc', 'executionPayload',
  'executionResponse', 'errorMessage',
].sort();

/** Fails if a body (any JSON) carries a credential, an Authorization header or a fake's address. */
export function expectNoCredentials(body: unknown, hosts: string[] = []): void {
  const text = JSON.stringify(body);
  for (const secret of [...SECRETS, ...hosts]) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/authorization|password|"token"|Bearer |Basic /i);
}

/**
 * AWX and OO default connections on the fakes, with short timeouts, millisecond backoffs and a
 * fast runner. AWX authenticates with a token, OO with Basic. `extra` wins.
 */
export function handlerEnv(awx: FakeAwxServer, oo: FakeOoServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LOG_LEVEL: 'error',
    AWX_HOST: awx.url, AWX_TOKEN: 'awx-secret-token', AWX_CONNECT_TIMEOUT_MS: '250', AWX_REQUEST_TIMEOUT_MS: '900',
    OO_HOST: `${oo.url}/oo`, OO_USERNAME: 'oo-admin', OO_PASSWORD: 'oo-secret-pw', OO_CONNECT_TIMEOUT_MS: '250', OO_REQUEST_TIMEOUT_MS: '900',
    HANDLER_POLL_INTERVAL_MS: '10', HANDLER_JOB_POLL_INTERVAL_MS: '20', HANDLER_LEASE_MS: '5000',
    HANDLER_LAUNCH_BACKOFF_INITIAL_MS: '10', HANDLER_LAUNCH_BACKOFF_MAX_MS: '40',
    ...extra,
  };
}

/**
 * Starts the whole app (on a copy of a migrated embedded database, as startTestApp does, unless
 * `env` names DATA_DIR). Only errors are logged: the runner's warnings about retried launches are
 * expected here.
 */
export async function startEngineApp(env: Record<string, string>): Promise<TestApp> {
  Logger.overrideLogger(['error']);
  return startTestApp(env);
}

/**
 * A data directory that outlives one app, for restarts: pass `env()` to each startEngineApp and
 * call `remove()` in afterAll. (startTestApp makes a fresh DATA_DIR per call unless one is given.)
 */
export async function keptDataDir(): Promise<{ dir: string; env: (extra?: Record<string, string>) => Record<string, string>; remove(): void }> {
  const dir = await seededDataDir();
  return {
    dir,
    env: (extra = {}) => ({ DATA_DIR: dir, DEFINITIONS_DIR: join(dir, 'no-definitions'), ...extra }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A DTO as it arrives over HTTP: dates are ISO strings. */
export type Json<T> = { [K in keyof T]: T[K] extends Date | null ? Exclude<T[K], Date> | string : T[K] };
export type JobExecutionJson = Json<JobExecutionDto>;

export interface StepDoc {
  seq: number;
  name: string;
  handler?: Record<string, unknown>;
  undo?: Record<string, unknown> | boolean;
  retry?: Record<string, unknown>;
}

/** Registers an initiator template over REST as JSON; returns the registration result body. */
export async function registerTemplate(t: TestApp, orchName: string, steps: StepDoc[], type = 'sequential'): Promise<RegistrationResultDto> {
  const res = await t.http.post('/api/orchestration/register').set('X-Service-Name', 'provisioning')
    .send({ orchName, as: 'initiator', type, steps: steps.map((s) => ({ objectType: 'String', ...s })) });
  if (res.status !== 201) throw new Error(`registration of ${orchName} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Starts a run with a JSON payload and returns its flowId. */
export async function startRun(t: TestApp, orchName: string, payload: object = {}): Promise<string> {
  const res = await t.http.post(`/api/orchestration/execute/${orchName}`).send(payload);
  if (res.status !== 202) throw new Error(`execute ${orchName} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.flowId;
}

/** Runs a template to a terminal status and returns the run detail (timeline included). */
export async function runToEnd(t: TestApp, orchName: string, payload: object = {}, status?: string): Promise<RunDetailDto> {
  return waitForRun(t, await startRun(t, orchName, payload), status, 15_000);
}

/** `action:step:status` for every attempt of the run's timeline, in order. */
export function timeline(run: RunDetailDto): string[] {
  return run.steps.map((s) => `${s.action}:${s.stepName}:${s.status}`);
}

/** The job executions of a run, oldest first, from GET /api/job-executions/request/{flowId}. */
export async function jobsOf(t: TestApp, flowId: string): Promise<JobExecutionJson[]> {
  const res = await t.http.get(`/api/job-executions/request/${flowId}`).expect(200);
  return res.body;
}
