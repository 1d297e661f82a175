import { Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { HandlersConfig } from './handlers-config';
import { HandlerHttpError } from './http/handler-http-error';
import { HttpTransport } from './http/http-transport';
import { redact } from './http/redact';
import { HttpCallClient } from './http-call/http-call.client';
import { HttpCallTarget } from './http-call/http-call-target';
import { NoTraceHeaders, OutboundTraceHeaders } from './http-call/trace-headers';
import type { JobTargetType } from './job-execution.entity';
import type { TargetKind } from './job-kind';
import { jobKind, kindOfTarget } from './job-kinds';
import type { JobTarget } from './job-target';

/** One client (and one undici Agent) per configured connection, made on first use. */
@Injectable()
export class JobTargets implements OnApplicationShutdown {
  private readonly transports = new Map<string, HttpTransport>();
  private readonly targets = new Map<string, JobTarget>();
  private readonly httpClients = new Map<string, HttpCallClient>();

  constructor(
    private readonly config: HandlersConfig,
    @Optional() private readonly trace: OutboundTraceHeaders = new NoTraceHeaders(),
  ) {}

  private httpTarget(connection: string): JobTarget {
    const key = `http:${connection.toLowerCase()}`;
    let target = this.targets.get(key);
    if (!target) {
      const c = this.config.httpConnection(connection);
      if (!c) throw new HandlerHttpError(null, false, `HTTP connection '${connection}' is not configured`);
      const client = new HttpCallClient(c, this.config.secrets(), this.trace);
      this.httpClients.set(key, client);
      target = new HttpCallTarget(client);
      this.targets.set(key, target);
    }
    return target;
  }

  transport(kind: TargetKind, connection: string): HttpTransport {
    const key = `${kind}:${connection.toLowerCase()}`;
    let transport = this.transports.get(key);
    if (!transport) {
      const c = this.config.connection(kind, connection);
      if (!c) throw new HandlerHttpError(null, false, `${kind.toUpperCase()} connection '${connection}' is not configured`);
      transport = new HttpTransport(c, this.config.secrets());
      this.transports.set(key, transport);
    }
    return transport;
  }

  /** The target for a row's target type and connection; throws a non-retriable error if unknown. */
  for(targetType: JobTargetType, connection: string): JobTarget {
    const kind = kindOfTarget(targetType);
    if (!kind) return this.httpTarget(connection);
    const key = `${kind}:${connection.toLowerCase()}`;
    let target = this.targets.get(key);
    if (!target) {
      const transport = this.transport(kind, connection);
      target = jobKind(kind).target(transport);
      this.targets.set(key, target);
    }
    return target;
  }

  /**
   * How long a job may still appear after its launch's answer was lost: the connection's request
   * timeout, which the server may go on spending on a request Baton stopped waiting for. Only AWX
   * and OO are looked for (an HTTP partner deduplicates by Idempotency-Key instead).
   */
  lateJobWindowMs(targetType: JobTargetType, connection: string): number {
    const kind = kindOfTarget(targetType);
    return kind ? this.transport(kind, connection).connection.requestTimeoutMs : 0;
  }

  /** Scrubs credentials of every connection (and OAuth2 tokens fetched) from a text about to be logged or stored. */
  scrub(text: string): string {
    // One pass over every secret: a pass per connection, each with every configured secret again, cost as many times as many.
    const fetched = [...this.httpClients.values()].flatMap((client) => client.fetchedTokens());
    return redact(text, fetched.length ? [...this.config.secrets(), ...fetched] : this.config.secrets());
  }

  async onApplicationShutdown(): Promise<void> {
    const all: { close(): Promise<void> }[] = [...this.transports.values(), ...this.httpClients.values()];
    this.transports.clear();
    this.httpClients.clear();
    this.targets.clear();
    await Promise.all(all.map((t) => t.close().catch(() => undefined)));
  }
}
