import type { Attributes } from '@opentelemetry/api';

/*
 * Attribute names. Baton's own are under `baton.`; the messaging ones follow the OpenTelemetry
 * messaging semantic conventions (still "development" there, so copied rather than imported from
 * the package's incubating entry point, as its README advises).
 */
export const ATTR = {
  flowId: 'baton.flow_id',
  orchName: 'baton.orch_name',
  step: 'baton.step',
  action: 'baton.action',
  attempt: 'baton.attempt',
  correlationId: 'baton.correlation_id',
  handlerType: 'baton.handler_type',
  outcome: 'baton.outcome',
  runStatus: 'baton.run_status',
  messagingSystem: 'messaging.system',
  messagingDestination: 'messaging.destination.name',
  messagingOperationType: 'messaging.operation.type',
  messagingOperationName: 'messaging.operation.name',
  messagingMessageId: 'messaging.message.id',
  messagingConversationId: 'messaging.message.conversation_id',
  messagingBatchCount: 'messaging.batch.message_count',
} as const;

/** What identifies a step attempt, in the names above; undefined values are left out. */
export function stepAttributes(s: {
  flowId: string; orchName?: string; stepName?: string; action?: string; attempt?: number; correlationId?: string;
}): Attributes {
  const attributes: Attributes = { [ATTR.flowId]: s.flowId };
  if (s.orchName !== undefined) attributes[ATTR.orchName] = s.orchName;
  if (s.stepName !== undefined) attributes[ATTR.step] = s.stepName;
  if (s.action !== undefined) attributes[ATTR.action] = s.action;
  if (s.attempt !== undefined) attributes[ATTR.attempt] = s.attempt;
  if (s.correlationId !== undefined) attributes[ATTR.correlationId] = s.correlationId;
  return attributes;
}

/** A message's attributes; `system` is the driver (kafka, rabbitmq, memory). */
export function messagingAttributes(system: string, operation: 'send' | 'receive' | 'process' | 'create',
  destination: string, messageId?: string, correlationId?: string): Attributes {
  const attributes: Attributes = {
    [ATTR.messagingSystem]: system, [ATTR.messagingOperationType]: operation, [ATTR.messagingDestination]: destination,
  };
  if (messageId) attributes[ATTR.messagingMessageId] = messageId;
  if (correlationId) attributes[ATTR.messagingConversationId] = correlationId;
  return attributes;
}
