import { FakeHttpServer, FakeServerOptions, Reply } from './fake-http.server';

/** How a template's jobs behave. */
export interface AwxJobScript {
  /** Status returned by each successive GET of the job; the last one repeats. Default pending, running, successful. */
  statuses?: string[];
  artifacts?: Record<string, unknown>;
  jobExplanation?: string;
  /** Polls a cancelled job still answers `running` before `canceled`; default 1 for a workflow job (its spawned jobs end first), 0 for a job. */
  cancelPolls?: number;
  /** A job template that launches a sliced job answers `workflow_job`. */
  sliced?: boolean;
  /** Every launch fails with this reply (e.g. 400 with `variables_needed_to_start`). */
  launchError?: Reply;
  /** The launch is carried out (the job exists) but this reply goes back instead of the 201: a proxy's 502, a lost answer. */
  lostAnswer?: Reply;
  /** The launch is carried out at once, and its answer sent only once this resolves: a slow AWX. */
  answerHeldUntil?: Promise<void>;
  /**
   * "Prompt on launch" for variables: the template accepts any extra_vars. Without it only an
   * enabled survey's variables are accepted, the rest dropped as AWX does: a job template stores
   * the job without them and lists them in `ignored_fields`, a workflow job template answers 400.
   * Default: true for job templates (the fake's), false for workflow job templates (AWX's).
   */
  askVariablesOnLaunch?: boolean;
  /** An enabled survey's questions. */
  survey?: Array<{ variable: string; required?: boolean }>;
  /** The n-th launch of the template (from 0) behaves as this script says, over the template's (e.g. a first job that fails). */
  perLaunch?: Array<Omit<AwxJobScript, 'perLaunch'>>;
}

export interface AwxFakeJob {
  id: number;
  type: 'job' | 'workflow_job';
  templateId: number;
  extraVars: Record<string, unknown>;
  script: AwxJobScript;
  polls: number;
  status: string;
  cancelRequested: boolean;
  /** Running polls left once cancelled (AwxJobScript.cancelPolls). */
  cancelPollsLeft: number;
  /** When AWX created it (its clock): what `created__gte` compares. */
  created: Date;
  /** A job template's launch that made a workflow job (sliced): listed under slice_workflow_jobs. */
  sliced: boolean;
}

const ACTIVE = ['new', 'pending', 'waiting', 'running'];
const NOT_FOUND: Reply = { status: 404, body: { detail: 'Not found.' } };
/** The lists of a template's launches: the sublist, which templates have it, the job type it holds. */
const LAUNCH_LISTS: Record<string, { templates: string; type: 'job' | 'workflow_job'; sliced?: boolean }> = {
  jobs: { templates: 'job_templates', type: 'job' },
  slice_workflow_jobs: { templates: 'job_templates', type: 'workflow_job', sliced: true },
  workflow_jobs: { templates: 'workflow_job_templates', type: 'workflow_job' },
};
/** Query parameters AWX's list views read themselves; every other one is a field lookup. */
const LIST_PARAMETERS = ['page', 'page_size', 'order_by'];
const MAX_PAGE_SIZE = 200;

/**
 * A small AWX (Automation Controller) API: job and workflow job template launches (201 with
 * `job` / `workflow_job` and `ignored_fields`; GET: the launch view), job status progressions, cancel (202 / 405),
 * DRF-style error bodies, 401 without credentials and the trailing-slash redirect of Django.
 */
export class FakeAwxServer extends FakeHttpServer {
  readonly jobs = new Map<number, AwxFakeJob>();
  private readonly templates = new Map<string, AwxJobScript>();
  private readonly launchCounts = new Map<string, number>();
  private nextJobId = 100;

  constructor(options: FakeServerOptions & { prefix?: string } = {}) {
    super({ username: 'admin', password: 'awx-secret-pw', token: 'awx-secret-token', ...options });
    this.prefix = options.prefix ?? '/api/v2';
  }

  readonly prefix: string;

  jobTemplate(id: number, script: AwxJobScript = {}): this {
    this.templates.set(`job_templates/${id}`, { askVariablesOnLaunch: true, ...script });
    return this;
  }

  workflowJobTemplate(id: number, script: AwxJobScript = {}): this {
    this.templates.set(`workflow_job_templates/${id}`, script);
    return this;
  }

  /** `count` ended jobs of job template `templateId` that others launched at `created` (AWX's clock): a busy template. */
  launchedByOthers(templateId: number, count: number, created: Date): void {
    const script = this.templates.get(`job_templates/${templateId}`) ?? {};
    for (let i = 0; i < count; i += 1) {
      const id = this.nextJobId++;
      this.jobs.set(id, {
        id, type: 'job', templateId, extraVars: { baton_command_id: `other-${id}` }, script, polls: 0, status: 'successful',
        cancelRequested: false, cancelPollsLeft: 0, created, sliced: false,
      });
    }
  }

