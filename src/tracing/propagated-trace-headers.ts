import { Injectable } from '@nestjs/common';
import { OutboundTraceHeaders } from '../handlers/http-call/trace-headers';
import { tracing } from './tracing';

/** `traceparent`/`tracestate` of the active span (the launch or poll span) on an `http` step's call. */
@Injectable()
export class PropagatedTraceHeaders extends OutboundTraceHeaders {
  inject(headers: Record<string, string>): void {
    Object.assign(headers, tracing.inject({}));
  }
}
