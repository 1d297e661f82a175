import { FakeHttpServer, FakeServerOptions, Reply } from './fake-http.server';

export interface OoState {
  status: string;
  resultStatusType?: string | null;
}

/** How a flow's executions behave. */
export interface OoFlowScript {
  /** State returned by each successive status read; the last one repeats. Default RUNNING, RUNNING, COMPLETED/RESOLVED. */
  states?: OoState[];
  flowOutput?: Record<string, string>;
  /** How the launch returns the id: a JSON number (default), a JSON string, or plain text. */
  idFormat?: 'number' | 'string' | 'text';
  /** Inputs that must be given, else 400. */
  requiredInputs?: string[];
  /** The first N summary reads return [] (an execution not visible yet). */
  emptySummaries?: number;
  pauseReason?: string;
  /** The n-th launch of the flow (from 0) is carried out, but this reply goes back instead of the id: a proxy's 502, a lost answer. */
  lostAnswers?: Record<number, Reply>;
}

export interface OoFakeExecution {
  id: string;
  flowUuid: string;
  runName: string;
  inputs: Record<string, string>;
  script: OoFlowScript;
  reads: number;
  emptyReads: number;
  state: OoState;
  cancelRequested: boolean;
}

const ACTIVE = ['RUNNING', 'PAUSED', 'PENDING_PAUSE', 'PENDING_CANCEL'];

/**
 * A small OO Central REST API: POST executions (bare id), GET executions?runName=… (an array of
 * summaries), GET executions/{id}/summary (array) and executions/{id}/execution-log, PUT
 * executions/{id}/status {"action": "CANCEL"|"RESUME"}; Basic auth (401 with WWW-Authenticate
 * without it).
 */
export class FakeOoServer extends FakeHttpServer {
  readonly executions = new Map<string, OoFakeExecution>();
  readonly prefix: string;
  private readonly flows = new Map<string, OoFlowScript>();
  private readonly launchCounts = new Map<string, number>();
  private nextId = 101000011;

  constructor(options: FakeServerOptions & { prefix?: string } = {}) {
    super({ username: 'oo-admin', password: 'oo-secret-pw', ...options });
    this.prefix = options.prefix ?? '/oo/rest/v2';
  }

  flow(uuid: string, script: OoFlowScript = {}): this {
    this.flows.set(uuid, script);
    return this;
  }

  execution(id: string): OoFakeExecution | undefined {
    return this.executions.get(id);
  }

  launches(): OoFakeExecution[] {
    return [...this.executions.values()];
  }

  protected unauthorized(): Reply {
    return { status: 401, headers: { 'www-authenticate': 'Basic realm="Central"' }, body: { message: 'Full authentication is required to access this resource' } };
  }

  protected route(method: string, fullPath: string, body: unknown): Reply {
    const [path] = fullPath.split('?');
    if (!path.startsWith(`${this.prefix}/executions`)) return { status: 404, body: { message: `No handler for ${path}` } };
    const rest = path.slice(`${this.prefix}/executions`.length).split('/').filter(Boolean);
    if (rest.length === 0 && method === 'POST') return this.launch(body);
    if (rest.length === 0 && method === 'GET') return this.list(new URLSearchParams(fullPath.split('?')[1] ?? ''));
    const execution = this.executions.get(rest[0] ?? '');
    if (!execution) return { status: 404, body: { errorCode: 'NOT_FOUND', message: `Execution ${rest[0]} not found` } };
    if (rest[1] === 'summary' && method === 'GET') return { status: 200, body: this.summary(execution) };
    if (rest[1] === 'execution-log' && method === 'GET') {
      const summary = this.read(execution);
      return { status: 200, body: { executionSummary: summary, flowOutput: execution.script.flowOutput ?? {}, flowVars: [] } };
    }
    if (rest[1] === 'status' && method === 'PUT') return this.changeStatus(execution, body);
    return { status: 405, body: { message: `${method} not supported` } };
  }

