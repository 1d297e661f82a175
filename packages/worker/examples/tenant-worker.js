// A complete worker for definitions/tenant-creation.yaml. Run it beside `npm start`:
//   node packages/worker/examples/tenant-worker.js
const { createWorker, NonRetryableError } = require('@baton/worker');

const worker = createWorker({
  service: 'realm-service',
  baton: { url: process.env.BATON_URL ?? 'http://127.0.0.1:3000', apiKey: process.env.BATON_API_KEY },
  transport: 'http', // or { rabbitmq: { url: 'amqp://…' } } or { kafka: { brokers: ['127.0.0.1:9092'] } }
});

const realms = new Map(); // stands in for your real system

worker.step('tenantCreation', 'createRealm', {
  objectType: 'String',
  do: async (cmd) => {
    if (!cmd.payload?.tenant) throw new NonRetryableError('payload.tenant is required');
    const realmId = `realm-${cmd.payload.tenant}`;
    realms.set(realmId, { tenant: cmd.payload.tenant });
    return { realmId }; // the step's output: later steps read it in cmd.outputs
  },
  undo: async (cmd) => {
    realms.delete(cmd.outputs.createRealm.realmId);
  },
});

worker.step('tenantCreation', 'createClient', {
  objectType: 'String',
  do: async (cmd) => {
    if (cmd.payload.fail) throw new Error('client creation failed'); // retried, then createRealm is undone
    return { clientId: `client-of-${cmd.outputs.createRealm.realmId}` };
  },
  undo: async () => {},
});

worker.start().then(() => process.stderr.write('realm-service is working; Ctrl-C drains and stops\n'));
