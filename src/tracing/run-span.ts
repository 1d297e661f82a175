import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { RunStatus } from '../engine/core/run-status';
import type { RunState } from '../engine/run-changes';
import { ATTR, stepAttributes } from './span-attributes';
import { tracing } from './tracing';

/** The active span's trace context, to keep with a run or a job; null when nothing is traced. */
export function runTraceContext(): Record<string, string> | null {
  const headers = tracing.inject({});
  return headers.traceparent ? headers : null;
}

/**
 * The run's own span, recorded when it reaches a terminal status rather than held open for its
 * whole life (hours, across restarts and instances): it starts when the run was accepted, is a
 * child of the run's start span, and links to the span of the transition that ended it (a reply,
 * an operator's request, the healer).
 */
export function recordRunSpan(run: Pick<RunState, 'flowId' | 'orchName' | 'correlationId' | 'startedAt' | 'traceContext'>,
  status: RunStatus): void {
  if (!run.traceContext) return;
  const ending = trace.getActiveSpan()?.spanContext();
  tracing.record('run', {
    parent: tracing.extract(run.traceContext), startTime: run.startedAt ?? new Date(),
    attributes: { ...stepAttributes(run), [ATTR.runStatus]: status },
    links: ending && isSpanContextValid(ending) ? [{ context: ending }] : [],
  });
}
