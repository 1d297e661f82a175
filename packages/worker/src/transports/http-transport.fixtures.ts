import { setTimeout as sleep } from 'node:timers/promises';
import type { BatonClient, RequestOptions } from '../baton-client';
import type { WireCommand } from '../wire';

/** Shared by the HttpTransport specs: a command, and stand-ins for Baton's answers. */
export function command(flowId: string): WireCommand {
  return {
    flowId, orchName: 'o', stepName: 's', action: 'DO', attempt: 1, commandId: `c-${flowId}`, objectType: 'String',
    payload: null, payloadEncoding: 'json', outputs: {}, correlationId: 'corr', idempotencyKey: `${flowId}:s:DO`,
    deadline: new Date(Date.now() + 60_000).toISOString(),
  };
}

/** A Baton that answers each poll with the next of `batches` (then a short empty long poll), and records every request. */
export function baton(batches: unknown[]) {
  const requests: string[] = [];
  const client = stubClient(async (method: string, path: string) => {
    requests.push(`${method} ${path}`);
    if (method !== 'GET') return undefined;
    if (batches.length > 0) return batches.shift();
    await sleep(20);
    return [];
  });
  return { client, requests };
}

/** A BatonClient whose answers (to polls too, with no Date) are `request`'s. */
export function stubClient(request: (method: string, path: string, body?: unknown, options?: RequestOptions) => Promise<unknown>): BatonClient {
  return { service: 'shop', request, answer: async (...args: Parameters<typeof request>) => ({ body: await request(...args) }) } as unknown as BatonClient;
}

export const until = async (condition: () => boolean) => {
  for (const end = Date.now() + 5_000; !condition() && Date.now() < end;) await sleep(20);
};

export const quiet = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() });
