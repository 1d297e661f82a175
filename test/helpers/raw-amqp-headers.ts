/**
 * Lets a test publish AMQP headers amqplib's own encoder would refuse (it recurses too): a
 * `{ [RAW_HEADERS]: bytes }` headers value is written as the encoded field table `bytes`.
 * Import this before anything that loads amqplib: its frame encoder keeps a reference to
 * `encodeTable` from when it was loaded.
 */
import { dirname, join } from 'node:path';

// amqplib exports no subpath for its codec: reach it beside the entry point.
const codecPath = join(dirname(require.resolve('amqplib')), 'lib', 'codec.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- amqplib's internal codec, patched before amqplib loads it
const codec = require(codecPath) as { encodeTable: (buffer: Buffer, value: unknown, offset: number) => number };

export const RAW_HEADERS = '__rawFieldTable';

const encodeTable = codec.encodeTable;
codec.encodeTable = (buffer, value, offset) => {
  const raw = (value as Record<string, unknown> | undefined)?.[RAW_HEADERS];
  if (!Buffer.isBuffer(raw)) return encodeTable(buffer, value, offset);
  buffer.writeUInt32BE(raw.length, offset);
  raw.copy(buffer, offset + 4);
  return raw.length + 4;
};

/** The encoded field table `{x: {x: … {}}}`, `depth` tables deep, built without recursion. */
export function nestedFieldTable(depth: number): Buffer {
  let inner = Buffer.alloc(0);
  for (let level = 0; level < depth; level++) {
    const table = Buffer.alloc(7 + inner.length);
    table.writeUInt8(1, 0); // key length
    table.write('x', 1); // key
    table.write('F', 2); // a field table follows
    table.writeUInt32BE(inner.length, 3);
    inner.copy(table, 7);
    inner = table;
  }
  return inner;
}
