import { canonicalJson, contentHash } from './content-hash';
import type { InitiatorDocument, ValidationResult } from './registration-document';
import { validateRegistration } from './validate-registration';

const LIMIT = { maxBytes: 64 * 1024 };

function doc(result: ValidationResult): InitiatorDocument {
  if (!result.ok || result.document.role !== 'initiator') throw new Error(JSON.stringify(result));
  return result.document;
}

const BASE = `orchName: tenantCreation
as: initiator
type: sequential
steps:
  - {seq: 1, name: createRealm, objectType: String, handler: {type: awx, jobTemplateId: 7, extraVars: {a: 1, b: 2}}}
  - {seq: 2, name: createClient, objectType: String}
`;

describe('contentHash', () => {
  const base = contentHash(doc(validateRegistration(BASE, 'application/yaml', LIMIT)));

  it('is a sha256 hex digest', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores formatting, key order, step order, defaults written out and the format', () => {
    const reformatted = `# the same template
as: initiator
steps:
  - name: createClient
    objectType: String
    seq: 2
    undo: true
    handler: worker
  - objectType: String
    seq: 1
    name: createRealm
    handler:
      extraVars: {b: 2, a: 1}
      jobTemplateId: 7
      type: awx
    undo: false
type: sequential
orchName: tenantCreation
service: another-service
`;
    expect(contentHash(doc(validateRegistration(reformatted, 'application/yaml', LIMIT)))).toBe(base);
    const asJson = {
      orchName: 'tenantCreation', type: 'sequential', as: 'initiator',
      steps: [
        { seq: 2, name: 'createClient', objectType: 'String' },
        { seq: 1, name: 'createRealm', objectType: 'String', handler: { type: 'awx', jobTemplateId: 7, extraVars: { b: 2, a: 1 } } },
      ],
    };
    expect(contentHash(doc(validateRegistration(asJson, 'application/json', LIMIT)))).toBe(base);
  });

  it.each([
    ['a step field', BASE.replace('objectType: String}', 'objectType: Map}')],
    ['a handler option', BASE.replace('b: 2', 'b: 3')],
    ['a seq', BASE.replace('seq: 2', 'seq: 1')],
    ['the type', BASE.replace('sequential', 'parallel')],
    ['the description', BASE.replace('type: sequential', 'type: sequential\ndescription: new')],
    ['the undo', BASE.replace('objectType: String}\n', 'objectType: String, undo: false}\n')],
    ['a timeout', BASE.replace('name: createClient, objectType: String', 'name: createClient, objectType: String, timeoutSeconds: 9')],
  ])('changes with %s', (_what, changed) => {
    expect(changed).not.toBe(BASE);
    expect(contentHash(doc(validateRegistration(changed, 'application/yaml', LIMIT)))).not.toBe(base);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order and drops undefined values', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null, u: undefined })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
    expect(canonicalJson('x')).toBe('"x"');
  });
});
