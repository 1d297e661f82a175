import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { Metrics } from '../metrics/metrics';

/** Metrics of the built-in handlers, on the application's registry (served at /metrics). */
@Injectable()
export class HandlerMetrics {
  readonly launches: Counter;
  readonly polls: Counter;
  readonly finished: Counter;
  readonly ticks: Counter;

  constructor(metrics: Metrics) {
    const registers: Registry[] = [metrics.registry];
    this.launches = new Counter({ name: 'baton_handler_launches_total', help: 'AWX/OO launch attempts', labelNames: ['target', 'outcome'], registers });
    this.polls = new Counter({ name: 'baton_handler_polls_total', help: 'AWX/OO status polls', labelNames: ['target', 'outcome'], registers });
    this.finished = new Counter({ name: 'baton_handler_jobs_finished_total', help: 'AWX/OO jobs that reached a terminal state', labelNames: ['target', 'action', 'status'], registers });
    this.ticks = new Counter({ name: 'baton_handler_runner_ticks_total', help: 'Job runner passes', labelNames: ['outcome'], registers });
  }
}
