import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every Prometheus metric Baton exposes, on one registry (served at /metrics). */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly published = this.counter('baton_messages_published_total', 'Messages confirmed by the broker', ['topic']);
  readonly consumed = this.counter('baton_messages_consumed_total', 'Messages handled successfully', ['topic']);
  readonly deadLettered = this.counter('baton_messages_dead_lettered_total', 'Messages sent to a dead-letter topic', ['topic']);
  readonly dropped = this.counter('baton_messages_dropped_total',
    'Messages the in-process broker dropped, oldest first, holding too many for no consumer', ['topic']);
  readonly redelivered = this.counter('baton_messages_redelivered_total', 'Handler failures that caused a redelivery', ['topic']);
  readonly deadLettersLost = this.counter('baton_dead_letters_lost_total',
    'Messages whose dead letter the broker refused, whole and cut, acknowledged unpublished', ['topic']);
  readonly outboxParked = this.counter('baton_outbox_parked_total', 'Outbox rows the broker refused for good, parked unpublished', ['topic']);
  readonly registrations = this.counter('baton_registrations_total', 'Registration attempts', ['source', 'outcome']);
  readonly runsStarted = this.counter('baton_runs_started_total', 'Runs accepted', ['orch_name']);
  readonly runsFinished = this.counter('baton_runs_finished_total',
    'Runs that reached a terminal state (a run undone after it finished, or whose failed undos are retried, reaches one again)', ['orch_name', 'status']);
  readonly transitions = this.counter('baton_step_transitions_total', 'Step results applied to runs', ['action', 'outcome']);
  readonly writeConflicts = this.counter('baton_run_write_conflicts_total', 'Run transitions decided again because another event changed the run first');
  readonly ignoredReplies = this.counter('baton_replies_ignored_total', 'Replies that changed nothing', ['reason']);
  readonly healerTicks = this.counter('baton_healer_ticks_total', 'Healer ticks', ['outcome']);
  readonly healed = this.counter('baton_healer_revivals_total', 'Things the healer fixed', ['kind']);
  readonly deadlinesExceeded = this.counter('baton_run_deadline_exceeded_total', 'Runs found past their deadline', ['on_deadline']);
  readonly nearestDeadline = this.gauge('baton_run_deadline_nearest_remaining_seconds',
    'Seconds until the nearest deadline of an unfinished run (negative: passed and not yet handled; +Inf: none), as of the last healer tick');
  readonly healerLastSuccess = this.gauge('baton_healer_last_success_timestamp_seconds', 'Last successful healer tick');
  readonly transitionSeconds = new Histogram({
    name: 'baton_transition_seconds', help: 'Time to apply one step result', registers: [this.registry],
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Until the healer's first tick: a gauge without labels starts at 0, which would read "due now".
    this.nearestDeadline.set(Number.POSITIVE_INFINITY);
  }

  private counter(name: string, help: string, labelNames: string[] = []) {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge(name: string, help: string, labelNames: string[] = []) {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
