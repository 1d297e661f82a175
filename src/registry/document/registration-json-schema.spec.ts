import Ajv from 'ajv';
import { registrationDocumentJsonSchema } from './registration-json-schema';
import { json } from './validate-registration.fixtures';

type Schema = Record<string, unknown>;

/** OpenAPI 3.0's boolean exclusiveMinimum becomes draft 7's numeric one; ajv reads `nullable` itself. */
function toDraft7(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toDraft7);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, toDraft7(v)]));
  if (out.exclusiveMinimum === true) {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  }
  return out;
}

const schemaValid = new Ajv({ strict: false, allErrors: true }).compile(toDraft7(registrationDocumentJsonSchema()) as Schema);

const step = (extra: Schema = {}) => ({ seq: 1, name: 'createRealm', objectType: 'String', ...extra });
const initiatorDoc = (extra: Schema = {}, steps: Schema[] = [step()]) => ({ orchName: 'tenantCreation', as: 'initiator', type: 'sequential', steps, ...extra });
const workerDoc = (extra: Schema = {}, steps: Schema[] = [{ name: 'createRealm', objectType: 'String' }]) =>
  ({ orchName: 'tenantCreation', as: 'worker', steps, ...extra });
const FLOW = '0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a';

const VALID: Array<[string, Schema]> = [
  ['the original initiator', initiatorDoc({}, [step(), step({ seq: 2, name: 'createClient' })])],
  ['the original worker', workerDoc()],
  ['a worker with its service and topic', workerDoc({ service: 'realm-service', topic: 'orchestrator.commands.realm' })],
  ['a dag with dependsOn, onFailure, deadline and pinned workers', initiatorDoc({
    type: 'dag', deadlineSeconds: 3600, onDeadline: 'alert', description: 'tenants', service: 'tenant-service', workers: ['realm-service'],
  }, [{ name: 'a', objectType: 'S' }, { name: 'b', objectType: 'S', dependsOn: ['a'], onFailure: 'pause', workers: ['realm-service'] }])],
  ['retry and timeout', initiatorDoc({}, [step({ timeoutSeconds: 30, retry: { maxAttempts: 3, backoff: 'exponential', initialDelaySeconds: 1, maxDelaySeconds: 60 } })])],
  ['the worker shorthand and undo flags', initiatorDoc({}, [step({ handler: 'worker', undo: false }), step({ seq: 2, name: 'b', undo: true })])],
  ['an AWX step with an AWX undo', initiatorDoc({}, [step({
    handler: { type: 'awx', connection: 'tower', jobTemplateId: 7, extraVars: { env: 'prod' } }, undo: { type: 'awx', workflowJobTemplateId: 9 },
  })])],
  ['an OO step', initiatorDoc({}, [step({ handler: { type: 'oo', flowUuid: FLOW, inputs: '${payload}', runName: 'create', successResultTypes: ['RESOLVED'] } })])],
  ['an HTTP step', initiatorDoc({}, [step({ handler: { type: 'http', connection: 'partner', method: 'POST', path: '/tenants', body: { a: 1 }, timeoutMs: 5000 } })])],
  ['nulls where the validator takes them', initiatorDoc({ deadlineSeconds: null, description: null }, [step({ timeoutSeconds: null, retry: null })])],
];

const REJECTED: Array<[string, unknown]> = [
  ['no orchName', { as: 'initiator', type: 'sequential', steps: [step()] }],
  ['an orchName with a space', initiatorDoc({ orchName: 'bad name' })],
  ['an orchName of 201 characters', initiatorDoc({ orchName: 'a'.repeat(201) })],
  ['an unknown role', initiatorDoc({ as: 'boss' })],
  ['an unknown type', initiatorDoc({ type: 'zigzag' })],
  ['no steps', initiatorDoc({}, [])],
  ['an unknown top-level field', initiatorDoc({ owner: 'x' })],
  ['a step without objectType', initiatorDoc({}, [{ seq: 1, name: 'a' }])],
  ['an unknown step field', initiatorDoc({}, [step({ colour: 'red' })])],
  ['seq 0', initiatorDoc({}, [step({ seq: 0 })])],
  ['a fractional seq', initiatorDoc({}, [step({ seq: 1.5 })])],
  ['a timeout beyond a week', initiatorDoc({}, [step({ timeoutSeconds: 604801 })])],
  ['retry without maxAttempts', initiatorDoc({}, [step({ retry: { backoff: 'fixed' } })])],
  ['101 retry attempts', initiatorDoc({}, [step({ retry: { maxAttempts: 101 } })])],
  ['an unknown handler type', initiatorDoc({}, [step({ handler: { type: 'ftp' } })])],
  ['an AWX handler with a URL', initiatorDoc({}, [step({ handler: { type: 'awx', jobTemplateId: 7, url: 'http://evil' } })])],
  ['an OO handler without a UUID', initiatorDoc({}, [step({ handler: { type: 'oo', flowUuid: 'x' } })])],
  ['an HTTP handler with a timeout of 0', initiatorDoc({}, [step({ handler: { type: 'http', connection: 'p', path: '/x', timeoutMs: 0 } })])],
  ['undo as a number', initiatorDoc({}, [step({ undo: 1 })])],
  ['an unknown onFailure', initiatorDoc({}, [step({ onFailure: 'explode' })])],
  ['a deadline of 0', initiatorDoc({ deadlineSeconds: 0 })],
  ['an unknown onDeadline', initiatorDoc({ onDeadline: 'panic' })],
  ['an empty workers list', initiatorDoc({ workers: [] })],
  ['101 dependencies', initiatorDoc({ type: 'dag' }, [step({ dependsOn: Array.from({ length: 101 }, (_, i) => `s${i}`) })])],
  ['a description of 2001 characters', initiatorDoc({ description: 'd'.repeat(2001) })],
  ['a worker topic with a space', workerDoc({ topic: 'a b' })],
  ['a worker step with seq -1', workerDoc({}, [{ seq: -1, name: 'a', objectType: 'S' }])],
  ['a worker with an initiator field', workerDoc({ type: 'sequential' })],
  ['an array', [initiatorDoc()]],
];

describe('the registration document schema in the API document', () => {
  it.each(VALID)('describes a document the validator accepts: %s', (_name, doc) => {
    expect(json(JSON.stringify(doc)).ok).toBe(true);
    expect([schemaValid(doc), schemaValid.errors]).toEqual([true, null]);
  });

  it.each(REJECTED)('rejects what the validator rejects: %s', (_name, doc) => {
    expect(json(JSON.stringify(doc)).ok).toBe(false);
    expect(schemaValid(doc)).toBe(false);
  });

  it('summarizes only the HTTP block in the served document, keeping it an object that names the connection and path', () => {
    const served = new Ajv({ strict: false }).compile(toDraft7(registrationDocumentJsonSchema({ summarizeHttp: true })) as Schema);
    for (const [, doc] of VALID) expect(served(doc)).toBe(true);
    expect(JSON.stringify(registrationDocumentJsonSchema({ summarizeHttp: true }))).not.toContain('"timeoutMs":{');
    expect(served(initiatorDoc({}, [step({ handler: { type: 'http', path: '/x' } })]))).toBe(false);
  });

  it('is generated from the validator: a bound changed there shows up here', () => {
    const text = JSON.stringify(registrationDocumentJsonSchema());
    expect(text).toContain('"maximum":604800');
    expect(text).toContain('"pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$"');
  });
});
