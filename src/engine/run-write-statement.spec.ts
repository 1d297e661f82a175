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
});
