import type { EntityMetadata } from 'typeorm';
import { recordsetInsert } from './recordset-insert';

const meta = {
  tableName: 'thing',
  columns: [
    { propertyName: 'id', databaseName: 'id', type: 'uuid' },
    { propertyName: 'flowId', databaseName: 'flow_id', type: 'uuid' },
    { propertyName: 'body', databaseName: 'body', type: 'bytea' },
    { propertyName: 'note', databaseName: 'note', type: 'varchar' },
  ],
} as unknown as EntityMetadata;

describe('recordsetInsert', () => {
  it('writes only the columns some row sets, reading every row from one JSON parameter', () => {
    const { sql, json } = recordsetInsert(meta, [{ flowId: 'f1', body: Buffer.from('hi') }, { flowId: 'f2', note: 'n' }], '$3', 'true', false);
    expect(sql).toContain('INSERT INTO "thing" ("flow_id", "body", "note") SELECT "flow_id", "body", "note"');
    expect(sql).toContain('jsonb_to_recordset($3::jsonb) AS x("flow_id" uuid, "body" bytea, "note" varchar)');
    expect(sql).not.toContain('ON CONFLICT');
    expect(JSON.parse(json)).toEqual([{ flow_id: 'f1', body: '\\x6869', note: null }, { flow_id: 'f2', body: null, note: 'n' }]);
  });

  it('gives each column set, parameter, condition and conflict rule its own text, however often shapes alternate', () => {
    const a = recordsetInsert(meta, [{ flowId: 'f' }], '$1', 'true', false);
    const b = recordsetInsert(meta, [{ flowId: 'f', note: 'x' }], '$1', 'true', false);
    const c = recordsetInsert(meta, [{ flowId: 'f' }], '$2', 'EXISTS (SELECT 1 FROM run)', true);
    const again = recordsetInsert(meta, [{ flowId: 'g' }], '$1', 'true', false);
    expect(b.sql).toContain('("flow_id", "note")');
    expect(a.sql).not.toContain('note');
    expect(c.sql).toContain('jsonb_to_recordset($2::jsonb)');
    expect(c.sql).toContain('WHERE EXISTS (SELECT 1 FROM run) ON CONFLICT DO NOTHING');
    expect(again.sql).toBe(a.sql);
    expect(JSON.parse(again.json)).toEqual([{ flow_id: 'g' }]);
  });
});