  private launch(body: unknown): Reply {
    const req = (body ?? {}) as { flowUuid?: string; runName?: string; inputs?: Record<string, string> };
    const script = req.flowUuid ? this.flows.get(req.flowUuid) : undefined;
    if (!script) return { status: 404, body: { errorCode: 'NOT_FOUND', message: `Flow ${req.flowUuid} was not found` } };
    const missing = (script.requiredInputs ?? []).filter((i) => req.inputs?.[i] === undefined);
    if (missing.length) return { status: 400, body: { errorCode: 'BAD_REQUEST', message: `Missing required inputs: ${missing.join(', ')}` } };
    const id = String(this.nextId++);
    this.executions.set(id, {
      id, flowUuid: req.flowUuid!, runName: req.runName ?? '', inputs: req.inputs ?? {}, script, reads: 0, emptyReads: 0,
      state: { status: 'RUNNING', resultStatusType: null }, cancelRequested: false,
    });
    const n = this.launchCounts.get(req.flowUuid!) ?? 0;
    this.launchCounts.set(req.flowUuid!, n + 1);
    const lost = script.lostAnswers?.[n];
    if (lost) return lost;
    const format = script.idFormat ?? 'number';
    return format === 'string' ? { status: 201, body: JSON.stringify(id), contentType: 'application/json' }
      : format === 'text' ? { status: 201, body: id, contentType: 'text/plain' }
        : { status: 201, body: id, contentType: 'application/json' };
  }

  /**
   * Executions by run name, newest first, as summaries (reading them moves nothing on). The fake
   * matches a run name containing the one asked for; OO's own matching is not documented
   * precisely, so clients must check each name. `pageSize` (default 50) and `pageNum` (from 1).
   */
  private list(query: URLSearchParams): Reply {
    const runName = query.get('runName');
    const all = [...this.executions.values()].filter((e) => runName === null || e.runName.includes(runName)).reverse();
    const size = Number(query.get('pageSize') ?? 50);
    const page = Number(query.get('pageNum') ?? 1);
    return { status: 200, body: all.slice((page - 1) * size, page * size).map((e) => this.describe(e)) };
  }

  private read(e: OoFakeExecution): Record<string, unknown> {
    if (e.state.status === 'PENDING_CANCEL') e.state = { status: 'CANCELED', resultStatusType: null };
    else if (!e.cancelRequested && e.state.status !== 'CANCELED') {
      const states = e.script.states ?? [{ status: 'RUNNING' }, { status: 'RUNNING' }, { status: 'COMPLETED', resultStatusType: 'RESOLVED' }];
      e.state = states[Math.min(e.reads, states.length - 1)];
    }
    e.reads += 1;
    return this.describe(e);
  }

  private describe(e: OoFakeExecution): Record<string, unknown> {
    const ended = !ACTIVE.includes(e.state.status);
    return {
      executionId: e.id, branchId: null, executionName: e.runName, flowUuid: e.flowUuid, flowPath: `Library/${e.flowUuid}.sl`,
      status: e.state.status, resultStatusType: e.state.resultStatusType ?? null, resultStatusName: e.state.resultStatusType ?? null,
      pauseReason: e.state.status === 'PAUSED' ? e.script.pauseReason ?? 'USER_PAUSED' : null,
      owner: 'oo-admin', ownerDisplayName: 'OO Admin', triggeredBy: 'oo-admin',
      startTime: 1795400000000, endTime: ended ? 1795400300000 : null, branchesCount: 0, roi: 0,
    };
  }

  private summary(e: OoFakeExecution): unknown[] {
    if (e.emptyReads < (e.script.emptySummaries ?? 0)) {
      e.emptyReads += 1;
      return [];
    }
    return [this.read(e)];
  }

  private changeStatus(e: OoFakeExecution, body: unknown): Reply {
    const action = (body as { action?: string })?.action;
    if (action === 'CANCEL') {
      if (e.state.status === 'PAUSED') e.state = { status: 'CANCELED', resultStatusType: null };
      else if (e.state.status === 'RUNNING' || e.state.status === 'PENDING_PAUSE') e.state = { status: 'PENDING_CANCEL', resultStatusType: null };
      else return { status: 400, body: { errorCode: 'BAD_REQUEST', message: `Execution ${e.id} is ${e.state.status} and cannot be canceled` } };
      e.cancelRequested = true;
      return { status: 200 };
    }
    if (action === 'RESUME' && e.state.status === 'PAUSED') {
      e.state = { status: 'RUNNING', resultStatusType: null };
      return { status: 200 };
    }
    return { status: 400, body: { errorCode: 'BAD_REQUEST', message: `Cannot ${action} execution ${e.id} in status ${e.state.status}` } };
  }
}