  job(id: number | string): AwxFakeJob | undefined {
    return this.jobs.get(Number(id));
  }

  launches(): AwxFakeJob[] {
    return [...this.jobs.values()];
  }

  protected unauthorized(missing: boolean): Reply {
    return {
      status: 401, headers: { 'www-authenticate': 'Bearer realm=api authorization_url=/api/o/authorize/' },
      body: { detail: missing ? 'Authentication credentials were not provided.' : 'Invalid username/password.' },
    };
  }

  protected route(method: string, fullPath: string, body: unknown): Reply {
    const [path] = fullPath.split('?');
    if (!path.startsWith(`${this.prefix}/`)) return NOT_FOUND;
    // Django's APPEND_SLASH: AWX answers a path without its trailing slash with a redirect.
    if (!path.endsWith('/')) return { status: 301, headers: { location: `${path}/` } };
    const rest = path.slice(this.prefix.length + 1, -1).split('/');
    const [collection, id, verb] = rest;
    if ((collection === 'job_templates' || collection === 'workflow_job_templates') && verb === 'launch' && rest.length === 3) {
      if (method === 'GET') return this.launchView(collection, Number(id));
      if (method !== 'POST') return { status: 405, body: { detail: `Method "${method}" not allowed.` } };
      return this.launch(collection, Number(id), body);
    }
    if (rest.length === 3 && LAUNCH_LISTS[verb]?.templates === collection) {
      if (method !== 'GET') return { status: 405, body: { detail: `Method "${method}" not allowed.` } };
      if (!this.templates.has(`${collection}/${id}`)) return NOT_FOUND;
      return this.list(path, Number(id), LAUNCH_LISTS[verb], new URLSearchParams(fullPath.split('?')[1] ?? ''));
    }
    if ((collection === 'jobs' || collection === 'workflow_jobs') && rest.length <= 3) {
      const job = this.jobs.get(Number(id));
      if (!job || job.type !== (collection === 'jobs' ? 'job' : 'workflow_job')) return NOT_FOUND;
      if (rest.length === 2 && method === 'GET') return { status: 200, body: this.poll(job) };
      if (verb === 'cancel' && method === 'POST') return this.cancel(job);
      if (verb === 'cancel' && method === 'GET') return { status: 200, body: { can_cancel: ACTIVE.includes(job.status) } };
      return { status: 405, body: { detail: `Method "${method}" not allowed.` } };
    }
    return NOT_FOUND;
  }

  private launch(collection: string, templateId: number, body: unknown): Reply {
    const key = `${collection}/${templateId}`;
    const template = this.templates.get(key);
    if (!template) return NOT_FOUND;
    const n = this.launchCounts.get(key) ?? 0;
    this.launchCounts.set(key, n + 1);
    const script: AwxJobScript = { ...template, ...(template.perLaunch?.[n] ?? {}) };
    if (script.launchError) return script.launchError;
    const answer = this.createJob(collection, templateId, body, script);
    if (answer.status === 201 && script.lostAnswer) return script.lostAnswer;
    return script.answerHeldUntil ? { ...answer, heldUntil: script.answerHeldUntil } : answer;
  }

  /** What a launch would ask (AWX's launch view): the prompts, and the survey's required questions. */
  private launchView(collection: string, templateId: number): Reply {
    const template = this.templates.get(`${collection}/${templateId}`);
    if (!template) return NOT_FOUND;
    const needed = (template.survey ?? []).filter((q) => q.required).map((q) => q.variable);
    return {
      status: 200,
      body: {
        can_start_without_user_input: needed.length === 0, passwords_needed_to_start: [],
        ask_variables_on_launch: !!template.askVariablesOnLaunch, survey_enabled: !!template.survey?.length, variables_needed_to_start: needed,
      },
    };
  }

