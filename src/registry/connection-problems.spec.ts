import { connectionProblems } from './connection-problems';
import type { InitiatorDocument, NormalizedStep } from './document/registration-document';

const step = (name: string, handler: NormalizedStep['handler'], undo: NormalizedStep['undo'] = false): NormalizedStep =>
  ({ seq: 1, name, objectType: 'String', timeoutSeconds: null, retry: null, handler, undo });
const doc = (steps: NormalizedStep[]): InitiatorDocument =>
  ({ role: 'initiator', orchName: 'provision', type: 'sequential', description: null, service: null, steps });
/** Only `ops` may use AWX's default connection and the http connection `erp`. */
const handlers = {
  allowsService: (type: string, connection: string | undefined, service: string) =>
    service === 'ops' || !((type === 'awx' && (connection ?? 'default') === 'default') || (type === 'http' && connection === 'erp')),
};

describe('connectionProblems', () => {
  const steps = [
    step('reserve', { type: 'worker' }, { type: 'worker' }),
    step('vm', { type: 'awx', jobTemplateId: 7 }, { type: 'awx', connection: 'lab', jobTemplateId: 8 }),
    step('order', { type: 'http', connection: 'erp', method: 'POST', path: '/orders' }, { type: 'http', connection: 'erp', method: 'DELETE', path: '/orders/1' }),
  ];

  it('names each handler, step and undo, whose connection is closed to the service, with the variable that opens it', () => {
    expect(connectionProblems(doc(steps), 'shop', handlers)).toEqual([
      { path: 'steps', message: 'step vm: its handler names AWX connection "default", which is not open to shop (AWX_SERVICES)' },
      { path: 'steps', message: 'step order: its handler names HTTP connection "erp", which is not open to shop (HTTP_ERP_SERVICES)' },
      { path: 'steps', message: 'step order: its undo names HTTP connection "erp", which is not open to shop (HTTP_ERP_SERVICES)' },
    ]);
  });

  it('finds nothing for a service the connections are open to, or a template of workers only', () => {
    expect(connectionProblems(doc(steps), 'ops', handlers)).toEqual([]);
    expect(connectionProblems(doc([steps[0]]), 'shop', handlers)).toEqual([]);
  });
});
