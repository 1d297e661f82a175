import { setTimeout as sleep } from 'node:timers/promises';
import { currentTraceHeaders } from './tracing';

export interface BatonConnection {
  /** Baton's base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** An API key issued by Baton (role `service`); not needed when Baton runs with AUTH_MODE=off. */
  apiKey?: string;
}

export class BatonHttpError extends Error {
  constructor(readonly status: number, body: string, what: string) {
    super(`${what} answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'BatonHttpError';
  }
}

/**
 * Statuses that say the request itself is refused, so the same request is refused again: not 401
 * or 403 (a key an operator can fix), 404 (a lease another instance may hold), 408, 409 or 429
 * (a moment's state).
 */
const NOT_FOR_GOOD = new Set([401, 403, 404, 408, 409, 429]);

/** Whether Baton refused the request for what it carries, so sending it again cannot help. */
export function refusedForGood(error: unknown): error is BatonHttpError {
  return error instanceof BatonHttpError && error.status >= 400 && error.status < 500 && !NOT_FOR_GOOD.has(error.status);
}

const RETRIES = 3;

/** Baton's REST API as the SDK uses it: JSON in and out, bearer key, retries on network errors and 5xx. */
export class BatonClient {
  private readonly base: string;

  constructor(private readonly connection: BatonConnection, readonly service: string) {
    this.base = connection.url.replace(/\/+$/, '');
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(method, path, body, signal);
      } catch (error) {
        const retriable = !(error instanceof BatonHttpError) || error.status >= 500 || error.status === 429;
        if (!retriable || attempt >= RETRIES || signal?.aborted) throw error;
        await sleep(200 * 2 ** (attempt - 1));
      }
    }
  }

  private async once<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    // Inside a handler span, a reply or heartbeat carries its trace context back to Baton.
    const headers: Record<string, string> = { accept: 'application/json', 'x-service-name': this.service, ...currentTraceHeaders() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.connection.apiKey) headers.authorization = `Bearer ${this.connection.apiKey}`;
    const response = await fetch(`${this.base}${path}`, {
      method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new BatonHttpError(response.status, text, `${method} ${path}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
