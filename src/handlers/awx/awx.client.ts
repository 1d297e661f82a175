import { HandlerHttpError, UnreadableLaunchAnswer, UnreadableStatusAnswer } from '../http/handler-http-error';
import { PARTNER_TEXT_LENGTHS } from '../job-execution.entity';
import type { HttpResponse, HttpTransport } from '../http/http-transport';
import { awxErrorMessage } from './awx-errors';
import { readJobListPage } from './awx-job-list';
import { keepsLaunchVariable } from './awx-launch-settings';

export type AwxTemplateKind = 'job_template' | 'workflow_job_template';
export type AwxJobKind = 'job' | 'workflow_job';

/** Fields of a job we keep (stored as the response payload): never extra_vars or job_env. */
const KEPT_FIELDS = [
  'id', 'type', 'url', 'name', 'status', 'failed', 'started', 'finished', 'elapsed', 'job_explanation',
  'launch_type', 'artifacts', 'ignored_fields', 'job_template', 'workflow_job_template', 'unified_job_template',
] as const;

export interface AwxLaunchResult {
  jobId: string;
  jobType: AwxJobKind;
  /** Fields AWX dropped from the launch request (not prompted on launch); warn when non-empty. */
  ignoredFields: Record<string, unknown>;
  response: Record<string, unknown>;
}

export interface AwxJob {
  id: string;
  type: AwxJobKind;
  status: string;
  artifacts?: unknown;
  jobExplanation?: string;
  response: Record<string, unknown>;
}

const TEMPLATE_PATH: Record<AwxTemplateKind, string> = { job_template: 'job_templates', workflow_job_template: 'workflow_job_templates' };
const JOB_PATH: Record<AwxJobKind, string> = { job: 'jobs', workflow_job: 'workflow_jobs' };
/**
 * Where a template's launches are listed. A sliced job template's launch makes a workflow job,
 * listed apart (its slices are jobs of the template too, but spawned by that workflow job).
 */
const LAUNCH_LISTS: Record<AwxTemplateKind, Array<[string, AwxJobKind]>> = {
  job_template: [['slice_workflow_jobs', 'workflow_job'], ['jobs', 'job']],
  workflow_job_template: [['workflow_jobs', 'workflow_job']],
};
/** AWX's largest page. A lookup reads one page per list, so that it and the launch fit one claim's lease. */
const LIST_PAGE_SIZE = 200;
/** The marker every traced launch carries in its extra_vars. */
const MARKER_VARIABLE = 'baton_command_id';
/** The most exchanges findLaunched makes: one page of each list, then the template's launch view. */
export const AWX_LOOKUP_EXCHANGES = Math.max(...Object.values(LAUNCH_LISTS).map((lists) => lists.length)) + 1;

function keep(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEPT_FIELDS) if (body[key] !== undefined) out[key] = body[key];
  return out;
}

function objectOf(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // not JSON: not an object either
  }
  return undefined;
}

const NOT_AN_OBJECT = 'unexpected response body (not a JSON object)';

function parseObject(res: HttpResponse, what: string): Record<string, unknown> {
  const body = objectOf(res.text);
  if (!body) throw new HandlerHttpError(res.status, false, `${what}: ${NOT_AN_OBJECT}`);
  return body;
}

/** A job id Baton cannot track: cut to fit its column, it would name another job. */
const tooLong = (jobId: string) => jobId.length > PARTNER_TEXT_LENGTHS.externalJobId;
const TOO_LONG = `the job id is longer than ${PARTNER_TEXT_LENGTHS.externalJobId} characters and cannot be tracked`;

function idOf(value: unknown): string | undefined {
  return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^\d+$/.test(value))
    ? String(value) : undefined;
}

/** AWX / Automation Controller REST client. Every path ends in a slash, as AWX routes require. */
export class AwxClient {
  constructor(private readonly http: HttpTransport) {}

  async launch(kind: AwxTemplateKind, templateId: number, extraVars: Record<string, unknown>): Promise<AwxLaunchResult> {
    const what = `AWX launch of ${kind} ${templateId}`;
    const res = await this.http.send('POST', `/${TEMPLATE_PATH[kind]}/${templateId}/launch/`, { body: { extra_vars: extraVars }, what, startsJob: true });
    if (res.status < 200 || res.status >= 300) throw this.http.errorFor(res, what, awxErrorMessage);
    // AWX accepted the launch: an answer that names no job Baton can follow is lost, not a failure.
    const unreadable = (why: string) => new UnreadableLaunchAnswer(res.status, `${what}: ${why}`);
    const body = objectOf(res.text);
    if (!body) throw unreadable(NOT_AN_OBJECT);
    // A job template answers `job`, a workflow (and a sliced job template) `workflow_job`.
    const workflowJob = idOf(body.workflow_job);
    const job = idOf(body.job);
    const jobType: AwxJobKind | undefined = workflowJob ? 'workflow_job' : job ? 'job'
      : body.type === 'job' || body.type === 'workflow_job' ? body.type : undefined;
    const jobId = workflowJob ?? job ?? idOf(body.id);
    if (!jobType || !jobId) throw unreadable('the response names no job or workflow_job');
    if (tooLong(jobId)) throw unreadable(TOO_LONG);
    const ignored = body.ignored_fields;
    const ignoredFields = ignored && typeof ignored === 'object' && !Array.isArray(ignored) ? ignored as Record<string, unknown> : {};
    return { jobId, jobType, ignoredFields, response: { ...keep(body), [jobType]: Number(jobId) } };
  }

