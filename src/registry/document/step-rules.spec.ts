import {
  checkStepRules, HEARTBEAT_NEEDS_WORKER, HEARTBEAT_WITHIN_TIMEOUT, HTTP_UNDO_MATCHES_HTTP_STEP, UNDO_TRUE_NEEDS_WORKER, WORKER_UNDO_NEEDS_WORKER,
} from './step-rules';

describe('checkStepRules', () => {
  it('reports each repeat of a step name, trimmed, at the repeat', () => {
    const steps = [{ name: 'a' }, { name: 'b' }, { name: ' a ' }, { name: 'a' }];
    expect(checkStepRules({ steps }, 'worker')).toEqual([
      { path: ['steps', 2, 'name'], message: 'duplicate step name "a" (also steps[0])' },
      { path: ['steps', 3, 'name'], message: 'duplicate step name "a" (also steps[0])' },
    ]);
  });

  it('takes heartbeatSeconds on worker steps only, and no longer than their timeout', () => {
    const steps = [
      { name: 'a', timeoutSeconds: 60, heartbeatSeconds: 10 },
      { name: 'b', heartbeatSeconds: 10 },
      { name: 'c', timeoutSeconds: 5, heartbeatSeconds: 10 },
      { name: 'd', timeoutSeconds: 10, heartbeatSeconds: 10 },
      { name: 'e', handler: { type: 'awx', jobTemplateId: 1 }, heartbeatSeconds: 10 },
    ];
    expect(checkStepRules({ steps }, 'initiator')).toEqual([
      { path: ['steps', 2, 'heartbeatSeconds'], message: HEARTBEAT_WITHIN_TIMEOUT },
      { path: ['steps', 4, 'heartbeatSeconds'], message: HEARTBEAT_NEEDS_WORKER },
    ]);
  });

  it('allows a shared seq', () => {
    expect(checkStepRules({ steps: [{ seq: 1, name: 'a' }, { seq: 1, name: 'b' }] }, 'initiator')).toEqual([]);
  });

  it('rejects undo: true and worker undo on built-in steps only', () => {
    const awx = { type: 'awx', jobTemplateId: 1 };
    const steps = [
      { name: 'a', handler: awx, undo: true },
      { name: 'b', handler: { type: 'oo' }, undo: { type: 'worker' } },
      { name: 'c', handler: awx, undo: 'worker' },
      { name: 'd', handler: awx, undo: { type: 'oo' } },
      { name: 'e', undo: true },
      { name: 'f', handler: 'worker', undo: true },
      { name: 'g', handler: awx },
    ];
    expect(checkStepRules({ steps }, 'initiator')).toEqual([
      { path: ['steps', 0, 'undo'], message: UNDO_TRUE_NEEDS_WORKER },
      { path: ['steps', 1, 'undo'], message: WORKER_UNDO_NEEDS_WORKER },
      { path: ['steps', 2, 'undo'], message: WORKER_UNDO_NEEDS_WORKER },
    ]);
  });

  it('undoes an http step with an http call only, and gives an http undo only to an http step', () => {
    const http = { type: 'http', connection: 'erp', path: '/orders' };
    const steps = [
      { name: 'a', handler: http, undo: { type: 'awx', jobTemplateId: 1 } },
      { name: 'b', handler: { type: 'oo' }, undo: http },
      { name: 'c', handler: http, undo: http },
      { name: 'd', handler: http, undo: true },
      { name: 'e', handler: http, undo: false },
    ];
    expect(checkStepRules({ steps }, 'initiator')).toEqual([
      { path: ['steps', 0, 'undo'], message: HTTP_UNDO_MATCHES_HTTP_STEP },
      { path: ['steps', 1, 'undo'], message: HTTP_UNDO_MATCHES_HTTP_STEP },
      { path: ['steps', 3, 'undo'], message: UNDO_TRUE_NEEDS_WORKER },
    ]);
  });

  it('leaves values of the wrong type to the schema', () => {
    expect(checkStepRules({ steps: 'none' }, 'initiator')).toEqual([]);
    expect(checkStepRules({ steps: [null, 3, { name: 7 }, { handler: 'awx', undo: true }] }, 'initiator')).toEqual([]);
  });
});
