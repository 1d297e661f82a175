import { unstorableReason } from '../common/validation/storable-text';
import { storableJson } from './storable-json';

describe('storableJson', () => {
  it('replaces NUL and lone surrogates in strings and keys, keeping everything else', () => {
    const parsed: unknown = JSON.parse('{"name":"\\ud83d","a\\u0000b":["x\\u0000y",1,true,null,{"ok":"😀"}]}');
    expect(storableJson(parsed)).toEqual({ name: '\uFFFD', 'a\uFFFDb': ['x\uFFFDy', 1, true, null, { ok: '😀' }] });
    expect(unstorableReason(JSON.stringify(storableJson(parsed)))).toBeUndefined();
  });

  it('applies the mapping (a scrub) to every string and key first', () => {
    expect(storableJson({ secret: 'token secret' }, (t) => t.replace('secret', '***'))).toEqual({ '***': 'token ***' });
  });

  it('keeps a __proto__ key as data, never as the prototype', () => {
    const out = storableJson(JSON.parse('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });

  /** Reversed, a partner's status object read backwards in the step's error ({"detail":…,"phase":…}). */
  it('keeps keys in the order they were written', () => {
    const copy = storableJson({ phase: 'exporting', detail: { b: 1, a: [{ y: 1, x: 2 }] }, z: null });
    expect(JSON.stringify(copy)).toBe('{"phase":"exporting","detail":{"b":1,"a":[{"y":1,"x":2}]},"z":null}');
  });

  it('cuts hostile nesting instead of overflowing the stack', () => {
    const deep: unknown = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    let node = storableJson(deep, undefined, 3);
    expect(node).toEqual([[['(nested deeper than 3 levels: not kept)']]]);
    node = storableJson(deep);
    expect(() => JSON.stringify(node)).not.toThrow();
  });
});
