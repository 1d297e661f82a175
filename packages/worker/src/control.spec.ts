import { BatonHttpError, type BatonClient } from './baton-client';
import { HttpControl } from './control';

const clientAnswering = (answer: () => Promise<unknown>) => ({ service: 'shop', request: jest.fn(answer) }) as unknown as BatonClient & { request: jest.Mock };

describe('HttpControl.brokerRoute', () => {
  it("asks the service's own route and hands Baton's answer back as it came", async () => {
    const client = clientAnswering(async () => ({ driver: 'rabbitmq', replyTopic: 'r', exchange: 'e' }));
    await expect(new HttpControl(client).brokerRoute()).resolves.toEqual({ driver: 'rabbitmq', replyTopic: 'r', exchange: 'e' });
    expect(client.request).toHaveBeenCalledWith('GET', '/api/workers/shop/broker');
  });

  it('answers nothing from a Baton without the route (404), and fails on any other refusal', async () => {
    await expect(new HttpControl(clientAnswering(async () => { throw new BatonHttpError(404, '', 'GET'); })).brokerRoute()).resolves.toBeUndefined();
    await expect(new HttpControl(clientAnswering(async () => { throw new BatonHttpError(403, '', 'GET'); })).brokerRoute()).rejects.toThrow('answered 403');
  });
});
