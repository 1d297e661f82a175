import type { InitiatorDocument, ValidationResult, WorkerDocument } from './registration-document';
import { validateRegistration } from './validate-registration';

const LIMIT = { maxBytes: 256 * 1024 };
const yaml = (text: string) => validateRegistration(text, 'application/yaml', LIMIT);
const json = (text: string) => validateRegistration(text, 'application/json', LIMIT);

function problems(result: ValidationResult) {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.document)}`);
  return result.problems;
}
function initiator(result: ValidationResult): InitiatorDocument {
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  if (result.document.role !== 'initiator') throw new Error('expected an initiator');
  return result.document;
}
function worker(result: ValidationResult): WorkerDocument {
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  if (result.document.role !== 'worker') throw new Error('expected a worker');
  return result.document;
}

const ORIGINAL_INITIATOR = `orchName: tenantCreation
as: initiator
type: sequential
steps:
  - {seq: 1, name: createRealm, objectType: String}
  - {seq: 2, name: createClient, objectType: String}
`;
const ORIGINAL_WORKER = `orchName: tenantCreation
as: worker
steps:
  - {name: createRealm, objectType: String}
`;
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

describe('validateRegistration: handlers and undo', () => {
  const doc = (steps: string) => yaml(`orchName: t\nas: initiator\ntype: sequential\nsteps:\n${steps}`);

  it('normalizes handler and undo for worker and built-in steps', () => {
    const d = initiator(doc(`  - {seq: 1, name: w1, objectType: S}
  - {seq: 2, name: w2, objectType: S, handler: worker, undo: false}
  - {seq: 3, name: w3, objectType: S, handler: {type: worker}, undo: true}
  - {seq: 4, name: w4, objectType: S, undo: {type: awx, jobTemplateId: 9}}
  - {seq: 5, name: a1, objectType: S, handler: {type: awx, connection: tower, jobTemplateId: 7, extraVars: {env: prod}}}
  - {seq: 6, name: a2, objectType: S, handler: {type: awx, workflowJobTemplateId: 8}, undo: false}
  - seq: 7
    name: o1
    objectType: S
    handler: {type: oo, flowUuid: 0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a, inputs: {vm: "{{payload.vm}}"}, runName: create, successResultTypes: [RESOLVED, DIAGNOSED, RESOLVED]}
    undo: {type: oo, flowUuid: 1b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a}
`));
    expect(d.steps.map((s) => [s.name, s.handler, s.undo])).toEqual([
      ['w1', { type: 'worker' }, { type: 'worker' }],
      ['w2', { type: 'worker' }, false],
      ['w3', { type: 'worker' }, { type: 'worker' }],
      ['w4', { type: 'worker' }, { type: 'awx', jobTemplateId: 9 }],
      ['a1', { type: 'awx', connection: 'tower', jobTemplateId: 7, extraVars: { env: 'prod' } }, false],
      ['a2', { type: 'awx', workflowJobTemplateId: 8 }, false],
      ['o1', {
        type: 'oo', flowUuid: '0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a', inputs: { vm: '{{payload.vm}}' }, runName: 'create',
        successResultTypes: ['DIAGNOSED', 'RESOLVED'],
      }, { type: 'oo', flowUuid: '1b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a' }],
    ]);
  });

  it('rejects undo: true and a worker undo on built-in steps', () => {
    expect(problems(doc(`  - {seq: 1, name: a, objectType: S, handler: {type: awx, jobTemplateId: 1}, undo: true}
  - {seq: 2, name: b, objectType: S, handler: {type: awx, jobTemplateId: 1}, undo: worker}
`))).toEqual([
      { path: 'steps[0].undo', message: 'undo: true needs a worker step; give an awx/oo undo handler', line: 5, column: 84 },
      { path: 'steps[1].undo', message: 'a worker undo needs a worker step; give an awx/oo undo handler', line: 6, column: 84 },
    ]);
  });

  it('rejects URL, host and credential fields on built-in handlers', () => {
    const result = problems(doc(`  - seq: 1
    name: a
    objectType: S
    handler: {type: awx, jobTemplateId: 1, url: "http://tower", username: admin}
    undo: {type: oo, flowUuid: 0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a, host: oo.example.com, password: x}
