/** A step's settings in words, for the steps table (the diff keeps the JSON). */

interface RetryPolicy { maxAttempts?: unknown; backoff?: unknown; initialDelaySeconds?: unknown; maxDelaySeconds?: unknown }

const seconds = (v: unknown) => `${String(v)} s`;

/**
 * `2 attempts, fixed 0 s`, or `5 attempts, exponential 2 s to 120 s`; null for no retry policy.
 * A policy in a shape this console does not know is shown as its JSON rather than guessed at.
 */
export function retryText(retry: unknown): string | null {
  if (retry === null || retry === undefined) return null;
  const r = retry as RetryPolicy;
  if (typeof retry !== 'object' || typeof r.maxAttempts !== 'number') return JSON.stringify(retry);
  const attempts = `${r.maxAttempts} attempt${r.maxAttempts === 1 ? '' : 's'}`;
  if (r.backoff === 'fixed' && r.initialDelaySeconds !== undefined) return `${attempts}, fixed ${seconds(r.initialDelaySeconds)}`;
  if (r.backoff === 'exponential' && r.initialDelaySeconds !== undefined) {
    return `${attempts}, exponential ${seconds(r.initialDelaySeconds)}${r.maxDelaySeconds !== undefined ? ` to ${seconds(r.maxDelaySeconds)}` : ''}`;
  }
  return typeof r.backoff === 'string' ? `${attempts}, ${r.backoff}` : attempts;
}

/** What the step failing for good does to the run, in words (compensate is the default). */
export function onFailureText(onFailure: string | undefined): string {
  if (onFailure === 'pause') return 'pause the run';
  if (onFailure === undefined || onFailure === 'compensate') return 'compensate';
  return onFailure;
}
