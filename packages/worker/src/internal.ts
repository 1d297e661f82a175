/*
 * The broker plumbing Baton's own Kafka and RabbitMQ drivers share with the SDK's transports
 * (`@baton/worker/internal`): one implementation of each socket, commit and publish detail for
 * both sides, and the per-key ordering both apply deliveries in. Not the SDK's API: it may change
 * in any release.
 */
export { noDelaySocketFactory } from './transports/kafka-socket';
export { KafkaConnections } from './transports/kafka-connections';
export { KAFKA_REFUSAL_TYPES } from './transports/kafka-refusal';
export { kafkaLogCreator, type KafkaLogSink } from './transports/kafka-log';
export { amqpSocketOf, writeTurnsWhole } from './transports/turn-writes';
export { OffsetTracker } from './transports/offset-tracker';
export { KafkaCoalescingSender, type CoalescingSenderOptions, type TopicMessage } from './transports/kafka-coalescing-sender';
export { withHeartbeat } from './transports/amqp-heartbeat';
export { withTimeout } from './with-timeout';
export { KeyLanes } from './key-lanes';
