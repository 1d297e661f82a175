import { RunWrite, WRITTEN, writeStatement } from './run-write-statement';

function write(flowId: string, version: number): RunWrite {
  return {
    ctes: [
      { name: 'run', sql: 'UPDATE orchestration_run SET version = version + 1 WHERE flow_id = $1 AND version = $2 RETURNING flow_id' },
      { name: 'sent', sql: `INSERT INTO outbox (body) SELECT $3 WHERE ${WRITTEN} RETURNING id` },
    ],
    columns: [{ alias: 'sent', sql: '(SELECT json_agg(sent) FROM sent)' }],
    params: [flowId, version, 'body'],
  };
}

describe('writeStatement', () => {
  it('writes the run first, guards the rest by it, and returns whether it was written and each column', () => {
    expect(writeStatement(write('f1', 3))).toBe(
      'WITH run AS (UPDATE orchestration_run SET version = version + 1 WHERE flow_id = $1 AND version = $2 RETURNING flow_id), '
      + `sent AS (INSERT INTO outbox (body) SELECT $3 WHERE ${WRITTEN} RETURNING id) `
      + `SELECT ${WRITTEN} AS "written", (SELECT json_agg(sent) FROM sent) AS "sent"`);
  });

  it('has the same text for every write of one shape, whatever its values', () => {
    expect(writeStatement(write('f2', 7))).toBe(writeStatement(write('f1', 3)));
  });

  it('gives each shape its own text however its parts are split between parts and columns, and the same on every call', () => {
    const part = { name: 'x', sql: 'SELECT 1' };
    const shapes: RunWrite[] = [
      { ctes: [part], columns: [], params: [] },
      { ctes: [part, part], columns: [], params: [] },
      { ctes: [part], columns: [{ alias: 'x', sql: 'SELECT 1' }], params: [] },
      { ctes: [part, { name: 'y', sql: 'SELECT 1' }], columns: [], params: [] },
    ];
    const first = shapes.map(writeStatement);
    expect(new Set(first).size).toBe(shapes.length);
    expect(first[2]).toBe(`WITH x AS (SELECT 1) SELECT ${WRITTEN} AS "written", SELECT 1 AS "x"`);
    // In another order, and again: each text is still its own shape's.
    expect([...shapes].reverse().map(writeStatement)).toEqual([...first].reverse());
  });

  it('stays right past the number of shapes it remembers', () => {
    const texts = Array.from({ length: 1500 }, (_, i) => writeStatement({ ctes: [{ name: 'run', sql: `SELECT ${i}` }], columns: [], params: [] }));
    texts.forEach((text, i) => expect(text).toBe(`WITH run AS (SELECT ${i}) SELECT ${WRITTEN} AS "written"`));
    expect(writeStatement({ ctes: [{ name: 'run', sql: 'SELECT 1499' }], columns: [], params: [] })).toBe(texts[1499]);
  });
});
