export { createWorker, Worker, type WorkerOptions, type StepDefinition } from './worker';
export type { StepCommand } from './command';
export {
  AttemptEndedError, HandlerTimeoutError, HeartbeatRefusedError, MalformedCommandError, NonRetryableError, OutputNotJsonError, OutputRefusedError, StepDeclarationError,
  WorkerRouteError, WorkerStateError,
} from './errors';
export { MemoryResultStore, type MemoryResultStoreOptions, type ResultStore, type RecordedResult, type RecordedFailure } from './result-store';
export { PostgresResultStore, type PostgresResultStoreOptions, type Queryable } from './postgres-result-store';
export { BatonHttpError, BatonUnreachableError, type BatonConnection } from './baton-client';
export type { TransportChoice } from './transports/create-transport';
export type { HttpTransportOptions } from './transports/http-transport';
export type { KafkaTransportOptions } from './transports/kafka-transport';
export type { RabbitMqTransportOptions } from './transports/rabbitmq-transport';
export { TimeoutError } from './with-timeout';
export type { WorkerLogger } from './logger';
export type { WorkerControl, RegistrationDocument, RegistrationAnswer, PresenceReport } from './control';
export type { Transport, Delivery } from './transports/transport';
export type { Slots } from './slots';
export { parseCommand, replyTo, type WireCommand, type WireReply, type ReplyStatus } from './wire';
