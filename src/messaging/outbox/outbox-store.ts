import type { DataSource } from 'typeorm';
import type { OutboxRecord } from './outbox.service';
import type { RelayBeat } from './relay-presence';

interface OutboxRow {
  id: string;
  message_id: string;
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  body: Buffer;
  expires_at: Date | null;
  expired: boolean;
  refusals: number;
}

/** Which rows written by the sweeping relay's own instance it may take: all, or those with an id below. */
export type OwnRows = 'all' | { below: number };

/** What a sweep may claim: see claimDue. */
export interface SweepClaim {
  relayId: string;
  limit: number;
  graceMs: number;
  leaseSeconds: number;
  /** Instances presumed dead: their rows are this relay's to publish. */
  deadWriters: string[];
  ownRows: OwnRows;
}

/** Claimed rows: those to publish, and commands whose attempt deadline passed (never to be published). */
export interface ClaimedRows {
  due: OutboxRecord[];
  expired: string[];
}

/** A refused row (with its `error`), or one held behind it, as OutboxStore.settleRefused writes it. */
export interface RefusedRow {
  id: string;
  error: string | null;
  delayMs: number;
  park: boolean;
}

export interface OutboxBacklog {
  count: number;
  oldestAgeSeconds: number;
}

/**
 * The relay's SQL. Every statement runs on its own (autocommit), never inside a transaction that
 * stays open while the broker is called: the embedded database has a single connection.
 *
 * A row is due when `sent_at IS NULL AND available_at <= now()`. Rows the fast path publishes
 * right after commit have `available_at = created_at`; the sweep leaves those alone for a grace
 * period, and another instance's while it lives, so it does not race a fast path. Rows with `available_at > created_at` are delayed
 * messages (retry backoff) or expired leases: nobody else publishes them, so they are swept as
 * soon as they are due.
 */
export class OutboxStore {
  private closed = false;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Refuses every later statement but backlog()'s (a read for health and metrics): a relay pass
   * that outlived the relay's stop, its publish answered late, must not write once the database
   * is closing under it.
   */
  close(): void {
    this.closed = true;
  }

  /** Takes statements again: the relay started anew after a stop. */
  open(): void {
    this.closed = false;
  }

  /**
   * Claims up to `limit` due rows in id order for `claim.relayId` by pushing their available_at out
   * by the lease: a short lock (SKIP LOCKED, so concurrent relays take different rows) instead of a
   * transaction held open while publishing. If this relay dies before marking them sent, its
   * restart releases them (releaseLeasesOf), or another relay publishes them when the lease ends.
   * Expiry is judged by the database clock, the one the deadlines of the healer are judged by.
   *
   * A row the fast path publishes is claimed only past the grace, and only if its fast path cannot
   * hold it: this relay's own as `ownRows` says, another's once its writer is presumed dead
   * (`deadWriters`), however slow that instance is. Any row a lease old is claimed: a fast path
   * gives up on a publish within 30 s, so none holds it, and nothing waits longer than that.
   */
  async claimDue(claim: SweepClaim): Promise<ClaimedRows> {
    const rows: OutboxRow[] = await this.query(
      `WITH due AS (
         SELECT id FROM outbox
          WHERE sent_at IS NULL AND available_at <= now()
            AND (available_at > created_at
                 OR (created_at <= now() - $2::int * interval '1 millisecond'
                     AND CASE WHEN written_by = $4 THEN $6::boolean OR id < $7::bigint
                              ELSE written_by IS NULL OR written_by = ANY($5::varchar[]) END)
                 OR created_at <= now() - $3::int * interval '1 second')
          ORDER BY id
          LIMIT $1
          FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE outbox o SET available_at = now() + $3::int * interval '1 second', leased_by = $4
           FROM due WHERE o.id = due.id
         RETURNING o.id, o.message_id, o.topic, o.key, o.headers, o.body, o.expires_at, o.refusals,
                   COALESCE(o.expires_at <= now(), false) AS expired
       )
       SELECT * FROM claimed ORDER BY id`,
      [claim.limit, claim.graceMs, claim.leaseSeconds, claim.relayId, claim.deadWriters,
        claim.ownRows === 'all', claim.ownRows === 'all' ? 0 : claim.ownRows.below],
    );
    return {
      due: rows.filter((row) => !row.expired).map(toRecord),
      expired: rows.filter((row) => row.expired).map((row) => String(row.id)),
    };
  }

  /**
   * Records that `relayId` is alive, written by process `bootId`, and returns every relay's last
   * beat as it was before this one (RelayPresence judges them; its own row tells who wrote it last).
   */
  async beat(relayId: string, bootId: string): Promise<RelayBeat[]> {
    const rows: Array<{ relay_id: string; seen_at: Date; boot_id: string | null }> = await this.query(
      `WITH mine AS (
         INSERT INTO outbox_relay (relay_id, seen_at, boot_id) VALUES ($1, now(), $2)
         ON CONFLICT (relay_id) DO UPDATE SET seen_at = now(), boot_id = $2
       )
       SELECT relay_id, seen_at, boot_id FROM outbox_relay`,
      [relayId, bootId],
    );
    return rows.map((row) => ({ relayId: row.relay_id, seenAt: new Date(row.seen_at), bootId: row.boot_id }));
  }

