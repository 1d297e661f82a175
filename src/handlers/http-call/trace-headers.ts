/**
 * The seam for distributed tracing: whatever propagates the trace context (W3C `traceparent`,
 * `tracestate`) into an outbound call of an `http` step. Without tracing configured nothing is
 * added (PropagatedTraceHeaders adds nothing then either).
 */
export abstract class OutboundTraceHeaders {
  abstract inject(headers: Record<string, string>, call: { flowId: string; step: string; action: string }): void;
}

export class NoTraceHeaders extends OutboundTraceHeaders {
  inject(): void {
    // No tracing configured: the call carries X-Correlation-ID only.
  }
}