  /**
   * The job (or workflow job) of a template launched with `baton_command_id` = `commandId` and
   * created since `since`, or null. AWX refuses filters on extra_vars (403 "Filtering on
   * extra_vars is not allowed"), so the template's launches are listed oldest first and their
   * extra_vars (a JSON text) read here: the first match is the first launch. A full page without
   * one proves nothing, and neither does an empty list from a template that drops the marker: both
   * throw, so that the launch is not made again beside a job that may run.
   */
  async findLaunched(kind: AwxTemplateKind, templateId: number, commandId: string, since: Date): Promise<(AwxLaunchResult & { matches: number }) | null> {
    for (const [list, jobType] of LAUNCH_LISTS[kind]) {
      const what = `AWX lookup of the ${list} of ${kind} ${templateId}`;
      const query = `created__gte=${encodeURIComponent(since.toISOString())}&order_by=id&page_size=${LIST_PAGE_SIZE}`;
      const res = await this.http.send('GET', `/${TEMPLATE_PATH[kind]}/${templateId}/${list}/?${query}`, { what });
      if (res.status !== 200) throw this.http.errorFor(res, what, awxErrorMessage);
      const read = readJobListPage(parseObject(res, what), commandId);
      if (!read) throw new HandlerHttpError(res.status, false, `${what}: the response is not a job list`);
      const matches = read.matches.filter((entry) => idOf(entry.id) !== undefined);
      if (matches.length) {
        const jobId = idOf(matches[0].id)!;
        // Found, and not to be followed: the step fails for good (Launch outcome unknown), launching nothing beside it.
        if (tooLong(jobId)) throw new HandlerHttpError(res.status, false, `${what}: ${TOO_LONG}`);
        return { jobId, jobType, ignoredFields: {}, response: { ...keep(matches[0]), [jobType]: Number(jobId) }, matches: matches.length };
      }
      if (read.more) {
        throw new HandlerHttpError(res.status, false, `${what}: more than ${LIST_PAGE_SIZE} launches since ${since.toISOString()}, none of them this one`);
      }
    }
    if (!(await this.keepsVariable(kind, templateId, MARKER_VARIABLE))) {
      throw new HandlerHttpError(200, false, `${kind} ${templateId} drops ${MARKER_VARIABLE} from its launches, so none can be found by it `
        + '(enable Prompt on launch for variables)');
    }
    return null;
  }

  /** Whether the template keeps `variable` in a launch's extra_vars (see keepsLaunchVariable). */
  private async keepsVariable(kind: AwxTemplateKind, templateId: number, variable: string): Promise<boolean> {
    const what = `AWX launch settings of ${kind} ${templateId}`;
    const res = await this.http.send('GET', `/${TEMPLATE_PATH[kind]}/${templateId}/launch/`, { what });
    if (res.status !== 200) throw this.http.errorFor(res, what, awxErrorMessage);
    const keeps = keepsLaunchVariable(parseObject(res, what), variable);
    if (keeps === undefined) throw new HandlerHttpError(res.status, false, `${what}: the response has no ask_variables_on_launch`);
    return keeps;
  }

  async getJob(jobType: AwxJobKind, jobId: string): Promise<AwxJob> {
    const what = `AWX status of ${jobType} ${jobId}`;
    const res = await this.http.send('GET', `/${JOB_PATH[jobType]}/${encodeURIComponent(jobId)}/`, { what });
    if (res.status !== 200) throw this.http.errorFor(res, what, awxErrorMessage);
    const body = objectOf(res.text);
    if (!body) throw new UnreadableStatusAnswer(res.status, `${what}: ${NOT_AN_OBJECT}`);
    if (typeof body.status !== 'string') throw new UnreadableStatusAnswer(res.status, `${what}: the response has no status`);
    // AWX's own error text, which becomes the step's error and is kept: it may quote a credential.
    const jobExplanation = typeof body.job_explanation === 'string' && body.job_explanation ? this.http.scrubPartnerText(body.job_explanation) : undefined;
    const response = keep(body);
    if (jobExplanation) response.job_explanation = jobExplanation;
    return { id: jobId, type: jobType, status: body.status, artifacts: body.artifacts, jobExplanation, response };
  }

  /** 202: cancel accepted (keep polling: a workflow job cancels after its spawned jobs); 405: not cancellable. */
  async cancel(jobType: AwxJobKind, jobId: string): Promise<'accepted' | 'not-cancellable'> {
    const what = `AWX cancel of ${jobType} ${jobId}`;
    const res = await this.http.send('POST', `/${JOB_PATH[jobType]}/${encodeURIComponent(jobId)}/cancel/`, { what });
    if (res.status === 202 || res.status === 200 || res.status === 204) return 'accepted';
    if (res.status === 405) return 'not-cancellable';
    throw this.http.errorFor(res, what, awxErrorMessage);
  }
}
