import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { RUN_STATUSES, TERMINAL_RUN_STATUSES } from '../engine/core/run-status';
import { BrokerConnection } from '../messaging/broker-connection';
import { OutboxRelay } from '../messaging/outbox/outbox-relay.service';
import { Metrics } from '../metrics/metrics';
import { DATABASE_PROBE_MS, sharedRead, withinProbe } from './probe-read';

const UNFINISHED = RUN_STATUSES.filter((s) => !TERMINAL_RUN_STATUSES.includes(s));
/** How long a read of the unfinished runs serves scrapes. */
const RUNS_READ_KEEP_MS = 10_000;

/**
 * Gauges read when /metrics is scraped, not set by the loops that do the work: in a database
 * outage those loops stop, and a gauge they set kept its last value (an outbox backlog 0.1 s old
 * through a 21 s outage), so an alert on it could never fire. What cannot be read is NaN, beside
 * `baton_database_up 0`. Each read gives up after DATABASE_PROBE_MS.
 */
@Injectable()
export class ScrapedGauges {
  constructor(metrics: Metrics, @InjectDataSource() dataSource: DataSource, broker: BrokerConnection, relay: OutboxRelay) {
    const registers = [metrics.registry];
    new Gauge({ name: 'baton_database_up', help: `1 when the database answers a query within ${DATABASE_PROBE_MS} ms, else 0`, registers,
      async collect() { this.set(await databaseAnswers(dataSource) ? 1 : 0); } });
    new Gauge({ name: 'baton_broker_connected', help: '1 while the broker connection is up (always 1 for the in-process broker), else 0', registers,
      collect() { this.set(broker.isConnected() ? 1 : 0); } });
    // Each pair of gauges is read by one query: the registry collects every gauge at once, so both
    // collects share the read in flight (sharedRead).
    const backlog = sharedRead(() => relay.backlog());
    new Gauge({ name: 'baton_outbox_backlog', help: 'Outbox rows not yet published (NaN: unreadable)', registers,
      async collect() { this.set((await backlog())?.count ?? Number.NaN); } });
    new Gauge({ name: 'baton_outbox_oldest_unsent_age_seconds', help: 'Age of the oldest unsent outbox row (NaN: unreadable)', registers,
      async collect() { this.set((await backlog())?.oldestAgeSeconds ?? Number.NaN); } });
    // Reads every unfinished run's row (min(updated_at): no index may hold updated_at, or a step's
    // write could not be a HOT update): at most once per RUNS_READ_KEEP_MS however often scraped.
    const runs = sharedRead(() => unfinishedRuns(dataSource), RUNS_READ_KEEP_MS);
    const byStatus = async (gauge: Gauge, field: 'count' | 'stillest') => {
      const rows = await runs();
      for (const status of UNFINISHED) gauge.set({ status }, rows ? rows.find((r) => r.status === status)?.[field] ?? 0 : Number.NaN);
    };
    new Gauge({ name: 'baton_runs_unfinished', help: 'Runs in each unfinished status (NaN: unreadable)', labelNames: ['status'], registers,
      async collect() { await byStatus(this, 'count'); } });
    new Gauge({ name: 'baton_runs_unfinished_oldest_change_age_seconds',
      help: 'Per unfinished status, seconds since the run that changed least recently last changed: a run stuck in a status (NaN: unreadable)',
      labelNames: ['status'], registers, async collect() { await byStatus(this, 'stillest'); } });
  }
}

async function databaseAnswers(dataSource: DataSource): Promise<boolean> {
  return (await withinProbe(() => dataSource.query('SELECT 1').then(() => true))) ?? false;
}

function unfinishedRuns(dataSource: DataSource): Promise<Array<{ status: string; count: number; stillest: number }>> {
  return dataSource.query(
    `SELECT status, count(*)::int AS count, EXTRACT(EPOCH FROM now() - min(updated_at))::float8 AS stillest
       FROM orchestration_run WHERE status = ANY($1) GROUP BY status`, [UNFINISHED]);
}
