import type { Socket } from 'node:net';
import { Client, type ClientConfig } from 'pg';

/** A pg ClientConfig with the longest the server may stay silent while it owes an answer (0: no limit). */
export interface BoundedClientConfig extends ClientConfig {
  replyTimeoutMillis?: number;
}

/**
 * How long the server may stay silent on a statement: its statement_timeout and a tenth more, at
 * least a second, so that PostgreSQL's own cancel (57014, which leaves the connection usable)
 * normally arrives first. No statement_timeout, no bound: a statement may then rightly run for hours.
 */
export function replyTimeoutMs(statementTimeoutMs: number): number {
  return statementTimeoutMs > 0 ? statementTimeoutMs + Math.max(1_000, Math.ceil(statementTimeoutMs / 10)) : 0;
}

/**
 * A node-postgres Client that drops its connection when the server leaves a statement unanswered
 * past replyTimeoutMillis. statement_timeout is enforced by the server: across a path that drops
 * packets without a reset (a partition, a NAT entry gone, a frozen host) no answer ever comes, and
 * the query, its caller and its pooled connection wait for good.
 *
 * node-postgres's own query_timeout is not enough: it fails the query but leaves it active on the
 * connection, and TypeORM's query runner hands the client back to pg-pool without the error, so the
 * pool keeps it and every later query on it queues behind the one that never ends. Destroying the
 * socket fails everything on it with an ETIMEDOUT error (an outage: 503, retried) and leaves the
 * client unqueryable, which pg-pool discards instead of reusing.
 */
export class BoundedClient extends Client {
  private readonly socket: Socket;
  private readonly limitMs: number;

  constructor(config: BoundedClientConfig = {}) {
    super(config);
    this.limitMs = config.replyTimeoutMillis ?? 0;
    // The plain socket, created with the client; TLS, when negotiated, runs over it, so its traffic counts too.
    this.socket = this.connection.stream as Socket;
    this.socket.on('timeout', () => this.onSilence());
    this.socket.setTimeout(this.limitMs);
  }

  /**
   * Lifts the limit while `work` runs on this client (migrations, which run without a statement
   * timeout too). Keepalive still ends a connection whose peer is gone, though only after minutes.
   */
  static async unbounded<T>(client: unknown, work: () => Promise<T>): Promise<T> {
    if (!(client instanceof BoundedClient)) return work();
    client.socket.setTimeout(0);
    try {
      return await work();
    } finally {
      client.socket.setTimeout(client.limitMs);
    }
  }

  /** The socket saw no traffic for limitMs: harmless while the client is idle, fatal while it waits for the server. */
  private onSilence(): void {
    // node-postgres clears readyForQuery when it sends a statement (or starts connecting) and sets it at the server's ReadyForQuery.
    if ((this as unknown as { readyForQuery: boolean }).readyForQuery) return;
    const error = Object.assign(
      new Error(`PostgreSQL sent nothing for ${this.limitMs} ms while a statement waited for its answer: connection dropped`),
      { code: 'ETIMEDOUT' },
    );
    this.socket.destroy(error);
  }
}
