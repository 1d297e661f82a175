import type { Channel } from 'amqplib';
import { assertSubscriptionQueue, deadLetterExchangeOf, exchangeFor, queueOf } from './rabbitmq-topology';

function recordingChannel() {
  const calls: unknown[][] = [];
  const record = (name: string) => async (...args: unknown[]) => {
    calls.push([name, ...args]);
    return {};
  };
  const channel = { assertQueue: record('assertQueue'), bindQueue: record('bindQueue') } as unknown as Channel;
  return { channel, calls };
}

describe('rabbitmq topology', () => {
  it('routes dead-letter topics through the dead-letter exchange', () => {
    expect(deadLetterExchangeOf('baton')).toBe('baton.dlx');
    expect(exchangeFor('orders', 'baton')).toBe('baton');
    expect(exchangeFor('orders.DLQ', 'baton')).toBe('baton.dlx');
    expect(queueOf('engine', 'orders')).toBe('engine.orders');
  });

  it('declares a group queue bound to the topic, and a parking queue for its dead letters', async () => {
    const { channel, calls } = recordingChannel();
    await expect(assertSubscriptionQueue(channel, 'baton', 'engine', 'orders')).resolves.toBe('engine.orders');
    expect(calls).toEqual([
      ['assertQueue', 'orders.DLQ', { durable: true }],
      ['bindQueue', 'orders.DLQ', 'baton.dlx', 'orders.DLQ'],
      ['assertQueue', 'engine.orders', {
        durable: true, arguments: { 'x-dead-letter-exchange': 'baton.dlx', 'x-dead-letter-routing-key': 'orders.DLQ' },
      }],
      ['bindQueue', 'engine.orders', 'baton', 'orders'],
    ]);
  });

  it('binds a subscription to a dead-letter topic on the dead-letter exchange', async () => {
    const { channel, calls } = recordingChannel();
    await assertSubscriptionQueue(channel, 'baton', 'ops', 'orders.DLQ');
    expect(calls).toEqual([
      ['assertQueue', 'ops.orders.DLQ', { durable: true }],
      ['bindQueue', 'ops.orders.DLQ', 'baton.dlx', 'orders.DLQ'],
    ]);
  });
});
