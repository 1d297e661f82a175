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
      { ctes: [part], columns: [{ alias: 'y', sql: 'SELECT 1' }], params: [] },
      { ctes: [part], columns: [{ alias: 'x', sql: 'SELECT 2' }], params: [] },
      { ctes: [part, { name: 'y', sql: 'SELECT 1' }], columns: [], params: [] },
    ];
    const first = shapes.map(writeStatement);
    expect(new Set(first).size).toBe(shapes.length);
    expect(first[2]).toBe(`WITH x AS (SELECT 1) SELECT ${WRITTEN} AS "written", SELECT 1 AS "x"`);
    // In another order, and again: each text is still its own shape's.
    expect([...shapes].reverse().map(writeStatement)).toEqual([...first].reverse());
  });

  /** A write of one CTE whose text is `sql`, counting how often its text is built (only building maps the CTEs). */
  function counted(sql: string): { write: RunWrite; builds: () => number } {
    let builds = 0;
    const ctes = [{ name: 'run', sql }];
    Object.defineProperty(ctes, 'map', { value: (...args: Parameters<typeof ctes.map>) => (builds++, Array.prototype.map.apply(ctes, args)) });
    return { write: { ctes, columns: [], params: [] }, builds: () => builds };
  }

  it("builds a shape's text once, then finds it", () => {
    const once = counted('SELECT 42');
    writeStatement(once.write);
    const again = counted('SELECT 42');
    expect(writeStatement(again.write)).toBe(`WITH run AS (SELECT 42) SELECT ${WRITTEN} AS "written"`);
    expect([once.builds(), again.builds()]).toEqual([1, 0]);
  });

  it('remembers at most 1,024 shapes, and stays right past them', () => {
    const texts = Array.from({ length: 1100 }, (_, i) => writeStatement(counted(`SELECT ${1000 + i}`).write));
    texts.forEach((text, i) => expect(text).toBe(`WITH run AS (SELECT ${1000 + i}) SELECT ${WRITTEN} AS "written"`));
    const remembered = counted('SELECT 1000');
    const pastTheCap = counted('SELECT 2099');
    expect([writeStatement(remembered.write), writeStatement(pastTheCap.write)]).toEqual([texts[0], texts[1099]]);
    expect([remembered.builds(), pastTheCap.builds()]).toEqual([0, 1]);
  });
});
