import { HandlerHttpError, isRetriableStatus, parseRetryAfter } from '../http/handler-http-error';
import { truncate } from '../http/redact';
import type { JobExecutionEntity } from '../job-execution.entity';
import type { ClassifiedStatus } from '../job-phase';
import type { JobTarget, LaunchOutcome, PollOutcome } from '../job-target';
import { idempotencyKeyOf } from '../../engine/dispatch/step-command';
import { callUrl, CallUrlError, statusPathOf } from './call-url';
import type { CallResponse, HttpCallClient } from './http-call.client';
import { keptResponse } from './http-call-output';
import type { HttpCallOptions, StoredCall } from './http-call-spec';
import { jsonEquals, readJsonPath } from './json-path';

function messageOf(body: unknown): string {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const key of ['message', 'error_description', 'error', 'detail', 'title']) {
      const value = (body as Record<string, unknown>)[key];
      if (typeof value === 'string' && value.trim()) return value.trim();
    }
  }
  if (typeof body === 'string' && body.trim()) return body.trim();
  return body === null || body === undefined ? 'no body' : JSON.stringify(body);
}

const shown = (value: unknown) => truncate(JSON.stringify(value) ?? 'undefined', 100);

/** The `http` step's calls as a job target: launch = the call, poll = the status URL of a 202. */
export class HttpCallTarget implements JobTarget {
  constructor(private readonly client: HttpCallClient) {}

  private options(row: JobExecutionEntity): HttpCallOptions {
    return row.options?.http ?? { timeoutMs: this.client.connection.timeoutMs, outputHeaders: [] };
  }

  private async send(row: JobExecutionEntity, method: string, url: URL, call?: StoredCall): Promise<CallResponse> {
    return this.client.send({
      method, url, headers: call?.headers ?? {}, body: call?.body, timeoutMs: this.options(row).timeoutMs,
      flowId: row.flowId, step: row.stepName, action: row.action, correlationId: row.correlationId,
      idempotencyKey: idempotencyKeyOf(row), what: `${method} ${url.pathname}`,
    });
  }

  /** A response that is neither success nor the awaited 202: retried (5xx, 429) or final. */
  private failure(res: CallResponse, what: string): string {
    const message = this.client.scrub(`${what} failed (HTTP ${res.status}): ${truncate(this.client.scrub(messageOf(res.body)), 300)}`);
    if (isRetriableStatus(res.status)) throw new HandlerHttpError(res.status, true, message, parseRetryAfter(res.headers['retry-after']));
    return res.status >= 300 && res.status < 400 ? `${message} (redirects are not followed)` : message;
  }

  async launch(row: JobExecutionEntity): Promise<LaunchOutcome> {
    const call = row.requestPayload as unknown as StoredCall;
    const options = this.options(row);
    let url: URL;
    try {
      url = callUrl(this.client.connection.baseUrl, call.path, call.query);
    } catch (e) {
      throw new HandlerHttpError(null, false, (e as Error).message);
    }
    const what = `${call.method} ${url.pathname}`;
    const res = await this.send(row, call.method, url, call);
    const response = keptResponse(res, options.outputHeaders, (text) => this.client.scrub(text));
    const outcome = (classified: ClassifiedStatus): LaunchOutcome => ({
      externalJobId: String(res.status), externalJobType: 'request', response, warnings: [],
      result: { externalStatus: String(res.status), externalResult: null, classified, response },
    });
    if (options.async && res.status === 202) return this.accepted(row, res, url, response, options);
    const successful = options.successStatus ? options.successStatus.includes(res.status) : res.status >= 200 && res.status < 300;
    if (!successful) return outcome({ phase: 'FAILURE', reason: this.failure(res, what) });
    return outcome(this.checked(res, options, what));
  }

  /** Success status; and, when asked, the JSON path must equal the value. */
  private checked(res: CallResponse, options: HttpCallOptions, what: string): ClassifiedStatus {
    if (!options.successPath) return { phase: 'SUCCESS' };
    const found = readJsonPath(res.body, options.successPath);
    if (found.found && jsonEquals(found.value, options.successEquals)) return { phase: 'SUCCESS' };
    const actual = found.found ? `is ${shown(found.value)}` : 'is missing';
    return { phase: 'FAILURE', reason: this.client.scrub(`${what} answered HTTP ${res.status} but ${options.successPath} ${actual}, expected ${shown(options.successEquals)}`) };
  }

  private accepted(row: JobExecutionEntity, res: CallResponse, url: URL, response: Record<string, unknown>, options: HttpCallOptions): LaunchOutcome {
    const async = options.async!;
    const where = async.statusUrlPath ? readJsonPath(res.body, async.statusUrlPath) : { found: res.headers.location !== undefined, value: res.headers.location };
    const fail = (reason: string): LaunchOutcome => ({
      externalJobId: '202', externalJobType: 'request', response, warnings: [],
      result: { externalStatus: '202', externalResult: null, classified: { phase: 'FAILURE', reason }, response },
    });
    const from = async.statusUrlPath ? `the body's ${async.statusUrlPath}` : 'the Location header';
    if (!where.found || typeof where.value !== 'string' || !where.value) return fail(`${url.pathname} answered 202 without a status URL in ${from}`);
    let status: { path: string; search: string };
    try {
      status = statusPathOf(this.client.connection.baseUrl, url.toString(), where.value);
    } catch (e) {
      if (e instanceof CallUrlError) return fail(`${url.pathname} answered 202 with a status URL that is not polled: ${e.message}`);
      throw e;
    }
    return {
      externalJobId: status.path, externalJobType: 'operation', response, warnings: [],
      options: { ...(row.options ?? {}), http: { ...options, statusPath: status.path, statusSearch: status.search } },
    };
  }

  async poll(row: JobExecutionEntity): Promise<PollOutcome> {
    const options = this.options(row);
    const async = options.async;
    if (!async || !options.statusPath) throw new HandlerHttpError(null, false, 'nothing to poll: the call named no status URL');
    const url = callUrl(this.client.connection.baseUrl, options.statusPath);
    url.search = options.statusSearch ?? '';
    const what = `GET ${url.pathname}`;
    const res = await this.send(row, 'GET', url);
    const response = keptResponse(res, options.outputHeaders, (text) => this.client.scrub(text));
    if (res.status < 200 || res.status >= 300) throw new HandlerHttpError(res.status, false, this.failure(res, what));
    const state = readJsonPath(res.body, async.statePath);
    // Shown and stored (fitted to its column when written); the decisions below use the full value.
    const externalStatus = state.found ? (typeof state.value === 'string' ? state.value : JSON.stringify(state.value)) : null;
    let classified: ClassifiedStatus = { phase: 'IN_PROGRESS', ...(state.found ? {} : { unknown: true }) };
    if (state.found && async.done.some((v) => jsonEquals(v, state.value))) classified = { phase: 'SUCCESS' };
    if (state.found && (async.failed ?? []).some((v) => jsonEquals(v, state.value))) classified = { phase: 'FAILURE', reason: `${async.statePath} is ${shown(state.value)}` };
    return { externalStatus, externalResult: null, classified, response };
  }

  /** An HTTP operation cannot be cancelled in general: an UNDO waits for it to end, then makes its own call. */
  async cancel(): Promise<'accepted' | 'not-cancellable'> {
    return 'not-cancellable';
  }
}
