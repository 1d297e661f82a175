import type { OoStatusEndpoint } from '../handlers-config';
import { HandlerHttpError, UnreadableLaunchAnswer, UnreadableStatusAnswer } from '../http/handler-http-error';
import { PARTNER_TEXT_LENGTHS } from '../job-execution.entity';
import type { HttpResponse, HttpTransport } from '../http/http-transport';
import { executionsNamed, ooErrorMessage, OoStatusReading, parseExecutionId, parseExecutionLog, parseSummary } from './oo-response';

export interface OoLaunchResult {
  executionId: string;
  response: Record<string, unknown>;
}

/** One page of executions read by a lookup: a run name names one execution, or a few after lost launches. */
const LOOKUP_PAGE_SIZE = 50;
/** The exchanges findExecutions makes: that one page. */
export const OO_LOOKUP_EXCHANGES = 1;

/** The answer's JSON; `unreadable` makes the error thrown when it is not JSON (by default one that fails the step). */
function parseJson(res: HttpResponse, what: string,
  unreadable = (message: string): HandlerHttpError => new HandlerHttpError(res.status, false, message)): unknown {
  try {
    return JSON.parse(res.text);
  } catch {
    throw unreadable(`${what}: unexpected response body (not JSON)`);
  }
}

/** Operations Orchestration (OO Central) REST client: start, read status, cancel an execution. */
export class OoClient {
  constructor(private readonly http: HttpTransport) {}

  async launch(flowUuid: string, runName: string, inputs: Record<string, string>): Promise<OoLaunchResult> {
    const what = `OO launch of flow ${flowUuid}`;
    const res = await this.http.send('POST', '/executions', { body: { flowUuid, runName, inputs }, what, startsJob: true });
    if (res.status < 200 || res.status >= 300) throw this.http.errorFor(res, what, ooErrorMessage);
    // OO accepted the launch: an answer that names no execution Baton can follow is lost, not a failure.
    const executionId = parseExecutionId(res.text);
    if (!executionId) throw new UnreadableLaunchAnswer(res.status, `${what}: the response is not an execution id`);
    // Cut to fit its column, it would name another execution: looked for instead, which fails the step for good (findExecutions).
    if (executionId.length > PARTNER_TEXT_LENGTHS.externalJobId) throw new UnreadableLaunchAnswer(res.status, `${what}: the execution id is longer than ${PARTNER_TEXT_LENGTHS.externalJobId} characters and cannot be tracked`);
    return { executionId, response: { executionId } };
  }

  /**
   * The ids of the executions named `runName` whose name ends with `marker`. A full page that names
   * none of them proves nothing (OO may not have filtered by runName): an error, not an empty answer.
   */
  async findExecutions(runName: string, marker: string): Promise<string[]> {
    const what = `OO lookup of executions named '${runName}'`;
    const res = await this.http.send('GET', `/executions?runName=${encodeURIComponent(runName)}&pageSize=${LOOKUP_PAGE_SIZE}`, { what });
    if (res.status !== 200) throw this.http.errorFor(res, what, ooErrorMessage);
    const body = parseJson(res, what);
    const ids = executionsNamed(body, marker);
    if (!ids) throw new HandlerHttpError(res.status, false, `${what}: unexpected response shape (not a list of executions with exact ids)`);
    if (ids.some((id) => id.length > PARTNER_TEXT_LENGTHS.externalJobId)) {
      throw new HandlerHttpError(res.status, false, `${what}: an execution id is longer than ${PARTNER_TEXT_LENGTHS.externalJobId} characters and cannot be tracked`);
    }
    if (!ids.length && (body as unknown[]).length >= LOOKUP_PAGE_SIZE) {
      throw new HandlerHttpError(res.status, false, `${what}: a full page of ${LOOKUP_PAGE_SIZE} executions, none of them this launch's`);
    }
    return ids;
  }

  async getStatus(executionId: string, endpoint: OoStatusEndpoint): Promise<OoStatusReading> {
    const what = `OO status of execution ${executionId}`;
    const res = await this.http.send('GET', `/executions/${encodeURIComponent(executionId)}/${endpoint}`, { what });
    if (res.status !== 200) throw this.http.errorFor(res, what, ooErrorMessage);
    const unreadable = (message: string) => new UnreadableStatusAnswer(res.status, message);
    const body = parseJson(res, what, unreadable);
    const reading = endpoint === 'summary' ? parseSummary(body) : parseExecutionLog(body);
    if (!reading) throw unreadable(`${what}: unexpected ${endpoint} response shape`);
    if (!reading.pauseReason) return reading;
    // OO's own text, which becomes the step's error and is kept: it may quote a credential.
    const pauseReason = this.http.scrubPartnerText(reading.pauseReason);
    return { ...reading, pauseReason, response: { ...reading.response, pauseReason } };
  }

  /**
   * `PUT executions/{id}/status` with `{"action": "CANCEL"}` (the same resource takes PAUSE and
   * RESUME). RUNNING/PENDING_PAUSE go to PENDING_CANCEL, PAUSED to CANCELED: keep polling.
   * A 400/409 means the execution can no longer be cancelled (it has ended).
   */
  async cancel(executionId: string): Promise<'accepted' | 'not-cancellable'> {
    const what = `OO cancel of execution ${executionId}`;
    const res = await this.http.send('PUT', `/executions/${encodeURIComponent(executionId)}/status`, { body: { action: 'CANCEL' }, what });
    if (res.status >= 200 && res.status < 300) return 'accepted';
    if (res.status === 400 || res.status === 409) return 'not-cancellable';
    throw this.http.errorFor(res, what, ooErrorMessage);
  }
}