`));
    const allowedAwx = 'unknown field (allowed: type, connection, jobTemplateId, workflowJobTemplateId, extraVars)';
    const allowedOo = 'unknown field (allowed: type, connection, flowUuid, inputs, runName, successResultTypes)';
    expect(result).toEqual([
      { path: 'steps[0].handler.url', message: allowedAwx, line: 8, column: 44 },
      { path: 'steps[0].handler.username', message: allowedAwx, line: 8, column: 65 },
      { path: 'steps[0].undo.host', message: allowedOo, line: 9, column: 70 },
      { path: 'steps[0].undo.password', message: allowedOo, line: 9, column: 92 },
    ]);
  });

  it('reports handler shape problems at their paths', () => {
    expect(problems(doc(`  - {seq: 1, name: a, objectType: S, handler: {type: awx}}
  - {seq: 2, name: b, objectType: S, handler: {type: awx, jobTemplateId: 1, workflowJobTemplateId: 2}}
  - {seq: 3, name: c, objectType: S, handler: {type: ansible}}
  - {seq: 4, name: d, objectType: S, handler: awx}
  - {seq: 5, name: e, objectType: S, handler: {type: oo, flowUuid: not-a-uuid, successResultTypes: [DONE]}}
  - {seq: 6, name: f, objectType: S, undo: maybe}
  - {seq: 7, name: g, objectType: S, handler: {type: oo}}
`))).toEqual([
      { path: 'steps[0].handler', message: 'give jobTemplateId or workflowJobTemplateId', line: 5, column: 47 },
      { path: 'steps[1].handler.workflowJobTemplateId', message: 'give jobTemplateId or workflowJobTemplateId, not both', line: 6, column: 100 },
      { path: 'steps[2].handler.type', message: 'must be one of: worker, awx, oo', line: 7, column: 54 },
      { path: 'steps[3].handler', message: 'must be "worker" or a handler object {type: worker | awx | oo, ...}', line: 8, column: 47 },
      { path: 'steps[4].handler.flowUuid', message: 'must be a UUID (8-4-4-4-12 hex digits)', line: 9, column: 68 },
      { path: 'steps[4].handler.successResultTypes[0]', message: 'must be one of: RESOLVED, DIAGNOSED, NO_ACTION_TAKEN, ERROR', line: 9, column: 101 },
      { path: 'steps[5].undo', message: 'must be true, false or a handler object {type: worker | awx | oo, ...}', line: 10, column: 44 },
      { path: 'steps[6].handler.flowUuid', message: 'is required', line: 11, column: 47 },
    ]);
  });
});

describe('validateRegistration: every problem at once, with path, line and column', () => {
  it('reports missing, mistyped, out-of-range and unknown fields together', () => {
    const result = yaml(`orchName: tenant creation
as: initiator
type: sequential
color: blue
steps:
  - seq: 0
    name: createRealm
    objectType: String
    timeoutSeconds: 604801
  - seq: "2"
    name: createRealm
    retry: {maxAttempts: 0, backoff: linear, initialDelaySeconds: 5, maxDelaySeconds: 2}
  - seq: 3
    name: -bad
    objectType: ""
    timeout: 5
