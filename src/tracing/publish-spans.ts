import { SpanStatusCode } from '@opentelemetry/api';
import { MESSAGE_ID_HEADER, type OutgoingMessage } from '../messaging/message';
import { ATTR, messagingAttributes } from './span-attributes';
import { SpanKind, tracing } from './tracing';

const TRACE_HEADER = 'traceparent';

/**
 * Publishes `messages` with a PRODUCER span per message that carries a trace context, each a
 * child of the span that wrote the message (a dispatch, a reply): the publish shows up in the
 * run's trace, after the commit. With tracing off, or for messages without a context, nothing is done here.
 */
export async function publishTraced(system: string, messages: OutgoingMessage[], publish: () => Promise<void>): Promise<void> {
  if (!tracing.isOn()) return publish();
  const spans = messages.filter((m) => m.headers?.[TRACE_HEADER]).map((m) => tracing.start(`send ${m.topic}`, {
    kind: SpanKind.PRODUCER, parent: tracing.extract(m.headers!),
    attributes: {
      ...messagingAttributes(system, 'send', m.topic, m.headers![MESSAGE_ID_HEADER], m.headers!['x-correlation-id']),
      [ATTR.messagingBatchCount]: messages.length,
    },
  }));
  try {
    await publish();
  } catch (e) {
    for (const span of spans) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    }
    throw e;
  } finally {
    for (const span of spans) span.end();
  }
}
