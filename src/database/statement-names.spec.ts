import { StatementNames } from './statement-names';

describe('StatementNames', () => {
  it('names a text the same every time, under its prefix, within PostgreSQL 63-byte names', () => {
    const names = new StatementNames('baton_p_');
    const name = names.of('SELECT 1');
    expect(name).toMatch(/^baton_p_[0-9a-f]{20}$/);
    expect(names.of('SELECT 1')).toBe(name);
  });

  it('names different texts differently', () => {
    const names = new StatementNames('baton_');
    const texts = Array.from({ length: 1000 }, (_, i) => `SELECT ${i}`);
    expect(new Set(texts.map((t) => names.of(t))).size).toBe(1000);
  });

  // A connection that prepared the first text under its name must never see that name mean another text.
  it('gives a forgotten text its old name back, and never gives its name to the text that displaced it', () => {
    const names = new StatementNames('baton_', 1);
    const first = names.of('SELECT 1');
    const second = names.of('SELECT 2');
    expect(second).not.toBe(first);
    expect(names.of('SELECT 1')).toBe(first);
    expect(names.of('SELECT 2')).toBe(second);
  });

  it('names a text by the text alone, whichever instance is asked', () => {
    expect(new StatementNames('baton_').of('SELECT 1')).toBe(new StatementNames('baton_', 1).of('SELECT 1'));
  });
});