`);
    expect(result).toEqual({
      ok: false, orchName: 'tenant creation', role: 'initiator',
      problems: [
        { path: 'orchName', message: 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"', line: 1, column: 11 },
        { path: 'color', message: 'unknown field (allowed: orchName, as, type, description, service, steps)', line: 4, column: 1 },
        { path: 'steps[0].seq', message: 'must be a positive integer', line: 6, column: 10 },
        { path: 'steps[0].timeoutSeconds', message: 'must be at most 604800', line: 9, column: 21 },
        { path: 'steps[1].objectType', message: 'is required', line: 10, column: 5 },
        { path: 'steps[1].seq', message: 'expected a number, found a string "2"', line: 10, column: 10 },
        { path: 'steps[1].name', message: 'duplicate step name "createRealm" (also steps[0])', line: 11, column: 11 },
        { path: 'steps[1].retry.maxAttempts', message: 'must be at least 1', line: 12, column: 26 },
        { path: 'steps[1].retry.backoff', message: 'must be one of: fixed, exponential', line: 12, column: 38 },
        { path: 'steps[2].name', message: 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"', line: 14, column: 11 },
        { path: 'steps[2].objectType', message: 'must not be empty', line: 15, column: 17 },
        { path: 'steps[2].timeout', message: 'unknown field (allowed: seq, name, objectType, timeoutSeconds, retry, handler, undo)', line: 16, column: 5 },
      ],
    });
  });

  it('reports a missing required field at the map that should hold it', () => {
    expect(problems(yaml('orchName: t\nas: initiator\nsteps:\n  - {seq: 1, name: a}\n'))).toEqual([
      { path: 'type', message: 'is required: one of sequential, parallel, simultaneous', line: 1, column: 1 },
      { path: 'steps[0].objectType', message: 'is required', line: 4, column: 5 },
    ]);
  });

  it('reports a missing or unknown role, and what it can check without one', () => {
    expect(yaml('orchName: t\nsteps: []\n')).toEqual({
      ok: false, orchName: 't', problems: [{ path: 'as', message: 'is required: one of initiator, worker', line: 1, column: 1 }],
    });
    expect(yaml('orchName: "a b"\nas: boss\n')).toEqual({
      ok: false, orchName: 'a b', role: 'boss',
      problems: [
        { path: 'orchName', message: 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"', line: 1, column: 11 },
        { path: 'as', message: 'must be one of: initiator, worker', line: 2, column: 5 },
      ],
    });
  });

  it('reports an unknown type, empty steps and wrong top-level types', () => {
    expect(problems(yaml('orchName: t\nas: initiator\ntype: random\ndescription: [x]\nsteps: []\n'))).toEqual([
      { path: 'type', message: 'must be one of: sequential, parallel, simultaneous', line: 3, column: 7 },
      { path: 'description', message: 'expected a string, found a list', line: 4, column: 14 },
      { path: 'steps', message: 'must have at least one step', line: 5, column: 8 },
    ]);
    expect(problems(yaml('orchName: t\nas: initiator\ntype: parallel\nsteps: {seq: 1}\n'))).toEqual([
      { path: 'steps', message: 'expected a list, found a map', line: 4, column: 8 },
    ]);
  });

  it('checks worker documents: non-empty steps, duplicate names, topic, no initiator fields', () => {
    expect(problems(yaml('orchName: t\nas: worker\nsteps: []\n'))).toEqual([
      { path: 'steps', message: 'must have at least one step', line: 3, column: 8 },
    ]);
    expect(problems(yaml(`orchName: t
as: worker
type: sequential
topic: "bad topic!"
steps:
  - {name: a, objectType: S}
  - {name: a, objectType: S, handler: worker}
