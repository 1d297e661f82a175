import {
  handlerSchema,
  initiatorStepSchema,
  retrySchema,
  roleSchema,
  undoSchema,
  workerStepSchema,
} from './registration-document.schema';

const UUID = '0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a';
const messages = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  result.error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];

describe('handlerSchema', () => {
  it('accepts the worker shorthand and the built-in handlers', () => {
    expect(handlerSchema.parse('worker')).toEqual({ type: 'worker' });
    expect(handlerSchema.parse({ type: 'worker' })).toEqual({ type: 'worker' });
    expect(handlerSchema.parse({ type: 'awx', jobTemplateId: 1, extraVars: { a: [1] } })).toEqual({ type: 'awx', jobTemplateId: 1, extraVars: { a: [1] } });
    expect(handlerSchema.parse({ type: 'awx', connection: 'tower-2', workflowJobTemplateId: 2 })).toMatchObject({ workflowJobTemplateId: 2 });
    expect(handlerSchema.parse({ type: 'oo', flowUuid: UUID, inputs: { a: '{{x}}' }, runName: 'r', successResultTypes: ['ERROR'] })).toMatchObject({ type: 'oo' });
  });

  it('requires exactly one AWX template id', () => {
    expect(messages(handlerSchema.safeParse({ type: 'awx' }))).toEqual([['', 'give jobTemplateId or workflowJobTemplateId']]);
    expect(messages(handlerSchema.safeParse({ type: 'awx', jobTemplateId: 1, workflowJobTemplateId: 2 }))).toEqual([
      ['workflowJobTemplateId', 'give jobTemplateId or workflowJobTemplateId, not both'],
    ]);
  });

  it('names a connection; it cannot give a URL or credentials', () => {
    expect(handlerSchema.safeParse({ type: 'awx', jobTemplateId: 1, connection: 'https://tower.example.com' }).success).toBe(false);
    for (const field of ['url', 'baseUrl', 'host', 'username', 'password', 'token']) {
      expect(handlerSchema.safeParse({ type: 'awx', jobTemplateId: 1, [field]: 'x' }).success).toBe(false);
      expect(handlerSchema.safeParse({ type: 'oo', flowUuid: UUID, [field]: 'x' }).success).toBe(false);
    }
  });

  it('checks OO fields', () => {
    expect(handlerSchema.safeParse({ type: 'oo', flowUuid: 'abc' }).success).toBe(false);
    expect(handlerSchema.safeParse({ type: 'oo', flowUuid: UUID, inputs: { n: 3 } }).success).toBe(false);
    expect(handlerSchema.safeParse({ type: 'oo', flowUuid: UUID, successResultTypes: [] }).success).toBe(false);
    expect(handlerSchema.safeParse({ type: 'oo', flowUuid: UUID.toUpperCase() }).success).toBe(true);
  });

  it('words an unknown or missing type with the allowed values', () => {
    expect(messages(handlerSchema.safeParse({ type: 'shell' }))).toEqual([['type', 'must be one of: worker, awx, oo, http']]);
    expect(messages(handlerSchema.safeParse({}))).toEqual([['type', 'is required: one of worker, awx, oo, http']]);
    expect(messages(handlerSchema.safeParse('awx'))).toEqual([['', 'must be "worker" or a handler object {type: worker | awx | oo | http, ...}']]);
  });
});

describe('undoSchema', () => {
  it('accepts booleans, the worker shorthand and handler objects', () => {
    expect(undoSchema.parse(true)).toBe(true);
    expect(undoSchema.parse(false)).toBe(false);
    expect(undoSchema.parse('worker')).toEqual({ type: 'worker' });
    expect(undoSchema.parse({ type: 'awx', jobTemplateId: 3 })).toEqual({ type: 'awx', jobTemplateId: 3 });
    expect(undoSchema.safeParse('yes').success).toBe(false);
  });
});

describe('retrySchema', () => {
  it('needs maxAttempts in 1..100 and a max delay not below the initial one', () => {
    expect(retrySchema.parse({ maxAttempts: 100 })).toEqual({ maxAttempts: 100 });
    expect(retrySchema.safeParse({ maxAttempts: 101 }).success).toBe(false);
    expect(retrySchema.safeParse({ maxAttempts: 1, initialDelaySeconds: -1 }).success).toBe(false);
    expect(messages(retrySchema.safeParse({ maxAttempts: 1, initialDelaySeconds: 10, maxDelaySeconds: 5 }))).toEqual([
      ['maxDelaySeconds', 'must be at least initialDelaySeconds (10)'],
    ]);
    expect(messages(retrySchema.safeParse({ maxAttempts: 1, maxDelaySeconds: 0.5 }))).toEqual([
      ['maxDelaySeconds', 'must be at least initialDelaySeconds (1)'],
    ]);
  });
});

describe('step schemas', () => {
  const step = { seq: 1, name: 'createRealm', objectType: 'String' };

  it('bounds timeoutSeconds to seven days', () => {
    expect(initiatorStepSchema.safeParse({ ...step, timeoutSeconds: 7 * 24 * 3600 }).success).toBe(true);
    expect(initiatorStepSchema.safeParse({ ...step, timeoutSeconds: 7 * 24 * 3600 + 1 }).success).toBe(false);
    expect(initiatorStepSchema.safeParse({ ...step, timeoutSeconds: 0 }).success).toBe(false);
    expect(initiatorStepSchema.safeParse({ ...step, timeoutSeconds: null }).success).toBe(true);
  });

  it('bounds seq at PostgreSQL int4, the type of the column it lands in', () => {
    expect(initiatorStepSchema.safeParse({ ...step, seq: 2_147_483_647 }).success).toBe(true);
    expect(messages(initiatorStepSchema.safeParse({ ...step, seq: 3_000_000_000 }))).toEqual([['seq', 'must be at most 2147483647']]);
  });

  it('bounds AWX template ids at int4, like the ids AWX gives', () => {
    expect(messages(handlerSchema.safeParse({ type: 'awx', jobTemplateId: 2_147_483_648 }))).toEqual([['jobTemplateId', 'must be at most 2147483647']]);
  });

  it('checks names: pattern, length, trimming', () => {
    expect(initiatorStepSchema.parse({ ...step, name: ' a.b_c-1 ' }).name).toBe('a.b_c-1');
    expect(initiatorStepSchema.safeParse({ ...step, name: '_a' }).success).toBe(false);
    expect(initiatorStepSchema.safeParse({ ...step, name: 'a'.repeat(201) }).success).toBe(false);
    expect(initiatorStepSchema.safeParse({ ...step, objectType: 'java.util.Map<String, Object>' }).success).toBe(true);
    expect(initiatorStepSchema.safeParse({ ...step, objectType: '   ' }).success).toBe(false);
  });

  it('lists the allowed fields for an unknown one', () => {
    expect(messages(workerStepSchema.safeParse({ ...step, retry: {} }))).toEqual([['', 'unknown field (allowed: seq, name, objectType)']]);
  });
});

describe('roleSchema', () => {
  it('matches case-insensitively and lists the roles', () => {
    expect(roleSchema.parse(' Worker ')).toBe('worker');
    expect(messages(roleSchema.safeParse('boss'))).toEqual([['', 'must be one of: initiator, worker']]);
  });
});
