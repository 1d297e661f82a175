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

  /** A scrub sees `password` and `hunter2` apart, so a failed call's answer kept them both whole. */
  it('hides the string or number under a key it is told names a credential, at any depth the copy keeps', () => {
    const hides = (key: string) => /password|secret/i.test(key);
    const answer = { password: 'hunter2', error: { client_secret: 's3cr3t', pin_password: 1234, items: [{ secret: 'x' }] },
      secrets: ['kept: not under such a key'], password_required: true, secret_ref: null, detail: 'password' };
    expect(storableJson(answer, (t) => t, undefined, hides)).toEqual({ password: '***',
      error: { client_secret: '***', pin_password: '***', items: [{ secret: '***' }] },
      secrets: ['kept: not under such a key'], password_required: true, secret_ref: null, detail: 'password' });
    let deep: unknown = { password: 'hunter2' };
    for (let i = 0; i < 10; i++) deep = { next: deep };
    expect(JSON.stringify(storableJson(deep, undefined, 20, hides))).toContain('"password":"***"');
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
