/** One attempt of a step, as every record of it names it. */
export interface AttemptRef {
  flowId: string;
  stepName: string;
  action: string;
  /** Absent from a reply in the original format, which means the attempt in flight. */
  attempt?: number;
}

/**
 * The fields a log line about one attempt carries, with the names the README's log fields give
 * (`step`, not `stepName`), so that a search by flowId and step finds every line of the attempt.
 */
export function attemptFields(a: AttemptRef): { flowId: string; step: string; action: string; attempt?: number } {
  return { flowId: a.flowId, step: a.stepName, action: a.action, attempt: a.attempt };
}
