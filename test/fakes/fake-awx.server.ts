import { FakeHttpServer, FakeServerOptions, Reply } from './fake-http.server';

/** How a template's jobs behave. */
export interface AwxJobScript {
  /** Status returned by each successive GET of the job; the last one repeats. Default pending, running, successful. */
  statuses?: string[];
  artifacts?: Record<string, unknown>;
  jobExplanation?: string;
  /** Returned as `ignored_fields` by the launch (AWX drops extra_vars a job template does not prompt for). */
  ignoredFields?: Record<string, unknown>;
  /** A job template that launches a sliced job answers `workflow_job`. */
  sliced?: boolean;
  /** Every launch fails with this reply (e.g. 400 with `variables_needed_to_start`). */
  launchError?: Reply;
  /** Workflow job templates: extra_vars are rejected with 400 unless true (as AWX does without "prompt on launch"). */
  askVariablesOnLaunch?: boolean;
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
  /** Workflow jobs reach `canceled` only after their spawned jobs end: one more running poll. */
  cancelPollsLeft: number;
}

const ACTIVE = ['new', 'pending', 'waiting', 'running'];
const NOT_FOUND: Reply = { status: 404, body: { detail: 'Not found.' } };

/**
 * A small AWX (Automation Controller) API: job and workflow job template launches (201 with
 * `job` / `workflow_job` and `ignored_fields`), job status progressions, cancel (202 / 405),
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
    this.templates.set(`job_templates/${id}`, script);
    return this;
  }

  workflowJobTemplate(id: number, script: AwxJobScript = {}): this {
    this.templates.set(`workflow_job_templates/${id}`, script);
    return this;
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
      if (method !== 'POST') return { status: 405, body: { detail: `Method "${method}" not allowed.` } };
      return this.launch(collection, Number(id), body);
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
    const extraVars = ((body as { extra_vars?: unknown })?.extra_vars ?? {}) as Record<string, unknown>;
    const workflow = collection === 'workflow_job_templates';
    if (workflow && !script.askVariablesOnLaunch && Object.keys(extraVars).length) {
      return { status: 400, body: { extra_vars: [`Variables ${Object.keys(extraVars).join(', ')} provided but not allowed.`] } };
    }
    const type = workflow || script.sliced ? 'workflow_job' : 'job';
    const id = this.nextJobId++;
    const job: AwxFakeJob = {
      id, type, templateId, extraVars, script, polls: 0, status: 'pending', cancelRequested: false, cancelPollsLeft: 1,
    };
    this.jobs.set(id, job);
    return {
      status: 201,
      body: {
        [type]: id,
        ignored_fields: script.ignoredFields ?? {},
        id, type, url: `${this.prefix}/${type}s/${id}/`, status: 'pending', failed: false,
        extra_vars: JSON.stringify(extraVars),
        job_env: { AWX_SECRET_TOKEN: 'must-never-be-stored' },
      },
    };
  }

  private poll(job: AwxFakeJob): Record<string, unknown> {
    if (job.cancelRequested && ACTIVE.includes(job.status)) {
      if (job.type === 'workflow_job' && job.cancelPollsLeft > 0) {
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
    const finished = !ACTIVE.includes(job.status);
    return {
      id: job.id, type: job.type, url: `${this.prefix}/${job.type}s/${job.id}/`, name: `template ${job.templateId}`,
      status: job.status, failed: ['failed', 'error', 'canceled'].includes(job.status),
      started: '2026-11-22T10:00:00Z', finished: finished ? '2026-11-22T10:05:00Z' : null, elapsed: finished ? 300 : 0,
      job_explanation: job.status === 'canceled' ? 'Job was canceled' : job.script.jobExplanation ?? '',
      artifacts: finished ? job.script.artifacts ?? {} : {},
      extra_vars: JSON.stringify(job.extraVars),
      job_env: { AWX_SECRET_TOKEN: 'must-never-be-stored' },
    };
  }

  private cancel(job: AwxFakeJob): Reply {
    if (!ACTIVE.includes(job.status)) return { status: 405, body: { detail: 'Method "POST" not allowed.' } };
    job.cancelRequested = true;
    return { status: 202 };
  }
}
