import type { z } from 'zod';
import type { RetryPolicy } from '../../engine/core/plan';
import { httpHandlerSchema } from '../../registry/document/http-handler.schema';
import type { HandlerSettings } from '../handlers-config';
import type { LaunchRetryPolicy } from '../launch-backoff';

export type HttpCallSpec = z.output<typeof httpHandlerSchema>;

/** Kept on the job row (options.http): never a credential. */
export interface HttpCallOptions {
  timeoutMs: number;
  successStatus?: number[];
  successPath?: string;
  successEquals?: unknown;
  outputHeaders: string[];
  async?: NonNullable<HttpCallSpec['async']>;
  /** The Idempotency-Key of the call, fixed at its first launch (firstCallKey); absent on older rows: the step's. */
  idempotencyKey?: string;
  /** Set once a 202 named its status URL. */
  statusPath?: string;
  statusSearch?: string;
}

/** What is sent, kept on the job row (request_payload) after placeholders were filled in. */
export interface StoredCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
}

/** Parses a stored `http` handler (the registry validated it; rows and templates may be older). */
export function parseHttpCallSpec(handler: unknown): HttpCallSpec | string {
  const parsed = httpHandlerSchema.safeParse(handler);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return `invalid http handler: ${issue.path.join('.') || '(handler)'} ${issue.message}`;
}

/**
 * The retries of an http call: the step's retry policy when it declares one (its attempts and
 * backoff are spent on network errors, 5xx and 429 only), else the HANDLER_LAUNCH_* defaults.
 */
export function callRetryPolicy(retry: RetryPolicy | null | undefined, s: HandlerSettings): LaunchRetryPolicy {
  if (!retry) {
    return { maxAttempts: s.HANDLER_LAUNCH_MAX_ATTEMPTS, initialDelayMs: s.HANDLER_LAUNCH_BACKOFF_INITIAL_MS,
      multiplier: s.HANDLER_LAUNCH_BACKOFF_MULTIPLIER, maxDelayMs: s.HANDLER_LAUNCH_BACKOFF_MAX_MS };
  }
  return {
    maxAttempts: retry.maxAttempts, initialDelayMs: Math.round(retry.initialDelaySeconds * 1000),
    multiplier: retry.backoff === 'fixed' ? 1 : 2, maxDelayMs: Math.round(retry.maxDelaySeconds * 1000),
  };
}
