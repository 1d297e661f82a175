import { HandlerHttpError, isRetriableStatus, parseRetryAfter } from '../http/handler-http-error';
import { namesCredential, withoutCredentialShapes } from '../http/credential-shapes';
import { truncate } from '../http/redact';
import type { JobExecutionEntity } from '../job-execution.entity';
import { storableJson } from '../storable-json';
import type { ClassifiedStatus } from '../job-phase';
import type { JobTarget, LaunchOutcome, PollOutcome } from '../job-target';
import { callKeyOf } from './call-key';
import { callUrl, CallUrlError, statusPathOf } from './call-url';
import type { CallResponse, HttpCallClient } from './http-call.client';
import { keptResponse } from './http-call-output';
import type { HttpCallOptions, StoredCall } from './http-call-spec';
import { jsonEquals, readJsonPath } from './json-path';

/** The most of an answer its error message is made from: scrubbed, then cut to 300 characters. */
const MESSAGE_SOURCE_CHARS = 2_000;
/**
 * Partner JSON in a message, nested at most a few levels: JSON.stringify of an answer thousands of
 * levels deep threw (RangeError), which made a retriable 5xx fail the step for good.
 */
const asJson = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(storableJson(value, undefined, 8)));
/**
 * Answered to a call sent again while the first may still be at work (its answer was lost): "in
 * progress" by the Idempotency-Key draft and Stripe. Retried like a 5xx, the first call's outcome
 * comes with a later attempt; failed at once, the work it did was never undone.
 */
const IN_PROGRESS_STATUSES = [409, 425];

function messageOf(body: unknown): string {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const key of ['message', 'error_description', 'error', 'detail', 'title']) {
      const value = (body as Record<string, unknown>)[key];
      if (typeof value === 'string' && value.trim()) return value.trim();
    }
  }
  if (typeof body === 'string' && body.trim()) return body.trim();
  return body === null || body === undefined ? 'no body' : asJson(body);
}

const shown = (value: unknown) => truncate(asJson(value), 100);

/** The `http` step's calls as a job target: launch = the call, poll = the status URL of a 202. */
export class HttpCallTarget implements JobTarget {
  constructor(private readonly client: HttpCallClient) {}

  private options(row: JobExecutionEntity): HttpCallOptions {
    return row.options?.http ?? { timeoutMs: this.client.connection.timeoutMs, outputHeaders: [] };
  }

  /**
   * The answer as the step's output. A failed step's answer is error text (a 4xx, a 2xx whose
   * successPath disagrees, a status naming a failed state): scrubbed as its error is, and its
   * credential-named keys' values cut as that error's `"password": "…"` is. A successful one keeps
   * its credentials, which a later step may use (a token endpoint's).
   */
  private kept(res: CallResponse, options: HttpCallOptions, failed: boolean): Record<string, unknown> {
    return failed
      ? keptResponse(res, options.outputHeaders, (text) => withoutCredentialShapes(this.client.scrub(text)), namesCredential)
      : keptResponse(res, options.outputHeaders, (text) => this.client.scrub(text));
  }

  private async send(row: JobExecutionEntity, method: string, url: URL, call?: StoredCall): Promise<CallResponse> {
    return this.client.send({
      method, url, headers: call?.headers ?? {}, body: call?.body, timeoutMs: this.options(row).timeoutMs,
      flowId: row.flowId, step: row.stepName, action: row.action, correlationId: row.correlationId,
      // The launch (or undo) call only: a status poll is not the step's work.
      idempotencyKey: call ? callKeyOf(row) : undefined, what: `${method} ${url.pathname}`,
    });
  }

