import { validateRegistration } from './validate-registration';

const check = (doc: object) => validateRegistration(doc, 'application/json', { maxBytes: 1 << 20 });
const dag = (steps: object[], type = 'dag') => ({ orchName: 'd', as: 'initiator', type, steps });
const s = (name: string, dependsOn?: string[], extra: object = {}) => ({ name, objectType: 'S', ...(dependsOn ? { dependsOn } : {}), ...extra });

describe('DAG templates: validation and normal form', () => {
  it('accepts a diamond without seq, and numbers each step by its depth', () => {
    const result = check(dag([s('d', ['c', 'b']), s('a'), s('b', ['a']), s('c', ['a'])]));
    expect(result.ok).toBe(true);
    if (!result.ok || result.document.role !== 'initiator') return;
    expect(result.document.type).toBe('dag');
    expect(result.document.steps.map((x) => [x.name, x.seq, x.dependsOn])).toEqual([
      ['a', 1, undefined], ['b', 2, ['a']], ['c', 2, ['a']], ['d', 3, ['b', 'c']],
    ]);
  });

  it('treats a parallel template with dependsOn as a DAG', () => {
    const result = check(dag([s('a', undefined, { seq: 1 }), s('b', ['a'], { seq: 1 })], 'parallel'));
    expect(result.ok && result.document.role === 'initiator' && result.document.type).toBe('dag');
  });

  it('names unknown steps, self-dependencies and cycles', () => {
    const result = check(dag([s('a', ['c']), s('b', ['a', 'b']), s('c', ['b', 'ghost'])]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'steps[1].dependsOn[1]: a step cannot depend on itself',
      'steps[2].dependsOn[1]: unknown step "ghost"',
      'steps: dependency cycle: a → c → b → a (each step depends on the next)',
    ]);
  });

  it('rejects dependsOn in a sequential template, and a missing seq outside a DAG', () => {
    const result = check(dag([s('a', undefined, { seq: 1 }), s('b', ['a'], { seq: 2 }), s('c')], 'sequential'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual(['steps[1].dependsOn', 'steps[2].seq']);
  });
});