  /**
   * Makes the unsent rows leased by `relayId` due at once: called when a relay starts, they are its
   * killed predecessor's (same id), which would otherwise wait out the lease and go out late.
   */
  async releaseLeasesOf(relayId: string): Promise<number> {
    const [row]: Array<{ n: number }> = await this.query(
      `WITH freed AS (
         UPDATE outbox SET available_at = now(), leased_by = NULL
          WHERE leased_by = $1 AND sent_at IS NULL AND available_at > now()
         RETURNING 1
       ) SELECT count(*)::int AS n FROM freed`,
      [relayId],
    );
    return row.n;
  }

  /** Rows dropped unpublished (their deadline passed): done with like sent rows, and pruned alike. */
  async markDropped(ids: string[]): Promise<void> {
    await this.query(
      'UPDATE outbox SET sent_at = now(), dropped_at = now() WHERE id = ANY($1::bigint[]) AND sent_at IS NULL', [ids]);
  }

  async markSent(ids: string[]): Promise<void> {
    await this.query('UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[]) AND sent_at IS NULL', [ids]);
  }

  /** Gives claimed rows back at once after a failed publish, so the next pass retries them. */
  async release(ids: string[]): Promise<void> {
    await this.query(
      'UPDATE outbox SET available_at = now(), leased_by = NULL WHERE id = ANY($1::bigint[]) AND sent_at IS NULL', [ids]);
  }

  /**
   * Settles what the broker refused (isolateRefusals): a row with an `error` counts one more
   * refusal and waits `delayMs`, or is `park`ed: done with unpublished, as a dropped row, its
   * reason kept until it is pruned. A row without one waits behind another (same topic and key).
   */
  async settleRefused(rows: RefusedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.query(
      `UPDATE outbox o SET available_at = now() + s.delay_ms * interval '1 millisecond', leased_by = NULL,
              refusals = o.refusals + CASE WHEN s.error IS NULL THEN 0 ELSE 1 END, last_refusal = COALESCE(s.error, o.last_refusal),
              sent_at = CASE WHEN s.park THEN now() END, dropped_at = CASE WHEN s.park THEN now() END
         FROM unnest($1::bigint[], $2::varchar[], $3::int[], $4::boolean[]) AS s(id, error, delay_ms, park)
        WHERE o.id = s.id AND o.sent_at IS NULL`,
      [rows.map((r) => r.id), rows.map((r) => r.error), rows.map((r) => r.delayMs), rows.map((r) => r.park)],
    );
  }

  /**
   * Deletes up to `limit` sent outbox rows, processed inbox rows and failed-delivery counts older
   * than the retention, and the beats of relays silent that long.
   */
  async prune(retentionHours: number, limit: number): Promise<{ outbox: number; inbox: number }> {
    const [outbox]: Array<{ n: number }> = await this.query(
      `WITH old AS (SELECT id FROM outbox WHERE sent_at < now() - $1::int * interval '1 hour' LIMIT $2),
            gone AS (DELETE FROM outbox o USING old WHERE o.id = old.id RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [retentionHours, limit],
    );
    const [inbox]: Array<{ n: number }> = await this.query(
      `WITH old AS (SELECT consumer, message_id FROM inbox WHERE received_at < now() - $1::int * interval '1 hour' LIMIT $2),
            gone AS (DELETE FROM inbox i USING old WHERE i.consumer = old.consumer AND i.message_id = old.message_id RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [retentionHours, limit],
    );
    // Instances gone for good (scaled down, renamed) that stopped beating a retention ago.
    await this.query(`DELETE FROM outbox_relay WHERE seen_at < now() - $1::int * interval '1 hour'`, [retentionHours]);
    // Counts of failed deliveries that no engine finished with (acknowledged after a restart).
    await this.query(
      `DELETE FROM delivery_failure WHERE message_key IN (
         SELECT message_key FROM delivery_failure WHERE last_failed_at < now() - $1::int * interval '1 hour' LIMIT $2)`,
      [retentionHours, limit],
    );
    return { outbox: outbox.n, inbox: inbox.n };
  }

  /**
   * Due rows not yet published (leased rows are in flight and not counted), and how long the
   * oldest has existed: during a broker outage both grow.
   */
  async backlog(): Promise<OutboxBacklog> {
    const [row]: Array<{ count: number; oldest: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count,
              COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest
         FROM outbox WHERE sent_at IS NULL AND available_at <= now()`,
    );
    return { count: row.count, oldestAgeSeconds: Math.max(0, row.oldest) };
  }

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The outbox relay stopped'));
    return this.dataSource.query(sql, params);
  }
}

function toRecord(row: OutboxRow): OutboxRecord {
  return {
    id: String(row.id),
    messageId: row.message_id,
    topic: row.topic,
    key: row.key,
    headers: row.headers,
    body: row.body,
    delayed: false, // claimed: due now, and the sweep publishes it itself
    expiresAt: row.expires_at,
    refusals: row.refusals,
  };
}
