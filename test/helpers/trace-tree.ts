/** A finished span as the tests read it, whether from the in-memory exporter or an OTLP receiver. */
export interface SeenSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  links: Array<{ spanId: string }>;
  service: string;
}

/** The one span named `name` whose attributes include `attrs`; throws when there is none or several. */
export function oneSpan<S extends SeenSpan>(spans: S[], name: string, attrs: Record<string, unknown> = {}): S {
  const found = spans.filter((s) => s.name === name && Object.entries(attrs).every(([k, v]) => s.attributes[k] === v));
  if (found.length !== 1) {
    throw new Error(`expected one span ${name} ${JSON.stringify(attrs)}, found ${found.length} among: `
      + spans.map((s) => `${s.name}${s.attributes['baton.step'] ? `(${String(s.attributes['baton.step'])})` : ''}`).join(', '));
  }
  return found[0];
}

/** Asserts `child`'s parent is `parent`, saying which spans were involved when not. */
export function expectChildOf(child: SeenSpan, parent: SeenSpan): void {
  if (child.parentSpanId !== parent.spanId || child.traceId !== parent.traceId) {
    throw new Error(`${child.name} (${String(child.attributes['baton.step'] ?? '')}) is not a child of ${parent.name} `
      + `(${String(parent.attributes['baton.step'] ?? '')}): parent ${child.parentSpanId ?? 'none'}, expected ${parent.spanId}`);
  }
}

/**
 * The chain a sequential run of worker steps must show: the request, the run's start, then per
 * step its dispatch, the worker's handler span and the reply, each the child of the one before;
 * the next step's dispatch under the previous reply; the run span under the start, linked to the
 * last reply. Returns the spans of the chain in order.
 */
export interface ChainOptions {
  /** The worker posted its replies to Baton over HTTP: each reply's parent is that request's span, a child of the handler's. */
  viaHttp?: boolean;
  /** Built-in (http, AWX, OO) steps: their dispatch has `job …` spans as children, one of which is the reply's parent. */
  builtIn?: string[];
}

export function expectRunChain<S extends SeenSpan>(spans: S[], flowId: string, steps: string[], action = 'DO',
  { viaHttp = false, builtIn = [] }: ChainOptions = {}): S[] {
  const request = spans.find((s) => s.name === 'POST /api/orchestration/execute/:orchName');
  if (!request) throw new Error(`no request span among ${spans.map((s) => s.name).join(', ')}`);
  const start = oneSpan(spans, 'run start', { 'baton.flow_id': flowId });
  expectChildOf(start, request);
  const chain = [request, start];
  let parent = start;
  for (const step of steps) {
    const at = { 'baton.flow_id': flowId, 'baton.step': step };
    const dispatch = oneSpan(spans, `dispatch ${action}`, at);
    const reply = oneSpan(spans, `reply ${action}`, at);
    expectChildOf(dispatch, parent);
    parent = reply;
    if (builtIn.includes(step)) {
      const launch = oneSpan(spans, 'job launch', at);
      const reporter = spans.find((s) => s.spanId === reply.parentSpanId);
      if (!reporter?.name.startsWith('job ')) throw new Error(`${step}: the reply's parent is ${reporter?.name}`);
      expectChildOf(launch, dispatch);
      expectChildOf(reporter, dispatch);
      chain.push(dispatch, launch, ...(reporter === launch ? [] : [reporter]), reply);
      continue;
    }
    const handler = oneSpan(spans, `process ${action}`, at);
    expectChildOf(handler, dispatch);
    if (viaHttp) {
      const post = spans.find((s) => s.spanId === reply.parentSpanId);
      if (post?.name !== 'POST /api/workers/:service/leases/:leaseId/reply') throw new Error(`${step}: the reply's parent is ${post?.name}`);
      expectChildOf(post, handler);
      chain.push(dispatch, handler, post, reply);
    } else {
      expectChildOf(reply, handler);
      chain.push(dispatch, handler, reply);
    }
  }
  const run = oneSpan(spans, 'run', { 'baton.flow_id': flowId });
  expectChildOf(run, start);
  if (!run.links.some((l) => l.spanId === parent.spanId)) throw new Error('the run span does not link to the last reply');
  chain.push(run);
  if (new Set(chain.map((s) => s.traceId)).size !== 1) throw new Error('the chain spans more than one trace');
  return chain;
}
