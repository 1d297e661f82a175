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
});
