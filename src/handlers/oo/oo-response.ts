/** Parsing of OO Central responses, kept pure so that every accepted shape is tested. */

const SUMMARY_FIELDS = [
  'executionId', 'executionName', 'flowUuid', 'flowPath', 'status', 'resultStatusType', 'resultStatusName',
  'pauseReason', 'startTime', 'endTime', 'branchesCount', 'roi',
] as const;

export interface OoStatusReading {
  status: string | null;
  resultStatusType: string | null;
  pauseReason?: string;
  flowOutput?: Record<string, unknown>;
  /** What we store: the summary fields (and flow output), nothing else. */
  response: Record<string, unknown>;
}

function keep(entry: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SUMMARY_FIELDS) if (entry[key] !== undefined) out[key] = entry[key];
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/**
 * The id a launch returns: a bare number (`101000011`), a JSON string (`"101000011"`), plain text,
 * or (some versions) an object with executionId. Parsed from the text so long ids keep every digit.
 */
export function parseExecutionId(body: string): string | undefined {
  const text = body.trim();
  if (/^[\w-]+$/.test(text)) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'string' && /^[\w-]+$/.test(parsed.trim())) return parsed.trim();
    if (isObject(parsed)) {
      const id = parsed.executionId ?? parsed.id;
      if ((typeof id === 'string' && /^[\w-]+$/.test(id)) || typeof id === 'number') return String(id);
    }
  } catch {
    // not JSON: not an id either
  }
  return undefined;
}

/** `GET executions/{id}/summary`: an array whose first entry describes the execution. */
export function parseSummary(body: unknown): OoStatusReading | undefined {
  if (!Array.isArray(body)) return undefined;
  const entry: unknown = body[0];
  // Right after a launch the summary can be empty: not known yet, keep polling.
  if (entry === undefined) return { status: null, resultStatusType: null, response: {} };
  if (!isObject(entry)) return undefined;
  return {
    status: str(entry.status), resultStatusType: str(entry.resultStatusType),
    pauseReason: str(entry.pauseReason) ?? undefined, response: keep(entry),
  };
}

/**
 * `GET executions?runName=…`: an array of execution summaries. The ids of those whose
 * executionName ends with `marker`, where OO_KIND.request puts it (OO's own matching of runName is
 * not relied on); undefined when the body is not such an array, or a matching id cannot be read
 * exactly (a number past 2^53). Anywhere in the name, it matched a run whose name (from its template
 * or payload, before its own marker) quoted this one's: that run was followed as this launch's.
 */
export function executionsNamed(body: unknown, marker: string): string[] | undefined {
  if (!Array.isArray(body)) return undefined;
  const ids: string[] = [];
  for (const entry of body) {
    if (!isObject(entry) || typeof entry.executionName !== 'string' || !entry.executionName.endsWith(marker)) continue;
    const id = entry.executionId;
    if (typeof id === 'string' && /^[\w-]+$/.test(id)) ids.push(id);
    else if (typeof id === 'number' && Number.isSafeInteger(id)) ids.push(String(id));
    else return undefined;
  }
  return ids;
}

/** `GET executions/{id}/execution-log`: `{executionSummary: {...}, flowOutput: {...}, ...}`. */
export function parseExecutionLog(body: unknown): OoStatusReading | undefined {
  if (!isObject(body)) return undefined;
  const summary = isObject(body.executionSummary) ? body.executionSummary : body;
  const flowOutput = isObject(body.flowOutput) ? body.flowOutput : undefined;
  const response = keep(summary);
  if (flowOutput) response.flowOutput = flowOutput;
  return {
    status: str(summary.status), resultStatusType: str(summary.resultStatusType),
    pauseReason: str(summary.pauseReason) ?? undefined, flowOutput, response,
  };
}

/** The message in an OO error body (JSON with message/errorMessage/error/...), undefined otherwise. */
export function ooErrorMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed === 'string') return parsed || undefined;
  if (!isObject(parsed)) return undefined;
  for (const key of ['message', 'errorMessage', 'error', 'msg', 'description', 'errorCode']) {
    const value = parsed[key];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}
