import type { Channel } from 'amqplib';
import { DEAD_LETTER_SUFFIX, deadLetterTopicOf } from '../../message';

/**
 * Names and declarations. One durable topic exchange carries every topic (routing key = topic);
 * `${exchange}.dlx` carries the dead-letter topics. A subscription is a durable queue
 * `${group}.${topic}`: each group gets every message, a group's consumers share its queue.
 * Every topic with a subscription also gets a durable parking queue named like its DLQ topic, so
 * dead letters are kept even when nobody consumes them.
 */
export function deadLetterExchangeOf(exchange: string): string {
  return `${exchange}.dlx`;
}

function isDeadLetterTopic(topic: string): boolean {
  return topic.endsWith(DEAD_LETTER_SUFFIX);
}

export function exchangeFor(topic: string, exchange: string): string {
  return isDeadLetterTopic(topic) ? deadLetterExchangeOf(exchange) : exchange;
}

export function queueOf(group: string, topic: string): string {
  return `${group}.${topic}`;
}

export async function assertExchanges(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertExchange(deadLetterExchangeOf(exchange), 'topic', { durable: true });
}

/** Declares (idempotently) the subscription's queue, its binding and the topic's parking queue. */
export async function assertSubscriptionQueue(
  channel: Channel, exchange: string, group: string, topic: string,
): Promise<string> {
  const queue = queueOf(group, topic);
  const dlx = deadLetterExchangeOf(exchange);
  if (isDeadLetterTopic(topic)) {
    await channel.assertQueue(queue, { durable: true });
  } else {
    const parking = deadLetterTopicOf(topic);
    await channel.assertQueue(parking, { durable: true });
    await channel.bindQueue(parking, dlx, parking);
    // Anything the broker itself dead-letters (a reject without requeue) lands in the same place.
    await channel.assertQueue(queue, {
      durable: true,
      arguments: { 'x-dead-letter-exchange': dlx, 'x-dead-letter-routing-key': parking },
    });
  }
  await channel.bindQueue(queue, exchangeFor(topic, exchange), topic);
  return queue;
}