  /**
   * A response that is neither success nor the awaited 202: retried (5xx, 429, and 409/425 to a
   * call that `followsUnanswered`) or final. A 429, 409 or 425 says this call did nothing (unsent).
   */
  private failure(res: CallResponse, what: string, followsUnanswered = false): string {
    const text = messageOf(res.body).slice(0, MESSAGE_SOURCE_CHARS);
    const message = this.client.scrub(`${what} failed (HTTP ${res.status}): ${truncate(withoutCredentialShapes(this.client.scrub(text)), 300)}`);
    const inProgress = followsUnanswered && IN_PROGRESS_STATUSES.includes(res.status);
    if (isRetriableStatus(res.status) || inProgress) {
      const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
      // Without Retry-After, the call in progress may take as long as a call may: asked again sooner
      // (the retry policy's cap bounds Retry-After, not this), the partner says 409 again, and the
      // launch attempts run out while the first call is still at work.
      const minDelayMs = inProgress && retryAfterMs === undefined ? this.client.connection.timeoutMs : undefined;
      throw new HandlerHttpError(res.status, true, message, retryAfterMs, res.status === 429 || inProgress, minDelayMs);
    }
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
    const accepted = !!options.async && res.status === 202;
    const successful = options.successStatus ? options.successStatus.includes(res.status) : res.status >= 200 && res.status < 300;
    if (accepted) return this.accepted(row, res, url, options);
    const classified: ClassifiedStatus = successful
      ? this.checked(res, options, what)
      : { phase: 'FAILURE', reason: this.failure(res, what, !!row.options?.unansweredLaunch) };
    const response = this.kept(res, options, classified.phase === 'FAILURE');
    return {
      externalJobId: String(res.status), externalJobType: 'request', response, warnings: [],
      result: { externalStatus: String(res.status), externalResult: null, classified, response },
    };
  }

  /** Success status; and, when asked, the JSON path must equal the value. */
  private checked(res: CallResponse, options: HttpCallOptions, what: string): ClassifiedStatus {
    if (!options.successPath) return { phase: 'SUCCESS' };
    const found = readJsonPath(res.body, options.successPath);
    if (found.found && jsonEquals(found.value, options.successEquals)) return { phase: 'SUCCESS' };
    const actual = found.found ? `is ${shown(found.value)}` : 'is missing';
    return { phase: 'FAILURE', reason: this.client.scrub(`${what} answered HTTP ${res.status} but ${options.successPath} ${actual}, expected ${shown(options.successEquals)}`) };
  }

  private accepted(row: JobExecutionEntity, res: CallResponse, url: URL, options: HttpCallOptions): LaunchOutcome {
    const async = options.async!;
    const where = async.statusUrlPath ? readJsonPath(res.body, async.statusUrlPath) : { found: res.headers.location !== undefined, value: res.headers.location };
    const fail = (reason: string): LaunchOutcome => {
      const response = this.kept(res, options, true);
      return {
        externalJobId: '202', externalJobType: 'request', response, warnings: [],
        result: { externalStatus: '202', externalResult: null, classified: { phase: 'FAILURE', reason }, response },
      };
    };
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
      externalJobId: status.path, externalJobType: 'operation', response: this.kept(res, options, false), warnings: [],
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
    if (res.status < 200 || res.status >= 300) throw new HandlerHttpError(res.status, false, this.failure(res, what));
    const state = readJsonPath(res.body, async.statePath);
    // Shown, logged and stored (fitted to its column when written), so scrubbed: a status endpoint may
    // echo the request's Authorization. The decisions below use the full value.
    const externalStatus = state.found ? this.client.scrub(typeof state.value === 'string' ? state.value : asJson(state.value)) : null;
    let classified: ClassifiedStatus = { phase: 'IN_PROGRESS', ...(state.found ? {} : { unknown: true }) };
    if (state.found && async.done.some((v) => jsonEquals(v, state.value))) classified = { phase: 'SUCCESS' };
    if (state.found && (async.failed ?? []).some((v) => jsonEquals(v, state.value))) classified = { phase: 'FAILURE', reason: this.client.scrub(`${async.statePath} is ${shown(state.value)}`) };
    return { externalStatus, externalResult: null, classified, response: this.kept(res, options, classified.phase === 'FAILURE') };
  }

  /** An HTTP operation cannot be cancelled in general: an UNDO waits for it to end, then makes its own call. */
  async cancel(): Promise<'accepted' | 'not-cancellable'> {
    return 'not-cancellable';
  }
}