`))).toEqual([
      { path: 'type', message: 'unknown field (allowed: orchName, as, service, topic, steps)', line: 3, column: 1 },
      { path: 'topic', message: 'must be 1-200 letters, digits, ".", "_" or "-"', line: 4, column: 8 },
      { path: 'steps[1].name', message: 'duplicate step name "a" (also steps[0])', line: 7, column: 12 },
      { path: 'steps[1].handler', message: 'unknown field (allowed: seq, name, objectType)', line: 7, column: 30 },
    ]);
  });

  it('reports paths without positions for JSON', () => {
    expect(problems(json('{"orchName": "t", "as": "initiator", "type": "sequential", "steps": [{"seq": 1.5, "name": "a"}]}'))).toEqual([
      { path: 'steps[0].seq', message: 'must be an integer' },
      { path: 'steps[0].objectType', message: 'is required' },
    ]);
  });
});

describe('validateRegistration: hostile and malformed input', () => {
  it('rejects a document over the limit before parsing it', () => {
    const text = `${ORIGINAL_INITIATOR}# ${'x'.repeat(300)}\n`;
    expect(validateRegistration(text, 'application/yaml', { maxBytes: 200 })).toEqual({
      ok: false, problems: [{ path: '(document)', message: `the document is ${text.length} bytes; the limit is 200 bytes` }],
    });
  });

  it('rejects __proto__, constructor and prototype keys in YAML with their positions', () => {
    expect(problems(yaml(`orchName: t
as: initiator
type: sequential
__proto__: {polluted: true}
steps:
  - {seq: 1, name: a, objectType: S, handler: {type: awx, jobTemplateId: 1, extraVars: {constructor: {prototype: 1}}}}
`))).toEqual([
      { path: '__proto__', message: 'key "__proto__" is not allowed', line: 4, column: 1 },
      { path: 'steps[0].handler.extraVars.constructor', message: 'key "constructor" is not allowed', line: 6, column: 89 },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects __proto__ keys in JSON text and parsed bodies', () => {
    const text = '{"orchName": "t", "as": "worker", "steps": [{"name": "a", "objectType": "S", "__proto__": {"polluted": true}}]}';
    const expected = [{ path: 'steps[0].__proto__', message: 'key "__proto__" is not allowed' }];
    expect(problems(json(text))).toEqual(expected);
    expect(problems(validateRegistration(JSON.parse(text) as object, 'application/json', LIMIT))).toEqual(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects more than one YAML document', () => {
    expect(problems(yaml(`${ORIGINAL_INITIATOR}---\n${ORIGINAL_WORKER}`))).toEqual([
      { path: '(document)', message: 'expected one YAML document, found 2 (separated by ---)', line: 7, column: 1 },
    ]);
  });

  it('rejects a billion-laughs alias bomb quickly', () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) {
      rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(problems(yaml(`${rows.join('\n')}\n`))).toEqual([
      { path: '(document)', message: 'aliases expand to too many nodes (more than 100); write the values out instead' },
    ]);
  });

  it('rejects custom and non-core tags', () => {
    expect(problems(yaml(`orchName: !!js/function "function () {}"
as: !foo initiator
type: !!binary aGk=
steps: !!set {a}
`))).toEqual([
      { path: 'orchName', message: 'tag !!js/function is not allowed (only plain YAML values)', line: 1, column: 25 },
      { path: 'as', message: 'tag !foo is not allowed (only plain YAML values)', line: 2, column: 10 },
      { path: 'type', message: 'tag !!binary is not allowed (only plain YAML values)', line: 3, column: 16 },
      { path: 'steps', message: 'tag !!set is not allowed (only plain YAML values)', line: 4, column: 14 },
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(problems(yaml('orchName: t\nas: worker\nsteps:\n  - {name: a, objectType: S\n'))).toEqual([
      expect.objectContaining({ path: '(document)', line: 5, column: 1 }),
    ]);
  });

  it('reports JSON syntax errors with line and column', () => {
    expect(problems(json('{\n  "orchName": "t",\n  "as": "worker",\n  "steps": [,]\n}'))).toEqual([
      { path: '(document)', message: 'invalid JSON: expected a value, found ","', line: 4, column: 13 },
    ]);
  });

  it('requires the root to be a map', () => {
    expect(problems(yaml('- a\n- b\n'))).toEqual([
      { path: '(document)', message: 'the document must be a map (with orchName, as, steps), found a list', line: 1, column: 1 },
    ]);
    expect(problems(json('"tenantCreation"'))).toEqual([
      { path: '(document)', message: 'the document must be a map (with orchName, as, steps), found a string' },
    ]);
    expect(problems(yaml(''))).toEqual([{ path: '(document)', message: 'document is empty' }]);
  });

  it('rejects duplicate and non-string keys', () => {
    expect(problems(yaml('orchName: t\nas: worker\norchName: u\n1: x\nsteps: [{name: a, objectType: S}]\n'))).toEqual([
      { path: 'orchName', message: 'duplicate key "orchName"', line: 3, column: 1 },
      { path: '["1"]', message: 'map keys must be strings, found a number', line: 4, column: 1 },
    ]);
  });

  it('validates a 256 KiB document of many keys (timing measured by hand, not asserted)', () => {
    const head = 'orchName: big\nas: initiator\ntype: sequential\nsteps:\n  - seq: 1\n    name: a\n    objectType: S\n    handler:\n      type: awx\n      jobTemplateId: 1\n      extraVars:\n';
    const lines = [head];
    let size = head.length;
    for (let i = 0; ; i++) {
      const line = `        k${i}: ${i}\n`;
      if (size + line.length > LIMIT.maxBytes) break;
      lines.push(line);
      size += line.length;
    }
    const result = initiator(yaml(lines.join('')));
    expect(Object.keys(result.steps[0].handler.extraVars as object).length).toBe(lines.length - 1);

    const unknown = ['orchName: big\nas: worker\nsteps: [{name: a, objectType: S}]\n'];
    for (let i = 0; unknown.length < 20000; i++) unknown.push(`k${i}: ${i}\n`);
    const many = problems(yaml(unknown.join('')));
    expect(many).toHaveLength(201);
    expect(many[200]).toEqual({ path: '(document)', message: '19799 more problems not listed' });
  });
});
