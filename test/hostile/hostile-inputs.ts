import fc from 'fast-check';
import { stringify } from 'yaml';

/** One request of the hostile run, and whether it counts as a rejection of a small document. */
export interface HostileRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  smallDocument?: boolean;
}

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}1${close.repeat(depth)}`;
const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\uD800', 'x'.repeat(201), 'x'.repeat(5000), '../../etc/passwd', "' OR 1=1 --", '${jndi:x}', '__proto__'),
);
const anyJson = fc.jsonValue({ maxDepth: 4 });
const step = fc.record({
  seq: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer(), fc.double(), hostileString),
  name: fc.oneof(name, hostileString),
  objectType: fc.oneof(name, hostileString, anyJson),
  timeoutSeconds: fc.oneof(fc.integer(), fc.double(), hostileString),
  handler: fc.oneof(fc.constant(undefined), anyJson, fc.record({ type: fc.constantFrom('awx', 'oo', 'worker', 'x'), jobTemplateId: fc.integer() })),
}, { requiredKeys: [] });
const document = fc.record({
  orchName: fc.oneof(name, hostileString, anyJson),
  as: fc.oneof(fc.constantFrom('initiator', 'worker'), hostileString),
  type: fc.oneof(fc.constantFrom('sequential', 'parallel'), hostileString),
  steps: fc.oneof(fc.array(step, { maxLength: 5 }), anyJson),
  service: fc.oneof(name, hostileString),
  __proto__: anyJson,
}, { requiredKeys: [] });

const yamlTricks = fc.constantFrom(
  'a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
  'orchName: !!js/function "x"\nas: initiator\n', `orchName: ${nested(5000)}\n`, `orchName: ${nested(3000, '{a: ', '}')}\n`,
  'orchName: a\n---\norchName: b\n', 'orchName: "a\\0b"\nas: worker\nsteps: []\n', '? [a, b]\n: c\n', '*unknown\n',
  `${Array.from({ length: 3000 }, (_, i) => `k${i}: 1`).join('\n')}\n`, '\uFEFForchName: bom\n', 'a: b: c: d\n',
);
const jsonTricks = fc.constantFrom(
  `{"orchName": ${nested(5000)}}`, `{"orchName": ${nested(5000, '{"a":', '}')}}`, '{"orchName":"a\\u0000b","as":"worker","steps":[]}',
  '{"__proto__": {"polluted": true}}', '{', '[]', '"x"', '42', 'null', '{"orchName":"\\ud800"}', '\u0000',
);
const contentType = fc.constantFrom('application/json', 'application/yaml', 'text/yaml', 'application/x-yaml', 'text/plain',
  'application/octet-stream', 'application/json; charset=latin1', 'multipart/form-data', '', `text/plain; x=${'y'.repeat(300)}`);

/** Every byte percent-encoded (encodeURIComponent throws on a lone surrogate; UTF-8 makes it U+FFFD). */
const percent = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const pathSegment = fc.oneof(name, hostileString.map(percent), fc.constantFrom('a%00b', '%zz', '%', '..', 'x'.repeat(300), '%C0%AF'));
const queryValue = fc.oneof(
  fc.constantFrom('1e300', '1e309', '-1', '0', '1000001', '0x10', '1.5', 'NaN', '', '-271821-04-20', '0.5', '+275760-09-13', '2026-02-31',
    '9999-12-31T23:59:59Z', 'a%00b', '%zz', 'x'.repeat(1500), 'true', 'READY', 'COMPLETED'),
  fc.integer().map(String), hostileString.map(percent));
const queryName = fc.constantFrom('page', 'pageSize', 'orchName', 'serviceName', 'status', 'from', 'to', 'stuck', 'outcome', 'targetType', 'x', 'a%00');
const query = fc.array(fc.tuple(queryName, queryValue), { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
const headerValue = fc.oneof(name, fc.constantFrom('x'.repeat(201), 'x'.repeat(300), 'a\tb', '', ' '), fc.string({ unit: 'grapheme-ascii', maxLength: 50 }));
const listPath = fc.constantFrom('/api/orchestration/runs', '/api/orchestration/templates', '/api/orchestration/workers',
  '/api/orchestration/registrations/audit', '/api/job-executions');

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');

const registerJson = fc.record({ doc: fc.oneof(document.map(json), jsonTricks.map((t) => Buffer.from(t))), service: headerValue })
  .map(({ doc, service }): HostileRequest => ({
    kind: 'register-json', method: 'POST', path: '/api/orchestration/register', body: doc,
    headers: { 'content-type': 'application/json', 'x-service-name': service }, smallDocument: doc.length < 1024,
  }));
const registerYaml = fc.record({
  doc: fc.oneof(document.map((d) => Buffer.from(safeYaml(d))), yamlTricks.map((t) => Buffer.from(t)), fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s))),
  service: headerValue, type: fc.constantFrom('application/yaml', 'text/yaml', 'application/x-yaml'),
}).map(({ doc, service, type }): HostileRequest => ({
  kind: 'register-yaml', method: 'POST', path: '/api/orchestration/register', body: doc,
  headers: { 'content-type': type, 'x-service-name': service }, smallDocument: doc.length < 1024,
}));
const execute = fc.record({
  orch: fc.oneof(fc.constant('demoOrder'), pathSegment), type: contentType, key: fc.option(headerValue),
  body: fc.oneof(anyJson.map(json), jsonTricks.map((t) => Buffer.from(t)), fc.string({ unit: 'binary', maxLength: 100 }).map((s) => Buffer.from(s)),
    fc.constant(Buffer.from(nested(5000)))),
}).map(({ orch, type, key, body }): HostileRequest => ({
  kind: 'execute', method: 'POST', path: `/api/orchestration/execute/${orch}`, body,
  headers: { 'content-type': type, ...(key === null ? {} : { 'idempotency-key': key }) },
}));
const undo = fc.oneof(fc.uuid().map(String), pathSegment).map((id): HostileRequest => ({
  kind: 'undo', method: 'POST', path: `/api/orchestration/undo/${id}`, headers: {},
}));
const list = fc.record({ path: listPath, query }).map(({ path, query: q }): HostileRequest => ({
  kind: 'list', method: 'GET', path: q ? `${path}?${q}` : path, headers: {},
}));
const byId = fc.record({
  path: fc.constantFrom('/api/orchestration/runs/', '/api/orchestration/templates/', '/api/job-executions/', '/api/job-executions/request/'),
  id: fc.oneof(fc.uuid().map(String), pathSegment),
}).map(({ path, id }): HostileRequest => ({ kind: 'get', method: 'GET', path: path + id, headers: {} }));

/** YAML for a generated document; values the YAML library cannot write (lone surrogates) fall back to JSON, which is YAML too. */
function safeYaml(doc: unknown): string {
  try {
    return stringify(doc);
  } catch {
    return JSON.stringify(doc);
  }
}

/** `count` hostile requests across register (JSON and YAML), execute, undo and the list and detail endpoints. */
export function hostileRequests(count: number, seed: number): HostileRequest[] {
  const arbitrary = fc.oneof(
    { weight: 3, arbitrary: registerJson }, { weight: 3, arbitrary: registerYaml }, { weight: 2, arbitrary: execute },
    { weight: 1, arbitrary: undo }, { weight: 2, arbitrary: list }, { weight: 1, arbitrary: byId },
  );
  return fc.sample(arbitrary, { numRuns: count, seed });
}
