import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AwxClient } from './awx/awx.client';
import { AwxTarget } from './awx/awx-target';
import { HandlersConfig, TargetKind } from './handlers-config';
import { HandlerHttpError } from './http/handler-http-error';
import { HttpTransport } from './http/http-transport';
import { redact } from './http/redact';
import type { JobTarget } from './job-target';
import { OoClient } from './oo/oo.client';
import { OoTarget } from './oo/oo-target';

/** One client (and one undici Agent) per configured connection, made on first use. */
@Injectable()
export class JobTargets implements OnApplicationShutdown {
  private readonly transports = new Map<string, HttpTransport>();
  private readonly targets = new Map<string, JobTarget>();

  constructor(private readonly config: HandlersConfig) {}

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
  for(targetType: 'AWX' | 'OO', connection: string): JobTarget {
    const kind: TargetKind = targetType === 'AWX' ? 'awx' : 'oo';
    const key = `${kind}:${connection.toLowerCase()}`;
    let target = this.targets.get(key);
    if (!target) {
      const transport = this.transport(kind, connection);
      target = kind === 'awx' ? new AwxTarget(new AwxClient(transport))
        : new OoTarget(new OoClient(transport), transport.connection.statusEndpoint);
      this.targets.set(key, target);
    }
    return target;
  }

  /** Scrubs credentials of every connection from a text about to be logged or stored. */
  scrub(text: string): string {
    return redact(text, this.config.secrets());
  }

  async onApplicationShutdown(): Promise<void> {
    const all = [...this.transports.values()];
    this.transports.clear();
    this.targets.clear();
    await Promise.all(all.map((t) => t.close().catch(() => undefined)));
  }
}
