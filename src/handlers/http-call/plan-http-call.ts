import type { StepCommand } from '../../engine/dispatch/step-command';
import { connectionClosedTo } from '../connection-services';
import type { HandlersConfig } from '../handlers-config';
import { interpolate, interpolateString, InterpolationError } from '../interpolate';
import { PlannedJob, undoToPlanLater } from '../job-plan';
import { asInputString, contextOf } from '../job-request';
import { headerValueProblem } from './call-rules';
import { callUrl, CallUrlError } from './call-url';
import { callRetryPolicy, HttpCallSpec, parseHttpCallSpec, StoredCall } from './http-call-spec';

class CallPlanError extends Error {}

function stringsOf(template: Record<string, unknown> | undefined, c: StepCommand, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  const values = interpolate(template ?? {}, contextOf(c), where) as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) out[key] = asInputString(value);
  return out;
}

/** The call a spec makes for this command, with every placeholder filled in and checked again. */
function callOf(spec: HttpCallSpec, c: StepCommand, config: HandlersConfig) {
  const connection = config.httpConnection(spec.connection);
  if (!connection) {
    const known = config.httpConnectionNames();
    throw new CallPlanError(`HTTP connection '${spec.connection}' is not configured (configured: ${known.length ? known.join(', ') : 'none'})`);
  }
  if (c.ownerService !== undefined && !config.allowsService('http', spec.connection, c.ownerService)) {
    throw new CallPlanError(`the step names ${connectionClosedTo('http', spec.connection, c.ownerService)}`);
  }
  const method = spec.method ?? 'GET';
  const path = String(interpolateString(spec.path, contextOf(c), encodeURIComponent));
  const query = stringsOf(spec.query, c, 'query');
  const headers = stringsOf(spec.headers, c, 'headers');
  for (const [name, value] of Object.entries(headers)) {
    const problem = headerValueProblem(value);
    if (problem) throw new CallPlanError(`headers.${name} ${problem}`);
  }
  callUrl(connection.baseUrl, path, query);
  const call: StoredCall = { method, path, query, headers };
  if (spec.body !== undefined) call.body = interpolate(spec.body, contextOf(c), 'body');
  return {
    resourceType: 'request' as const, resourceId: `${method} ${path}`.slice(0, 200), connection: connection.name,
    requestPayload: call as unknown as Record<string, unknown>,
    options: {
      retry: callRetryPolicy(c.retry, config.settings),
      http: {
        timeoutMs: Math.min(spec.timeoutMs ?? connection.timeoutMs, connection.timeoutMs),
        successStatus: spec.success?.status, successPath: spec.success?.path, successEquals: spec.success?.equals,
        outputHeaders: (spec.outputHeaders ?? []).map((h) => h.toLowerCase()), async: spec.async,
      },
    },
  };
}

function problemOf(e: unknown): string {
  if (e instanceof CallPlanError || e instanceof InterpolationError || e instanceof CallUrlError) return e.message;
  throw e;
}

/**
 * The job row of an `http` step's DO or UNDO. As for AWX/OO, a bad spec, a reference that does
 * not resolve or a path that would leave the connection gives a FAILED row (or an UNDO that fails
 * once the DO has ended), so the step fails through the normal result path.
 */
export function planHttpCall(c: StepCommand, config: HandlersConfig, now: Date): PlannedJob {
  const base = {
    flowId: c.flowId, stepName: c.stepName, action: c.action, attempt: c.attempt, commandId: c.commandId,
    correlationId: c.correlationId ?? null, targetType: 'HTTP' as const, completedAt: null, error: null,
    nextLaunchAt: null, nextPollAt: null, requestPayload: null, options: null, resourceType: null, resourceId: null,
  };
  const connectionOf = (h: unknown) => String((h as { connection?: unknown } | null)?.connection ?? 'default').slice(0, 100);
  const notBefore = c.notBefore ?? now;
  if (c.action === 'DO') {
    const spec = parseHttpCallSpec(c.handler);
    if (typeof spec === 'string') return { ...base, connection: connectionOf(c.handler), status: 'FAILED', completedAt: now, nextPollAt: now, error: spec };
    try {
      return { ...base, ...callOf(spec, c, config), status: 'PENDING_LAUNCH', nextLaunchAt: notBefore };
    } catch (e) {
      return { ...base, connection: spec.connection, status: 'FAILED', completedAt: now, nextPollAt: now, error: problemOf(e) };
    }
  }
  // UNDO, told what the DO was: the DO's call is waited for if still being polled, then the undo call is made.
  const undo = c.handler.undo;
  const doConnection = connectionOf(c.handler.do);
  if (!undo || typeof undo !== 'object') {
    return { ...base, connection: doConnection, status: 'CANCELLING', nextPollAt: notBefore, options: { cancelOnly: true } };
  }
  const spec = parseHttpCallSpec(undo);
  if (typeof spec === 'string') return { ...base, connection: doConnection, status: 'CANCELLING', nextPollAt: notBefore, error: spec };
  try {
    return { ...base, ...callOf(spec, c, config), status: 'CANCELLING', nextPollAt: notBefore };
  } catch (e) {
    return { ...base, connection: spec.connection, status: 'CANCELLING', nextPollAt: notBefore, error: problemOf(e),
      options: undoToPlanLater(e, 'http', c) };
  }
}
