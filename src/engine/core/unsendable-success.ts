interface Result {
  status: 'SUCCESS' | 'FAILED';
  output?: unknown;
  error?: string;
  nonRetryable?: boolean;
}

/**
 * A success whose output would make the commands that follow too big for the broker (they carry
 * every earlier output) becomes a final failure of its step: the run cannot move forward with it,
 * and a retry would return the same. Its output is left out, so what the run sends next (its
 * undos) carries only what it did before. Anything else: null, the refusal stands.
 */
export function unsendableSuccessAsFailure<R extends Result>(result: R, why: string): R | null {
  if (result.status !== 'SUCCESS') return null;
  return { ...result, status: 'FAILED', output: undefined, nonRetryable: true, error: `OUTPUT_TOO_LARGE: ${why}` };
}