  /** The extra_vars the template takes, and those it drops (AWX's _accept_or_ignore_variables). */
  private acceptVariables(script: AwxJobScript, extraVars: Record<string, unknown>): { accepted: Record<string, unknown>; rejected: Record<string, unknown> } {
    const asked = new Set((script.survey ?? []).map((q) => q.variable));
    const accepted: Record<string, unknown> = {};
    const rejected: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(extraVars)) (script.askVariablesOnLaunch || asked.has(key) ? accepted : rejected)[key] = value;
    return { accepted, rejected };
  }

  private createJob(collection: string, templateId: number, body: unknown, script: AwxJobScript): Reply {
    const given = ((body as { extra_vars?: unknown })?.extra_vars ?? {}) as Record<string, unknown>;
    const { accepted: extraVars, rejected } = this.acceptVariables(script, given);
    const workflow = collection === 'workflow_job_templates';
    if (workflow && Object.keys(rejected).length) {
      return { status: 400, body: { extra_vars: [`Variables ${Object.keys(rejected).join(', ')} provided but not allowed.`] } };
    }
    const type = workflow || script.sliced ? 'workflow_job' : 'job';
    const id = this.nextJobId++;
    const job: AwxFakeJob = {
      id, type, templateId, extraVars, script, polls: 0, status: 'pending', cancelRequested: false,
      cancelPollsLeft: script.cancelPolls ?? (type === 'workflow_job' ? 1 : 0),
      created: new Date(), sliced: !workflow && type === 'workflow_job',
    };
    this.jobs.set(id, job);
    return {
      status: 201,
      body: {
        [type]: id,
        ignored_fields: Object.keys(rejected).length ? { extra_vars: rejected } : {},
        id, type, url: `${this.prefix}/${type}s/${id}/`, status: 'pending', failed: false,
        extra_vars: JSON.stringify(extraVars),
        job_env: { AWX_SECRET_TOKEN: 'must-never-be-stored' },
      },
    };
  }

  /**
   * A template's launches, as AWX's list views answer: a field lookup on extra_vars refused with
   * 403 (a prevent_search field), `created__gte` applied (other lookups are not modelled: 400);
   * `order_by`, `page_size` (at most 200) and `page`; `extra_vars` in each entry as the JSON text
   * AWX stores. Listing does not move a job's status on.
   */
  private list(path: string, templateId: number, list: (typeof LAUNCH_LISTS)[string], query: URLSearchParams): Reply {
    let jobs = [...this.jobs.values()].filter((j) => j.templateId === templateId && j.type === list.type
      && (list.type === 'job' || j.sliced === !!list.sliced));
    for (const [key, value] of query) {
      if (LIST_PARAMETERS.includes(key)) continue;
      const [field] = key.split('__');
      if (field === 'extra_vars') return { status: 403, body: { detail: 'Filtering on extra_vars is not allowed.' } };
      if (key !== 'created__gte') return { status: 400, body: { detail: `The fake AWX does not model the lookup ${key}.` } };
      jobs = jobs.filter((j) => j.created.getTime() >= Date.parse(value));
    }
    const order = query.get('order_by') ?? 'id';
    jobs.sort((a, b) => (order === '-id' ? b.id - a.id : a.id - b.id));
    const size = Math.min(Number(query.get('page_size') ?? 25), MAX_PAGE_SIZE);
    const page = Number(query.get('page') ?? 1);
    if (!(page >= 1) || (page > 1 && (page - 1) * size >= jobs.length)) return { status: 404, body: { detail: 'Invalid page.' } };
    const pageUrl = (n: number) => { const q = new URLSearchParams(query); q.set('page', String(n)); return `${path}?${q}`; };
    return {
      status: 200,
      body: {
        count: jobs.length,
        next: page * size < jobs.length ? pageUrl(page + 1) : null,
        previous: page > 1 ? pageUrl(page - 1) : null,
        results: jobs.slice((page - 1) * size, page * size).map((j) => this.describe(j)),
      },
    };
  }

  private describe(job: AwxFakeJob): Record<string, unknown> {
    const finished = !ACTIVE.includes(job.status);
    return {
      id: job.id, type: job.type, url: `${this.prefix}/${job.type}s/${job.id}/`, created: job.created.toISOString(),
      name: `template ${job.templateId}`, launch_type: 'manual',
      status: job.status, failed: ['failed', 'error', 'canceled'].includes(job.status),
      started: '2026-11-22T10:00:00Z', finished: finished ? '2026-11-22T10:05:00Z' : null, elapsed: finished ? 300 : 0,
      job_explanation: job.status === 'canceled' ? 'Job was canceled' : job.script.jobExplanation ?? '',
      artifacts: finished ? job.script.artifacts ?? {} : {},
      extra_vars: JSON.stringify(job.extraVars),
    };
  }

  private poll(job: AwxFakeJob): Record<string, unknown> {
    if (job.cancelRequested && ACTIVE.includes(job.status)) {
      if (job.cancelPollsLeft > 0) {
        job.cancelPollsLeft -= 1;
        job.status = 'running';
      } else {
        job.status = 'canceled';
      }
    } else if (!job.cancelRequested) {
      const statuses = job.script.statuses ?? ['pending', 'running', 'successful'];
      job.status = statuses[Math.min(job.polls, statuses.length - 1)];
    }
    job.polls += 1;
    return { ...this.describe(job), job_env: { AWX_SECRET_TOKEN: 'must-never-be-stored' } };
  }

  private cancel(job: AwxFakeJob): Reply {
    if (!ACTIVE.includes(job.status)) return { status: 405, body: { detail: 'Method "POST" not allowed.' } };
    job.cancelRequested = true;
    return { status: 202 };
  }
}
