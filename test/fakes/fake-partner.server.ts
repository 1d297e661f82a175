import { FakeHttpServer, FakeServerOptions, RecordedRequest, Reply } from './fake-http.server';

/** An order the partner created, once per Idempotency-Key however often it is asked. */
export interface PartnerOrder {
  id: string;
  idempotencyKey: string | undefined;
  body: unknown;
  deleted: boolean;
}

/**
 * A partner API (an ERP) for the built-in http step, under /api: orders (POST creates, deduplicated
 * by Idempotency-Key; DELETE cancels), exports answered 202 with a status URL polled at
 * /api/operations/{id}, and an OAuth2 client-credentials token endpoint at /oauth/token (Basic
 * client authentication) whose tokens expire after `tokenLifetimeSeconds`.
 */
export class FakePartnerServer extends FakeHttpServer {
  readonly orders: PartnerOrder[] = [];
  /** States answered by successive polls of an operation; the last one repeats. */
  operationStates: string[] = ['running', 'running', 'done'];
  /** Where a 202 names its status URL: the Location header, or the body's links.status. */
  statusUrl: (id: string) => { header?: string; body?: unknown } = (id) => ({ header: `/api/operations/${id}` });
  tokenLifetimeSeconds = 3600;
  readonly tokensIssued: string[] = [];
  private readonly tokenExpiry = new Map<string, number>();
  private readonly polls = new Map<string, number>();
  private operations = 0;

  constructor(options: FakeServerOptions = {}) {
    super(options);
  }

  /** Every token issued so far is refused from now on (a revocation, or the IdP's keys rotated). */
  revokeTokens(): void {
    this.tokenExpiry.clear();
  }

  /** Requests to one path (and method), with the headers Baton sent. */
  calls(method: string, path: RegExp): RecordedRequest[] {
    return this.requestsTo(method, path);
  }

  protected override authenticate(header: string | undefined): { scheme: RecordedRequest['authScheme']; ok: boolean } {
    const [scheme, value = ''] = (header ?? '').split(' ', 2);
    if (scheme === 'Bearer' && (this.tokenExpiry.get(value) ?? 0) > Date.now()) return { scheme: 'Bearer', ok: true };
    return super.authenticate(header);
  }

  protected unauthorized(): Reply {
    return { status: 401, body: { message: 'authentication required' }, headers: { 'www-authenticate': 'Bearer' } };
  }

  protected route(method: string, pathAndQuery: string, body: unknown): Reply {
    const request = this.requests.at(-1)!;
    const path = pathAndQuery.split('?')[0];
    if (method === 'POST' && path === '/oauth/token') return this.issueToken();
    if (method === 'POST' && path === '/api/orders') return this.createOrder(request, body);
    const order = /^\/api\/orders\/([^/?]+)$/.exec(path);
    if (method === 'DELETE' && order) {
      const found = this.orders.find((o) => o.id === decodeURIComponent(order[1]));
      if (!found) return { status: 404, body: { message: `no order ${order[1]}` } };
      found.deleted = true;
      return { status: 204 };
    }
    if (method === 'POST' && path === '/api/exports') {
      this.operations += 1;
      const where = this.statusUrl(`op-${this.operations}`);
      return { status: 202, body: where.body ?? { accepted: true }, headers: where.header ? { location: where.header } : {} };
    }
    const operation = /^\/api\/operations\/([^/?]+)/.exec(path);
    if (method === 'GET' && operation) {
      const n = (this.polls.get(operation[1]) ?? 0) + 1;
      this.polls.set(operation[1], n);
      const state = this.operationStates[Math.min(n, this.operationStates.length) - 1];
      return { status: 200, body: { id: operation[1], state, result: state === 'done' ? { rows: 42 } : null } };
    }
    return { status: 404, body: { message: `no route ${method} ${path}` } };
  }

  private issueToken(): Reply {
    const token = `at-${this.tokensIssued.length + 1}-${Math.random().toString(36).slice(2)}`;
    this.tokensIssued.push(token);
    this.tokenExpiry.set(token, Date.now() + this.tokenLifetimeSeconds * 1000);
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds } };
  }

  private createOrder(request: RecordedRequest, body: unknown): Reply {
    const key = request.headers['idempotency-key'] as string | undefined;
    let order = key ? this.orders.find((o) => o.idempotencyKey === key) : undefined;
    if (!order) {
      order = { id: `o-${this.orders.length + 1}`, idempotencyKey: key, body, deleted: false };
      this.orders.push(order);
    }
    return {
      status: 201, body: { orderId: order.id, status: 'accepted', received: body },
      headers: { etag: `"${order.id}-v1"`, location: `/api/orders/${order.id}`, 'set-cookie': 'session=partner-cookie-secret' },
    };
  }
}
