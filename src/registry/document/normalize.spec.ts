import type { InitiatorInput } from './registration-document.schema';
import { normalizeHandler, normalizeInitiator, normalizeRetry, normalizeUndo, normalizeWorker } from './normalize';

describe('normalizeInitiator', () => {
  const input: InitiatorInput = {
    orchName: 't', as: 'initiator', type: 'simultaneous', description: '  ', service: undefined,
    steps: [
      { seq: 2, name: 'b', objectType: 'S' },
      { seq: 1, name: 'c', objectType: 'S', handler: { type: 'awx', jobTemplateId: 4 } },
      { seq: 2, name: 'a', objectType: 'S', timeoutSeconds: 30, retry: { maxAttempts: 2 }, undo: false },
    ],
  };

  it('fills defaults, maps simultaneous to parallel and orders steps by seq then name', () => {
    expect(normalizeInitiator(input)).toEqual({
      role: 'initiator', orchName: 't', type: 'parallel', description: null, service: null,
      steps: [
        { seq: 1, name: 'c', objectType: 'S', timeoutSeconds: null, retry: null, handler: { type: 'awx', jobTemplateId: 4 }, undo: false },
        {
          seq: 2, name: 'a', objectType: 'S', timeoutSeconds: 30,
          retry: { maxAttempts: 2, backoff: 'exponential', initialDelaySeconds: 1, maxDelaySeconds: 60 },
          handler: { type: 'worker' }, undo: false,
        },
        { seq: 2, name: 'b', objectType: 'S', timeoutSeconds: null, retry: null, handler: { type: 'worker' }, undo: { type: 'worker' } },
      ],
    });
  });

  it('keeps sequential', () => {
    expect(normalizeInitiator({ ...input, type: 'sequential' }).type).toBe('sequential');
  });
});

describe('normalizeWorker', () => {
  it('drops a seq given on worker steps', () => {
    expect(normalizeWorker({ orchName: 't', as: 'worker', topic: 'x.y', steps: [{ seq: 3, name: 'a', objectType: 'S' }] })).toEqual({
      role: 'worker', orchName: 't', service: null, topic: 'x.y', steps: [{ name: 'a', objectType: 'S' }],
    });
  });
});

describe('normalizeRetry', () => {
  it('keeps given values and raises the default cap to a longer first delay', () => {
    expect(normalizeRetry({ maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 0, maxDelaySeconds: 5 })).toEqual({
      maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 0, maxDelaySeconds: 5,
    });
    expect(normalizeRetry({ maxAttempts: 3, initialDelaySeconds: 120 })).toMatchObject({ initialDelaySeconds: 120, maxDelaySeconds: 120 });
  });
});

describe('normalizeHandler', () => {
  it('drops undefined options and sorts OO result types as a set', () => {
    expect(normalizeHandler({ type: 'awx', jobTemplateId: 1, workflowJobTemplateId: undefined })).toEqual({ type: 'awx', jobTemplateId: 1 });
    expect(normalizeHandler({ type: 'oo', flowUuid: 'u', successResultTypes: ['RESOLVED', 'ERROR', 'RESOLVED'] })).toEqual({
      type: 'oo', flowUuid: 'u', successResultTypes: ['ERROR', 'RESOLVED'],
    });
  });
});

describe('normalizeUndo', () => {
  const worker = { type: 'worker' };
  const awx = { type: 'awx', jobTemplateId: 1 };

  it('compensates worker steps through the worker unless told not to', () => {
    expect(normalizeUndo(undefined, worker)).toEqual({ type: 'worker' });
    expect(normalizeUndo(true, worker)).toEqual({ type: 'worker' });
    expect(normalizeUndo(false, worker)).toBe(false);
    expect(normalizeUndo({ type: 'oo', flowUuid: 'u' }, worker)).toEqual({ type: 'oo', flowUuid: 'u' });
  });

  it('gives built-in steps no undo unless a handler is named', () => {
    expect(normalizeUndo(undefined, awx)).toBe(false);
    expect(normalizeUndo(false, awx)).toBe(false);
    expect(normalizeUndo({ type: 'awx', workflowJobTemplateId: 2 }, awx)).toEqual({ type: 'awx', workflowJobTemplateId: 2 });
    expect(() => normalizeUndo(true, awx)).toThrow('rejected before normalizing');
  });
});
