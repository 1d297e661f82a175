import { createWorker } from './worker';

describe('createWorker', () => {
  it('needs Baton\'s URL unless it is given a control of its own', () => {
    expect(() => createWorker({ service: 'shop' })).toThrow('Give baton: {url} (or a control of your own)');
    const control = { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined };
    expect(() => createWorker({ service: 'shop', control })).not.toThrow();
  });

  it('refuses to start the HTTP transport without Baton\'s URL', async () => {
    const control = { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined };
    for (const transport of ['http', { http: {} }] as const) {
      const worker = createWorker({ service: 'shop', control, handleSignals: false, transport })
        .step('order', 'charge', { objectType: 'Order', do: () => 1 });
      await expect(worker.start()).rejects.toThrow('the HTTP transport long-polls Baton\'s REST API');
    }
  });

  it('starts a broker transport with a control of its own and no Baton URL', async () => {
    const control = { register: jest.fn(async () => undefined), reportPresence: async () => undefined, leave: async () => undefined };
    // Nothing listens on port 1: the start fails on the broker, not for want of Baton's URL.
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport: { rabbitmq: { url: 'amqp://127.0.0.1:1' } } })
      .step('order', 'charge', { objectType: 'Order', do: () => 1 });
    await expect(worker.start()).rejects.toThrow(/ECONNREFUSED/);
    expect(control.register).not.toHaveBeenCalled();
  });
});
