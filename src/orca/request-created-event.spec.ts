import { PoisonMessageError } from '../messaging/message';
import { parseFormData, parseRequestCreated } from './request-created-event';

const ID = 'A62AF38D-AB5E-44A3-A568-584FFC46DD28';
const FLOW = '3f2a9c1e-7b4d-4e8a-9c61-2d5b8e0f4a17';
const body = (event: unknown) => Buffer.from(JSON.stringify(event));
const awx = { RequestId: ID, ExecutionTargetType: 0, ExecutionResourceType: 1, ExecutionResourceId: '42', FormData: '{"email":"a@b.c"}', UserId: 'u1' };

/** Why the event, FormData included, is refused. */
function reason(event: unknown): string {
  try {
    parseFormData(parseRequestCreated(typeof event === 'string' ? Buffer.from(event) : body(event)).formData);
  } catch (e) {
    expect(e).toBeInstanceOf(PoisonMessageError);
    return (e as Error).message;
  }
  throw new Error('expected a poison message');
}

describe('parseRequestCreated', () => {
  it('reads an AWX request, PascalCase as documented, camelCase or in a MassTransit envelope', () => {
    const expected = {
      requestId: ID.toLowerCase(), target: 'awx', resourceType: 'workflow_job_template', resourceId: '42', formData: '{"email":"a@b.c"}', userId: 'u1',
    };
    expect(parseRequestCreated(body(awx))).toEqual(expected);
    const camel = Object.fromEntries(Object.entries(awx).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]));
    expect(parseRequestCreated(body(camel))).toEqual(expected);
    expect(parseRequestCreated(body({ messageType: ['urn:message:Orca.SharedContracts.Events:RequestCreatedEvent'], message: camel }))).toEqual(expected);
  });

  it('reads an OO request (no resource type) and an empty or missing FormData as no inputs', () => {
    const oo = { RequestId: ID, ExecutionTargetType: 1, ExecutionResourceId: FLOW.toUpperCase() };
    expect(parseRequestCreated(body({ ...oo, FormData: '' }))).toMatchObject({ target: 'oo', resourceType: null, resourceId: FLOW, formData: '', userId: null });
    expect(parseRequestCreated(body(oo)).formData).toBeNull();
    expect([parseFormData(''), parseFormData(' '), parseFormData(null)]).toEqual([{}, {}, {}]);
  });

  it('leaves FormData to be read once the sender may run the request, so that its refusal can be answered', () => {
    expect(parseRequestCreated(body({ ...awx, FormData: '{not json' })).formData).toBe('{not json');
    expect(parseRequestCreated(body({ ...awx, FormData: 'x'.repeat(256 * 1024 + 1) })).requestId).toBe(ID.toLowerCase());
  });

  it('dead-letters what can never run, saying why', () => {
    expect(reason('{')).toMatch(/^not JSON/);
    expect(reason([1])).toBe('invalid message: not a JSON object');
    expect(reason({ ...awx, RequestId: 'r-1' })).toContain('RequestId: must be a UUID');
    expect(reason({ ...awx, ExecutionTargetType: 2 })).toContain('ExecutionTargetType: must be 0 (AWX) or 1 (OO)');
    expect(reason({ ...awx, ExecutionResourceType: null })).toContain('ExecutionResourceType: is required for AWX');
    expect(reason({ ...awx, ExecutionResourceId: '../1' })).toContain('ExecutionResourceId: must be an AWX template id');
    expect(reason({ ...awx, ExecutionTargetType: 1 })).toContain('ExecutionResourceId: must be an OO flow UUID');
    expect(reason({ ...awx, FormData: '[1]' })).toBe('invalid message: FormData: must be a JSON object');
    expect(reason({ ...awx, FormData: '{"a":"\\u0000"}' })).toBe('invalid message: FormData.a: contains a NUL character (at 0), which cannot be stored');
    expect(reason({ ...awx, FormData: 'x'.repeat(256 * 1024 + 1) })).toContain('FormData: must be at most');
  });

  it('refuses FormData nested past a run payload\'s depth at once, naming it, where serialising it would overflow the stack', () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    expect(reason({ ...awx, FormData: deep })).toMatch(/^invalid message: FormData(\.a)+: nested deeper than 100 levels$/);
  });

  it('keeps the text backslash-u-0000, which is no NUL', () => {
    expect(parseFormData(parseRequestCreated(body({ ...awx, FormData: '{"path":"C:\\\\u0000data"}' })).formData)).toEqual({ path: 'C:\\u0000data' });
  });

  it('never quotes FormData or the message it could not parse in the reason', () => {
    const secret = '{"user":"svc","password": hunter2secret}';
    expect(reason({ ...awx, FormData: secret })).toBe('invalid message: FormData: not JSON');
    expect(reason({ ...awx, FormData: '{"password":"hunter2",}' })).toBe('invalid message: FormData: not JSON (at position 22)');
    expect(reason(`{"RequestId":"${ID}","password": hunter2secret}`)).toBe('not JSON');
  });
});
