import { interpolate, interpolateString, InterpolationContext, InterpolationError } from './interpolate';

const ctx: InterpolationContext = {
  payload: { email: 'a@example.com', count: 3, tags: ['x', 'y'], nested: { ok: true, none: null }, items: [{ id: 7 }] },
  payloadEncoding: 'json',
  outputs: { reserveIp: { ip: '10.0.0.5', artifacts: { vlan: 12 } }, empty: null },
  flowId: 'f-1',
  correlationId: 'c-1',
};

const run = (template: unknown) => interpolate(template, ctx);

describe('interpolate', () => {
  it('keeps the JSON type of a value that is exactly one reference', () => {
    expect(run({ n: '${payload.count}', o: '${payload.nested}', a: '${payload.tags}', z: '${payload.nested.none}' }))
      .toEqual({ n: 3, o: { ok: true, none: null }, a: ['x', 'y'], z: null });
  });

  it('encodes inserted values, not the template, when asked (an http path)', () => {
    expect(interpolateString('/users/${payload.email}/tags/${payload.tags}', ctx, encodeURIComponent)).toBe('/users/a%40example.com/tags/%5B%22x%22%2C%22y%22%5D');
    expect(interpolateString('${payload.count}', ctx, encodeURIComponent)).toBe('3');
  });

  it('interpolates into strings, objects as JSON', () => {
    expect(run('user ${payload.email} has ${payload.count} (${payload.tags})')).toBe('user a@example.com has 3 (["x","y"])');
  });

  it('reads earlier step outputs, flowId and correlationId', () => {
    expect(run({ ip: '${steps.reserveIp.output.ip}', vlan: '${steps.reserveIp.output.artifacts.vlan}', all: '${steps.reserveIp.output}' }))
      .toEqual({ ip: '10.0.0.5', vlan: 12, all: { ip: '10.0.0.5', artifacts: { vlan: 12 } } });
    expect(run('${flowId}/${correlationId}')).toBe('f-1/c-1');
  });

  it('indexes arrays with dots or brackets', () => {
    expect(run(['${payload.items.0.id}', '${payload.items[0].id}', '${payload.tags[1]}'])).toEqual([7, 7, 'y']);
  });

  it('walks nested templates and leaves non-strings alone', () => {
    expect(run({ a: [{ b: '${payload.count}' }], n: 1, t: true, z: null })).toEqual({ a: [{ b: 3 }], n: 1, t: true, z: null });
  });

  it('writes $${ as a literal ${', () => {
    expect(run('cost: $${payload.count}')).toBe('cost: ${payload.count}');
    expect(run('$${x}')).toBe('${x}');
  });

  it('fails clearly on an unknown field, naming where', () => {
    expect(() => interpolate({ vars: { mail: '${payload.mail}' } }, ctx, 'extraVars'))
      .toThrow("extraVars.vars.mail: ${payload.mail}: payload has no field 'mail' (it is an object)");
  });

  it('fails clearly on an unknown step, listing those with outputs', () => {
    expect(() => run('${steps.nope.output.ip}')).toThrow("no output of step 'nope' (steps with outputs: reserveIp, empty)");
  });

  it('fails on a missing array element and on fields of scalars and nulls', () => {
    expect(() => run('${payload.items.3}')).toThrow('has no element 3');
    expect(() => run('${payload.count.x}')).toThrow("payload.count has no field 'x' (it is a number)");
    expect(() => run('${steps.empty.output.x}')).toThrow('(it is null)');
  });

  it('rejects malformed and unknown references', () => {
    expect(() => run('${}')).toThrow(InterpolationError);
    expect(() => run('${payload..x}')).toThrow('not a valid reference');
    expect(() => run('${env.HOME}')).toThrow("unknown name 'env'");
    expect(() => run('${steps.reserveIp.ip}')).toThrow('steps.<stepName>.output');
    expect(() => run('oops ${payload.email')).toThrow('unterminated');
    expect(() => run('${flowId.x}')).toThrow('flowId has no fields');
  });

  it('does not walk into prototypes', () => {
    expect(() => run('${payload.constructor}')).toThrow("has no field 'constructor'");
    expect(() => run('${payload.__proto__}')).toThrow(InterpolationError);
  });

  it('keeps an own __proto__ key as data', () => {
    const out = run(JSON.parse('{"__proto__": {"polluted": "${payload.count}"}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 3 });
  });

  it('gives the raw payload of a non-JSON run but no fields', () => {
    const text = { ...ctx, payload: 'hello', payloadEncoding: 'text' as const };
    expect(interpolate('${payload}', text)).toBe('hello');
    expect(() => interpolate('${payload.x}', text)).toThrow('the payload is not JSON (text)');
  });
});
