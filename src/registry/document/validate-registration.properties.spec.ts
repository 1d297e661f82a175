import fc from 'fast-check';
import { stringify } from 'yaml';
import { jsonShapeProblems } from '../../common/validation/json-shape';
import type { ValidationResult } from './registration-document';
import { validateRegistration } from './validate-registration';

/*
 * Properties of the registration parser and validator over generated input: whatever arrives
 * (text, bytes, a parsed body; valid, broken or hostile), the answer is a document or a list of
 * located problems, never a throw, and it comes quickly.
 */
const LIMIT = { maxBytes: 256 * 1024 };
/** Generous for a shared 2-core CI machine; a small document takes well under a millisecond. */
const TIME_BOUND_MS = 250;
const RUNS = { numRuns: 300 };

function check(raw: string | Buffer | object, contentType: string | undefined): ValidationResult {
  const started = performance.now();
  const result = validateRegistration(raw, contentType, LIMIT);
  const elapsed = performance.now() - started;
  if (elapsed > TIME_BOUND_MS) throw new Error(`took ${elapsed.toFixed(1)} ms`);
  if (result.ok) {
    // Whatever is accepted can be stored and serialised again.
    expect(jsonShapeProblems(result.document, 'document', { maxDepth: 64 })).toEqual([]);
  } else {
    expect(result.problems.length).toBeGreaterThan(0);
    for (const p of result.problems) {
      expect(typeof p.path).toBe('string');
      expect(typeof p.message).toBe('string');
      expect(p.message.length).toBeGreaterThan(0);
    }
  }
  return result;
}

const contentTypes = fc.constantFrom('application/json', 'application/yaml', 'text/yaml', undefined, 'text/plain');
const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/);
const anyValue = fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));

const step = (valid: boolean) => fc.record({
  seq: valid ? fc.integer({ min: 1, max: 20 }) : fc.oneof(fc.integer(), anyValue),
  name: valid ? name : fc.oneof(name, anyValue),
  objectType: valid ? name : fc.oneof(name, anyValue),
}, { requiredKeys: valid ? ['seq', 'name', 'objectType'] : [] });

const validDocument = fc.record({
  orchName: name,
  as: fc.constantFrom('initiator', 'worker', 'INITIATOR', 'Worker'),
  type: fc.constantFrom('sequential', 'parallel', 'simultaneous'),
  steps: fc.uniqueArray(step(true), { minLength: 1, maxLength: 8, selector: (s) => s.name }),
}).map((d) => (d.as.toLowerCase() === 'worker' ? { orchName: d.orchName, as: d.as, steps: d.steps } : d));

const mangledDocument = fc.record({
  orchName: fc.oneof(name, anyValue),
  as: fc.oneof(fc.constantFrom('initiator', 'worker'), anyValue),
  type: fc.oneof(fc.constantFrom('sequential', 'parallel'), anyValue),
  steps: fc.oneof(fc.array(step(false), { maxLength: 6 }), anyValue),
  extra: anyValue,
  __proto__: fc.jsonValue({ maxDepth: 2 }),
}, { requiredKeys: [] });

describe('validateRegistration: properties over generated input', () => {
  it('accepts every valid document, in JSON, YAML or as a parsed body', () => {
    fc.assert(fc.property(validDocument, (doc) => {
      for (const [raw, type] of [[JSON.stringify(doc), 'application/json'], [stringify(doc), 'application/yaml'], [doc, 'application/json']] as const) {
        const result = check(raw, type);
        expect(result.ok ? result.document.orchName : result.problems).toBe(doc.orchName);
      }
    }), RUNS);
  });

  it('answers any text or bytes with a document or its problems, never a throw', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii' })), contentTypes, (text, type) => {
      check(text, type);
      check(Buffer.from(text, 'latin1'), type);
    }), RUNS);
  });

  it('answers mangled documents in JSON, YAML and parsed form with their problems, never a throw', () => {
    fc.assert(fc.property(mangledDocument, (doc) => {
      check(JSON.stringify(doc), 'application/json');
      check(stringify(doc), 'application/yaml');
      check(JSON.parse(JSON.stringify(doc)) as object, 'application/json');
    }), RUNS);
  });

  it('answers any JSON value as a parsed body, scalars and NUL characters included', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      check(value as object, 'application/json');
    }), RUNS);
  });

  it('refuses deep nesting in every form quickly, without overflowing the stack', () => {
    fc.assert(fc.property(fc.integer({ min: 60, max: 20_000 }), fc.constantFrom('[', '{"a":'), (depth, open) => {
      const close = open === '[' ? ']' : '}';
      const text = `{"orchName": ${open.repeat(depth)}1${close.repeat(depth)}}`;
      expect(check(text, 'application/json').ok).toBe(false);
      expect(check(`orchName: ${'['.repeat(depth)}1${']'.repeat(depth)}\n`, 'application/yaml').ok).toBe(false);
    }), { numRuns: 30 });
  });
});
