import { OutputNotJsonError, OutputRefusedError } from './errors';
import { checkOutput, ERROR_MAX_LENGTH, errorForReply, OUTPUT_MAX_DEPTH, outputProblem } from './output-rules';
import { replyTo, type WireCommand } from './wire';

const command = { flowId: 'f1', orchName: 'o', stepName: 's', action: 'DO', attempt: 1, commandId: 'c1' } as WireCommand;
const success = (output: unknown) => replyTo(command, { status: 'SUCCESS', error: null }, output);
const problem = (output: unknown, maxBytes = Number.POSITIVE_INFINITY) => outputProblem(success(output), maxBytes)?.message;

/** An array nested `depth` levels deep, the top level counting as 1 (as Baton counts). */
const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('outputProblem', () => {
  it('takes ordinary outputs, none at all, and text with surrogate pairs', () => {
    for (const output of [undefined, null, 0, 'x', { realmId: 'r-1', tags: ['a', { b: true }] }, { emoji: '😀', '😀': 1 }]) {
      expect(problem(output)).toBeUndefined();
    }
  });

  it(`takes an output nested ${OUTPUT_MAX_DEPTH} levels deep and refuses one level more, as Baton does`, () => {
    expect(problem(nested(OUTPUT_MAX_DEPTH))).toBeUndefined();
    expect(problem({ a: nested(OUTPUT_MAX_DEPTH - 1) })).toBeUndefined();
    expect(problem(nested(OUTPUT_MAX_DEPTH + 1))).toBe(
      `OUTPUT_REFUSED: output nests deeper than ${OUTPUT_MAX_DEPTH} levels (at output${'[0]'.repeat(OUTPUT_MAX_DEPTH)})`);
    expect(problem({ a: nested(OUTPUT_MAX_DEPTH) })).toMatch(/^OUTPUT_REFUSED: output nests deeper than 100 levels \(at output\.a\[0\]/);
  });

  it('names far deeper nesting as too deep, and nesting JSON itself cannot write as not JSON', () => {
    // Deeper than a stringify with a replacer can go before the stack overflows, not than a plain one.
    expect(problem(nested(3_000))).toMatch(/^OUTPUT_REFUSED: output nests deeper than 100 levels/);
    expect(outputProblem(success(nested(100_000)), 1e9)).toBeInstanceOf(OutputNotJsonError);
  });

  it('refuses a NUL character or a lone surrogate anywhere: in a string, deep down, or in a key', () => {
    expect(problem('a\u0000b')).toBe('OUTPUT_REFUSED: output contains a NUL character (\\u0000) at 1, which Baton cannot store');
    expect(problem({ list: [{ ok: 'x' }, { name: 'ab\u0000' }] })).toBe(
      'OUTPUT_REFUSED: output.list[1].name contains a NUL character (\\u0000) at 2, which Baton cannot store');
    expect(problem({ deep: { 'k\u0000': 1 } })).toBe(
      'OUTPUT_REFUSED: output.deep["k\\u0000"] key contains a NUL character (\\u0000) at 1, which Baton cannot store');
    expect(problem({ s: 'x\uD800' })).toMatch(/^OUTPUT_REFUSED: output\.s contains an unpaired UTF-16 surrogate at 1/);
    expect(problem({ '\uDC00': 1 })).toMatch(/^OUTPUT_REFUSED: output\["\\udc00"\] key contains an unpaired UTF-16 surrogate/);
  });

  it('names the first problem as the reply is written, with its path past containers written before it', () => {
    const shared = { name: 'ok' };
    expect(problem({ a: 'x\u0000', 'b\u0000': 1 })).toMatch(/^OUTPUT_REFUSED: output\.a contains a NUL/);
    expect(problem({ a: [shared, [shared]], b: { c: shared, d: ['ok', 'x\u0000'] } })).toMatch(/^OUTPUT_REFUSED: output\.b\.d\[1\] contains a NUL/);
    const holes: unknown[] = [];
    holes[2] = 'x\u0000';
    expect(problem({ holes })).toMatch(/^OUTPUT_REFUSED: output\.holes\[2\] contains a NUL/);
  });

  it('refuses a number past 2^53, which a double does not hold exactly (Baton refuses it too), and takes the largest safe one', () => {
    expect(problem({ ids: [1, 2 ** 60] })).toBe(
      'OUTPUT_REFUSED: output.ids[1] is 1152921504606847000, past ±9007199254740991 (2^53 - 1), which would not arrive exactly: return it as a string');
    expect(problem({ boxed: Object(-(2 ** 53)) })).toMatch(/^OUTPUT_REFUSED: output\.boxed is -9007199254740992, past/);
    expect(problem({ max: Number.MAX_SAFE_INTEGER, min: Number.MIN_SAFE_INTEGER, ratio: 1e-300 })).toBeUndefined();
  });

  it('checks only the output, not the fields of the reply around it', () => {
    expect(outputProblem(replyTo(command, { status: 'SUCCESS', error: 'x\u0000' }, { ok: 1 }), 1e9)).toBeUndefined();
  });

  it('checks the output as JSON carries it: toJSON counts, dropped values do not', () => {
    expect(problem({ at: { toJSON: () => 'a\u0000' } })).toMatch(/^OUTPUT_REFUSED: output\.at contains a NUL/);
    expect(problem({ toJSON: () => ({ s: 'a\u0000' }) })).toMatch(/^OUTPUT_REFUSED: output\.s contains a NUL/);
    expect(problem({ when: new Date(0), boxed: Object('a') })).toBeUndefined();
    expect(problem({ boxed: Object('a\u0000') })).toMatch(/^OUTPUT_REFUSED: output\.boxed contains a NUL/);
    expect(problem({ gone: undefined, fn: () => 'a\u0000' })).toBeUndefined();
    expect(problem({ 'k\u0000': undefined, 'j\u0000': { toJSON: () => undefined }, list: [undefined] })).toBeUndefined();
    // A backslash followed by "u0000" is text, not a NUL: a search of the JSON text would mistake it.
    expect(problem({ path: 'C:\\u0000' })).toBeUndefined();
  });

  it('refuses a reply over maxReplyBytes, counting the whole reply in UTF-8 bytes', () => {
    const reply = success({ blob: 'é'.repeat(100) });
    const bytes = Buffer.byteLength(JSON.stringify(reply));
    expect(outputProblem(reply, bytes)).toBeUndefined();
    const refused = outputProblem(reply, bytes - 1);
    expect(refused).toBeInstanceOf(OutputRefusedError);
    expect(refused?.message).toBe(`OUTPUT_REFUSED: the reply carrying the output is ${bytes} bytes of JSON, over maxReplyBytes (${bytes - 1})`);
  });

  it('hands back the output\'s JSON as the reply writes it (none for an output that writes nothing), and measures such a reply exactly', () => {
    for (const output of [null, 0, 'x', { a: [1, { b: undefined }], at: new Date(0), '😀': 'é' }]) {
      expect(checkOutput(success(output), Number.POSITIVE_INFINITY)).toEqual({ json: JSON.stringify(output) });
    }
    for (const output of [undefined, { toJSON: () => undefined }]) {
      const reply = success(output);
      const bytes = Buffer.byteLength(JSON.stringify(reply));
      expect(checkOutput(reply, bytes)).toEqual({ json: undefined });
      expect(checkOutput(reply, bytes - 1).problem).toBeInstanceOf(OutputRefusedError);
    }
  });

  it('says what JSON cannot carry (a BigInt, a cycle) as OUTPUT_NOT_JSON, and where, as for what it would carry as something else', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const inner: Record<string, unknown> = { id: 1 };
    const deep = { a: [{ inner }] };
    inner.up = deep.a;
    const cannot: Array<[unknown, string]> = [
      [{ n: 1n }, 'output.n is a BigInt, which JSON cannot carry: return it as a string or a number'],
      [{ list: [1, Object(2n)] }, 'output.list[1] is a BigInt, which JSON cannot carry: return it as a string or a number'],
      [3n, 'output is a BigInt, which JSON cannot carry: return it as a string or a number'],
      [cycle, 'output.self is a cycle back to output, which JSON cannot carry'],
      [deep, 'output.a[0].inner.up is a cycle back to output.a, which JSON cannot carry'],
    ];
    for (const [output, why] of cannot) {
      const refused = outputProblem(success(output), 1e9);
      expect(refused).toBeInstanceOf(OutputNotJsonError);
      expect(refused?.message).toBe(`OUTPUT_NOT_JSON: the handler's output cannot be serialised as JSON: ${why}`);
    }
    // The same object twice, not inside itself, is no cycle: JSON writes it twice.
    const shared = { id: 1 };
    expect(problem({ a: shared, b: [shared] })).toBeUndefined();
  });

  it('refuses as OUTPUT_NOT_JSON, with its path, what JSON would write as something else: a non-finite number, a function or a symbol as null, a Map or a Set as {}', () => {
    const lost: Array<[unknown, string]> = [
      [() => 1, 'output is a function, which JSON writes as null'],
      [Symbol('s'), 'output is a symbol, which JSON writes as null'],
      [{ list: [1, () => 2] }, 'output.list[1] is a function, which JSON writes as null'],
      [{ x: Number.NaN, y: Number.POSITIVE_INFINITY }, 'output.x is NaN, which JSON writes as null: Baton takes only finite numbers'],
      [{ a: [{ y: Number.NEGATIVE_INFINITY }] }, 'output.a[0].y is -Infinity, which JSON writes as null: Baton takes only finite numbers'],
      [{ boxed: Object(Number.NaN) }, 'output.boxed is NaN, which JSON writes as null: Baton takes only finite numbers'],
      [Number.POSITIVE_INFINITY, 'output is Infinity, which JSON writes as null: Baton takes only finite numbers'],
      [{ m: new Map([['k', 1]]) }, 'output.m is a Map, which JSON writes as {}'],
      [new Set([1]), 'output is a Set, which JSON writes as {}'],
      [{ pending: Promise.resolve(1) }, 'output.pending is a Promise, which JSON writes as {}'],
    ];
    for (const [output, why] of lost) {
      const refused = outputProblem(success(output), 1e9);
      expect(refused).toBeInstanceOf(OutputNotJsonError);
      expect(refused?.message).toBe(`OUTPUT_NOT_JSON: the handler's output cannot be serialised as JSON: ${why}`);
    }
  });

  it('still takes a void handler\'s output, dates and what JSON drops with its key (undefined, a method)', () => {
    for (const output of [undefined, { when: new Date(0) }, { gone: undefined, method() { return 1; } }, [undefined], { m: { toJSON: () => [...new Map([['k', 1]])] } }]) {
      expect(problem(output)).toBeUndefined();
    }
  });

  it('says first what JSON cannot carry, then the size, then a problem written before them', () => {
    expect(outputProblem(success({ s: 'x\u0000', n: 1n }), 1e9)).toBeInstanceOf(OutputNotJsonError);
    expect(problem({ s: 'x\u0000', blob: 'y'.repeat(1000) }, 500)).toMatch(/^OUTPUT_REFUSED: the reply carrying the output is \d+ bytes/);
    expect(problem({ deep: nested(OUTPUT_MAX_DEPTH + 1), blob: 'y'.repeat(1000) }, 500)).toMatch(/^OUTPUT_REFUSED: the reply carrying/);
  });
});

describe('errorForReply', () => {
  it(`keeps an error up to ${ERROR_MAX_LENGTH} characters, the most Baton keeps, and never cuts a surrogate pair`, () => {
    expect(errorForReply('short')).toBe('short');
    expect(errorForReply('x'.repeat(ERROR_MAX_LENGTH + 5))).toHaveLength(ERROR_MAX_LENGTH);
    const cut = errorForReply(`${'x'.repeat(ERROR_MAX_LENGTH - 1)}😀tail`);
    expect(cut).toBe('x'.repeat(ERROR_MAX_LENGTH - 1));
  });

  it('makes a NUL or a lone surrogate U+FFFD, as Baton does on receipt, so that the result store can record the error', () => {
    expect(errorForReply('a\u0000b\uD800c\uDC00d😀')).toBe('a\uFFFDb\uFFFDc\uFFFDd😀');
  });
});
