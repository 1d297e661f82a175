import { setTimeout as sleep } from 'node:timers/promises';
import type { BatonClient, RequestOptions } from './baton-client';
import type { Slots } from './slots';
import type { Delivery, Transport } from './transports/transport';
import type { WireCommand } from './wire';

/** Shared by the worker specs: a command, transports the test drives, and a stand-in Baton. */
export const control = { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined };
export const command = { flowId: 'f1', orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: 'c1', objectType: 'Order',
  payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: 'k', idempotencyKey: 'i1', deadline: new Date(Date.now() + 60_000).toISOString() } as WireCommand;

/** A transport the test hands deliveries through. */
export function handTransport(extra: Partial<Transport> = {}) {
  let receive!: (d: Delivery) => void;
  let slots!: Slots;
  const transport: Transport = {
    start: async (r, s) => void ((receive = r), (slots = s)), pause: async () => undefined, close: async () => undefined, ...extra,
  };
  return { transport, deliver: (d: Delivery) => receive(d), inUse: () => slots.inUse };
}

export const delivery = (overrides: Partial<Delivery> = {}): Delivery & { settle: jest.Mock } => ({
  command, settle: jest.fn(async () => undefined), drop: async () => undefined, heartbeat: async () => undefined, ...overrides,
}) as Delivery & { settle: jest.Mock };

export const settled = () => new Promise((resolve) => setImmediate(resolve));

/** A Baton HTTP API that leases `command` once, then long-polls empty; `answer` gets every other request's body. */
export function leasingOnce(answer: (body: unknown) => unknown): BatonClient {
  let leased = false;
  const request = async (method: string, _path: string, body?: unknown, options?: RequestOptions) => {
    if (method !== 'GET') return answer(body);
    if (!leased) {
      leased = true;
      return [{ leaseId: 'l1', leaseExpiresAt: '', command }];
    }
    await sleep(20, undefined, { signal: options?.signal });
    return [];
  };
  return { service: 'shop', request, answer: async (...args: Parameters<typeof request>) => ({ body: await request(...args) }) } as unknown as BatonClient;
}

export async function until(condition: () => boolean): Promise<void> {
  for (const end = Date.now() + 5_000; !condition() && Date.now() < end;) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
