import { Pool } from 'undici';

export interface StartedRun {
  statusCode: number;
  flowId?: string;
  body: unknown;
}

export interface StepSpec {
  name: string;
  timeoutSeconds?: number;
  retry?: { maxAttempts: number; backoff?: 'fixed' | 'exponential'; initialDelaySeconds?: number; maxDelaySeconds?: number };
}

/**
 * The engine's REST API over keep-alive connections (undici Pool): starting runs, registering
 * templates and workers, reading metrics.
 */
export class EngineClient {
  private readonly pool: Pool;

  constructor(readonly baseUrl: string, connections = 128) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  }

  /** POST /api/orchestration/execute/{orchName}; the correlation id is chosen by the caller. */
  async execute(orchName: string, payload: unknown, correlationId: string, idempotencyKey?: string): Promise<StartedRun> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-correlation-id': correlationId };
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const res = await this.pool.request({
      method: 'POST', path: `/api/orchestration/execute/${orchName}`, headers, body: JSON.stringify(payload),
    });
    const body = (await res.body.json()) as { flowId?: string };
    return { statusCode: res.statusCode, flowId: body?.flowId, body };
  }

  async registerInitiator(service: string, orchName: string, type: 'sequential' | 'parallel', steps: StepSpec[]): Promise<void> {
    await this.register(service, {
      orchName, as: 'initiator', type,
      steps: steps.map((s, i) => ({ seq: i + 1, objectType: 'String', ...s })),
    });
  }

  async registerWorker(service: string, orchName: string, steps: string[]): Promise<void> {
    await this.register(service, { orchName, as: 'worker', steps: steps.map((name) => ({ name, objectType: 'String' })) });
  }

  /** Sum of a Prometheus counter over all its label sets, from GET /metrics. */
  async counter(name: string): Promise<number> {
    const res = await this.pool.request({ method: 'GET', path: '/metrics' });
    const text = await res.body.text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async register(service: string, document: object): Promise<void> {
    const res = await this.pool.request({
      method: 'POST', path: '/api/orchestration/register',
      headers: { 'content-type': 'application/json', 'x-service-name': service }, body: JSON.stringify(document),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`registration failed: ${res.statusCode} ${text}`);
  }
}
