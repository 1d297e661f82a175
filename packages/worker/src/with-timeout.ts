/** The error withTimeout rejects with, so that a caller can tell a call that took too long from one that failed. */
export class TimeoutError extends Error {}

/** Rejects when `promise` has not settled within `ms`: a guard against calls that could wait forever. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
