import { plainToInstance } from 'class-transformer';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ToBoolean, ToIsoDate, ToStrictInt } from './query-values';

class Query {
  @ToIsoDate() from?: unknown;
  @ToStrictInt() page?: unknown;
  @ToBoolean() force?: unknown;
}

const from = (value: string) => plainToInstance(Query, { from: value }).from;

describe('ToIsoDate', () => {
  it('turns a date, or a date-time with or without an offset, into a Date', () => {
    expect(from('2026-01-31')).toEqual(new Date('2026-01-31T00:00:00Z'));
    expect(from('2026-12-01T10:00:00.5+02:00')).toEqual(new Date('2026-12-01T08:00:00.500Z'));
    expect(from('2024-02-29T23:30-05:00')).toEqual(new Date('2024-03-01T04:30:00Z'));
    expect(from('0004-02-29')).toBeInstanceOf(Date);
  });

  /**
   * Jest's process.env is a copy, so the time zone is set on a child: it runs this module, made
   * JavaScript by TypeScript's own transpiler, in New York's.
   */
  it('reads a date-time without an offset as UTC, as it reads a date, whatever the time zone of the process', () => {
    const { outputText } = ts.transpileModule(readFileSync(join(__dirname, 'query-values.ts'), 'utf8'),
      { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    const values = ['2026-12-07T19:00', '2026-07-01T00:00:30.25', '2026-12-07', '2026-12-07T19:00-05:00'];
    const script = `const module = { exports: {} }; new Function('module', 'exports', 'require', ${JSON.stringify(outputText)})(module, module.exports, require);
      const dates = ${JSON.stringify(values)}.map(module.exports.isoDateOf);
      process.stdout.write(JSON.stringify({ offset: new Date(2026, 11, 7).getTimezoneOffset(), dates }));`;
    const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: 'America/New_York' }, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ offset: 300, dates: [
      new Date(Date.UTC(2026, 11, 7, 19)), new Date(Date.UTC(2026, 6, 1, 0, 0, 30, 250)), new Date(Date.UTC(2026, 11, 7)), new Date(Date.UTC(2026, 11, 8)),
    ].map((d) => d.toISOString()) });
  });

  it('leaves a day its month does not have as text, whatever the form, so @IsDate refuses it', () => {
    for (const value of ['2026-02-31', '2026-02-31T00:00Z', '2026-02-29T12:00:00+02:00', '2026-04-31T00:00:00.5-05:00', '2026-02-30T10:00', '0100-02-29']) {
      expect(from(value)).toBe(value);
    }
  });

  it('leaves year 0000 and other shapes as text', () => {
    for (const value of ['0000-01-01', '+275760-09-13', 'yesterday', '2026-1-1']) expect(from(value)).toBe(value);
  });
});

describe('ToStrictInt', () => {
  it('turns only plain decimal digits into a number', () => {
    expect(plainToInstance(Query, { page: '42' }).page).toBe(42);
    // A minus sign too: -1 is then refused by the range it breaks, not called "not an integer".
    expect(plainToInstance(Query, { page: '-1' }).page).toBe(-1);
    for (const value of ['1e300', '0x10', '1.0', ' 7', '--1', '+1']) expect(plainToInstance(Query, { page: value }).page).toBe(value);
  });
});

describe('ToBoolean', () => {
  const force = (value: unknown) => plainToInstance(Query, { force: value }).force;

  it('turns true and 1, false and 0 into booleans', () => {
    expect(['true', '1', 'false', '0'].map(force)).toEqual([true, true, false, false]);
  });

  it('leaves every other spelling as given, for @IsBoolean to refuse', () => {
    for (const value of ['TRUE', 'yes', 'on', '', 'true ', '01', 'constructor', 'toString']) expect(force(value)).toBe(value);
    expect(force(['true', 'true'])).toEqual(['true', 'true']);
  });
});
