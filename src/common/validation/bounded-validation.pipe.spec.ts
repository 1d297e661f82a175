import { Type } from 'class-transformer';
import { ArrayMaxSize, IsInt, IsObject, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { AppError } from '../errors/app-error';
import { BoundedValidationPipe, DTO_MAX_DEPTH } from './bounded-validation.pipe';

class Item {
  @IsString() name!: string;
}

class Body {
  @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
}

/** Arrays `depth` levels deep, built without recursion (100,000 levels would overflow this too). */
const nestedArray = (depth: number): unknown => {
  let value: unknown[] = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
};

describe('BoundedValidationPipe', () => {
  const pipe = new BoundedValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
  const validate = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Body });
  const problemsOf = (value: unknown) => validate(value).then(() => [], (e: AppError) => e.problems);

  it('reports each problem at its path, nested and unknown properties included', async () => {
    await expect(problemsOf({ items: [{ name: 'a' }, { name: 7 }], extra: 1 })).resolves.toEqual([
      { path: 'body.extra', message: 'property extra should not exist' },
      { path: 'body.items.1.name', message: 'name must be a string' },
    ]);
  });

  it('names the part of the request each problem is in: body, query or path parameters', async () => {
    class Paged {
      @IsInt() page!: number;
    }
    const pathsOf = (type: 'body' | 'query' | 'param', value: unknown) =>
      pipe.transform(value, { type, metatype: Paged }).then(() => [], (e: AppError) => e.problems.map((p) => p.path));
    await expect(pathsOf('body', { page: 'x', reason: 1 })).resolves.toEqual(['body.reason', 'body.page']);
    await expect(pathsOf('query', { page: 'x' })).resolves.toEqual(['query.page']);
    await expect(pathsOf('param', { page: 'x' })).resolves.toEqual(['params.page']);
    // The checks made before the DTO's own name the same roots.
    await expect(pathsOf('param', JSON.parse('{"page":1,"toString":"x"}'))).resolves.toEqual(['params.toString']);
    await expect(pathsOf('query', { page: 1, deep: nestedArray(DTO_MAX_DEPTH) })).resolves.toEqual([`query.deep${'[0]'.repeat(DTO_MAX_DEPTH - 1)}`]);
  });

  it('reports a value of the wrong type once, without the range or pattern checks that cannot apply to it', async () => {
    class Paged {
      @IsInt() @Min(1) @Max(10) page!: number;
      @IsString() @MaxLength(5) @Matches(/^[a-z]*$/) reason!: string;
    }
    const problems = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Paged }).then(() => [], (e: AppError) => e.problems);
    await expect(problems({ page: 1.5, reason: 12 })).resolves.toEqual([
      { path: 'body.page', message: 'page must be an integer number' },
      { path: 'body.reason', message: 'reason must be a string' },
    ]);
    // The right type out of range: each broken rule is listed.
    await expect(problems({ page: 0, reason: 'ABCDEFG' })).resolves.toEqual([
      { path: 'body.page', message: 'page must not be less than 1' },
      { path: 'body.reason', message: 'reason must match /^[a-z]*$/ regular expression' },
      { path: 'body.reason', message: 'reason must be shorter than or equal to 5 characters' },
    ]);
  });

  it(`refuses a body nested deeper than ${DTO_MAX_DEPTH} levels before walking it, and takes one nested exactly that deep`, async () => {
    // The body is level 1 and `extra`'s array level 2: the deepest array is at DTO_MAX_DEPTH.
    const atLimit = { items: [], extra: nestedArray(DTO_MAX_DEPTH - 1) };
    await expect(problemsOf(atLimit)).resolves.toEqual([{ path: 'body.extra', message: 'property extra should not exist' }]);
    const problems = await problemsOf({ items: [], extra: nestedArray(DTO_MAX_DEPTH) });
    expect(problems).toEqual([{ path: `body.extra${'[0]'.repeat(DTO_MAX_DEPTH - 1)}`, message: `nested deeper than ${DTO_MAX_DEPTH} levels` }]);
    await expect(problemsOf({ items: [], extra: nestedArray(100_000) })).resolves.toHaveLength(1);
  });

  it('refuses a field named like one every object inherits (class-transformer dropped them unseen)', async () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const value = JSON.parse(`{"items":[],"${key}":"x"}`);
      await expect(problemsOf(value)).resolves.toEqual([{ path: `body.${key}`, message: `property ${key} should not exist` }]);
      const nested = JSON.parse(`{"items":[{"name":"a"},{"name":"b","${key}":"x"}]}`);
      await expect(problemsOf(nested)).resolves.toEqual([{ path: `body.items.1.${key}`, message: `property ${key} should not exist` }]);
    }
  });

  it('refuses such keys in free-form JSON below a DTO field too, where they were dropped from the data', async () => {
    class WithOutput {
      @IsObject() output!: Record<string, unknown>;
    }
    const value = JSON.parse('{"output":{"a":[{"constructor":1}],"b":{"__proto__":2},"toString":3,"ok":{"c":4}}}');
    const problems = await pipe.transform(value, { type: 'body', metatype: WithOutput }).then(() => [], (e: AppError) => e.problems.map((p) => p.path));
    expect(problems).toEqual(['body.output.a.0.constructor', 'body.output.b.__proto__', 'body.output.toString']);
    await expect(pipe.transform({ output: { ok: { c: 4 } } }, { type: 'body', metatype: WithOutput })).resolves.toMatchObject({ output: { ok: { c: 4 } } });
    const query = Object.assign(Object.create(null) as object, { constructor: 'x' });
    await expect(pipe.transform(query, { type: 'query', metatype: WithOutput }).catch((e: AppError) => e.problems[0].path)).resolves.toBe('query.constructor');
  });

  it('lists inherited keys with the DTO\'s other problems, and at most ten of them however many are sent', async () => {
    await expect(problemsOf(JSON.parse('{"items":[{"name":7}],"constructor":1}'))).resolves.toEqual([
      { path: 'body.constructor', message: 'property constructor should not exist' },
      { path: 'body.items.0.name', message: 'name must be a string' },
    ]);
    const many = { items: Array.from({ length: 2_000 }, () => JSON.parse('{"name":"a","toString":0}')) };
    const problems = await problemsOf(many);
    expect(problems.slice(0, 10).map((p) => p.path)).toEqual(Array.from({ length: 10 }, (_, i) => `body.items.${i}.toString`));
    expect(problems.filter((p) => p.path.endsWith('toString'))).toHaveLength(10);
  });

  it('refuses a body of bytes on a DTO route with a 415 instead of walking it', async () => {
    const refusal = await validate(Buffer.alloc(1024 * 1024)).catch((e: AppError) => e);
    expect(refusal).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', problems: [{ path: 'headers.content-type' }] });
  });

  it('refuses a text body (text/plain, YAML) on a DTO route with a 415, as a media type it does not take', async () => {
    const refusal = await validate('{"reason":"sent as text/plain"}').catch((e: AppError) => e);
    expect(refusal).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', problems: [{ path: 'headers.content-type', message: 'must be application/json' }] });
  });

  it('refuses an array over its ArrayMaxSize before turning and checking its items', async () => {
    class Bounded {
      @ArrayMaxSize(3) @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
    }
    const many = { items: Array.from({ length: 50_000 }, () => ({ name: 7 })) };
    const problems = await pipe.transform(many, { type: 'body', metatype: Bounded }).then(() => [], (e: AppError) => e.problems);
    // Only the size: the 50,000 wrong names were never checked (each would be a problem of its own).
    expect(problems).toEqual([{ path: 'body.items', message: 'items must contain no more than 3 elements' }]);
    await expect(pipe.transform({ items: [{ name: 'a' }] }, { type: 'body', metatype: Bounded })).resolves.toBeInstanceOf(Bounded);
  });

  it('leaves values of routes without a DTO alone', async () => {
    await expect(pipe.transform(nestedArray(100), { type: 'body', metatype: undefined })).resolves.toHaveLength(1);
  });
});
