import type { InitiatorDocument } from './registration-document';
import { validateRegistration } from './validate-registration';
import { initiator, json, LIMIT, ORIGINAL_INITIATOR, ORIGINAL_WORKER, worker, yaml } from './validate-registration.fixtures';

const workerStep = (seq: number, name: string) => ({
  seq, name, objectType: 'String', timeoutSeconds: null, retry: null, handler: { type: 'worker' }, undo: { type: 'worker' },
});

describe('validateRegistration: documents the original service wrote', () => {
  const expected: InitiatorDocument = {
    role: 'initiator', orchName: 'tenantCreation', type: 'sequential', description: null, service: null,
    steps: [workerStep(1, 'createRealm'), workerStep(2, 'createClient')],
  };

  it('accepts the initiator document in YAML', () => {
    expect(yaml(ORIGINAL_INITIATOR)).toEqual({ ok: true, document: expected });
  });

  it('accepts the same document as JSON text and as an already-parsed body', () => {
    const body = {
      orchName: 'tenantCreation', as: 'initiator', type: 'sequential',
      steps: [{ seq: 1, name: 'createRealm', objectType: 'String' }, { seq: 2, name: 'createClient', objectType: 'String' }],
    };
    expect(json(JSON.stringify(body, null, 2))).toEqual({ ok: true, document: expected });
    expect(validateRegistration(body, 'application/json', LIMIT)).toEqual({ ok: true, document: expected });
    expect(validateRegistration(Buffer.from(JSON.stringify(body)), undefined, LIMIT)).toEqual({ ok: true, document: expected });
  });

  it('accepts the worker document', () => {
    expect(worker(yaml(ORIGINAL_WORKER))).toEqual({
      role: 'worker', orchName: 'tenantCreation', service: null, topic: null, steps: [{ name: 'createRealm', objectType: 'String' }],
    });
  });

  it('reads YAML without a content type and with an unknown one', () => {
    expect(validateRegistration(ORIGINAL_INITIATOR, undefined, LIMIT).ok).toBe(true);
    expect(validateRegistration(ORIGINAL_INITIATOR, 'text/plain', LIMIT).ok).toBe(true);
  });

  it('treats simultaneous as parallel', () => {
    expect(initiator(yaml(ORIGINAL_INITIATOR.replace('sequential', 'simultaneous'))).type).toBe('parallel');
    expect(initiator(yaml(ORIGINAL_INITIATOR.replace('sequential', 'parallel'))).type).toBe('parallel');
  });

  it('matches as and type case-insensitively', () => {
    const doc = initiator(yaml(ORIGINAL_INITIATOR.replace('initiator', 'INITIATOR').replace('sequential', 'Sequential')));
    expect(doc.type).toBe('sequential');
  });

  it('allows steps to share a seq (a stage that runs together) and sorts by seq, then name', () => {
    const doc = initiator(yaml(`orchName: t
as: initiator
type: sequential
steps:
  - {seq: 2, name: b, objectType: S}
  - {seq: 1, name: z, objectType: S}
  - {seq: 2, name: a, objectType: S}
`));
    expect(doc.steps.map((s) => [s.seq, s.name])).toEqual([[1, 'z'], [2, 'a'], [2, 'b']]);
  });

  it('accepts the optional extras and trims names', () => {
    const doc = initiator(yaml(`orchName: "  tenantCreation "
as: initiator
type: parallel
description: Creates a tenant
service: tenant-service
steps:
  - seq: 1
    name: createRealm
    objectType: String
    timeoutSeconds: 604800
    retry: {maxAttempts: 3}
`));
    expect(doc).toMatchObject({ orchName: 'tenantCreation', description: 'Creates a tenant', service: 'tenant-service' });
    expect(doc.steps[0]).toMatchObject({
      timeoutSeconds: 604800, retry: { maxAttempts: 3, backoff: 'exponential', initialDelaySeconds: 1, maxDelaySeconds: 60 },
    });
  });

  it('accepts a worker topic and service, and ignores a seq on worker steps', () => {
    const doc = worker(yaml(`orchName: t
as: worker
service: realm-service
topic: realm.commands_v1
steps:
  - {seq: 1, name: createRealm, objectType: String}
`));
    expect(doc).toEqual({
      role: 'worker', orchName: 't', service: 'realm-service', topic: 'realm.commands_v1', steps: [{ name: 'createRealm', objectType: 'String' }],
    });
  });

  it('shares values through anchors and aliases', () => {
    const doc = initiator(yaml(`orchName: t
as: initiator
type: sequential
steps:
  - {seq: 1, name: a, objectType: S, retry: &retry {maxAttempts: 5, backoff: fixed}}
  - {seq: 2, name: b, objectType: S, retry: *retry}
`));
    expect(doc.steps[1].retry).toEqual({ maxAttempts: 5, backoff: 'fixed', initialDelaySeconds: 1, maxDelaySeconds: 60 });
  });
});
