import { type FinalStepReply, MAX_ERROR_LENGTH, stepReplySchema, toStepResult } from './step-reply.schema';

const reply = {
  flowId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', orchName: 'tenantCreation', stepName: 'createRealm', action: 'DO',
  metadata: { status: 'HEARTBEAT' },
};

/** What the lease-reply route lists and a dead letter names: every problem with its path. */
const problems = (body: object) => {
  const parsed = stepReplySchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('stepReplySchema', () => {
  it('accepts a reply in the original format, and the largest attempt an int4 column holds', () => {
    expect(problems(reply)).toEqual([]);
    expect(problems({ ...reply, attempt: 2_147_483_647 })).toEqual([]);
  });

  it('refuses an attempt past int4, which failed the heartbeat query (22003) on every redelivery', () => {
    expect(problems({ ...reply, attempt: 3_000_000_000 })).toEqual([expect.stringMatching(/^attempt: .*2147483647/)]);
  });

  it('refuses names PostgreSQL cannot store (22021) or longer than their columns', () => {
    expect(problems({ ...reply, stepName: 'a\u0000b', orchName: '\uD800' })).toEqual([
      expect.stringMatching(/^orchName: contains an unpaired UTF-16 surrogate/),
      expect.stringMatching(/^stepName: contains a NUL character \(at 1\)/),
    ]);
    expect(problems({ ...reply, stepName: 's'.repeat(201) })).toEqual([expect.stringMatching(/^stepName: .*200/)]);
    expect(problems({ ...reply, stepName: '' })).toHaveLength(1);
  });
});

describe('toStepResult', () => {
  const awxToken = 'S3CRETAWXtokenDDDDDDDDDDDDDDDD';
  const ooPassword = 'S3CRETOOpw"mid\\EEEEEEEEEEEE';
  const key = `bk_bootS3C_${'K'.repeat(40)}`;
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  const result = (metadata: FinalStepReply['metadata'], output?: unknown) =>
    toStepResult(stepReplySchema.parse({ ...reply, metadata, output }) as FinalStepReply, [awxToken, ooPassword]);

  it("cuts from a worker's error every credential it quotes: a whole API key, Baton's handlers' secrets, however escaped, a header's", () => {
    const error = `POST failed with ${key}; sent ${JSON.stringify({ awx: awxToken, oo: ooPassword })}; Authorization: Bearer abc.def`;
    expect(result({ status: 'FAILED', error }).error).toBe('POST failed with bk_bootS3C_…; sent {"awx":"***","oo":"***"}; Authorization: ***');
  });

  it('scrubs an error before cutting it to fit, leaving no piece of a key too short to be recognized', () => {
    const error = `${'x'.repeat(MAX_ERROR_LENGTH - 20)} ${key}`;
    expect(result({ status: 'FAILED', error }).error).toBe(`${'x'.repeat(MAX_ERROR_LENGTH - 20)} bk_bootS3C_…`);
  });

  // A later step may need a credential a step made (a created client's secret): only Baton's own are cut.
  it("cuts only Baton's own credentials from an output, in names and values at any depth, and keeps a JWT or a credential-named field", () => {
    const output = { created: { clientSecret: 'client-secret-0123456789', token: jwt }, keys: [key, `awx ${awxToken}`], [awxToken]: 1 };
    expect(result({ status: 'SUCCESS' }, output).output).toEqual({
      created: { clientSecret: 'client-secret-0123456789', token: jwt }, keys: ['bk_bootS3C_…', 'awx ***'], '***': 1,
    });
    expect(result({ status: 'SUCCESS' }, { n: 7, ok: true, none: null, list: ['a'] }).output).toEqual({ n: 7, ok: true, none: null, list: ['a'] });
    expect(result({ status: 'SUCCESS', outputDropped: true }, { key }).output).toBeUndefined();
  });

  it('keeps data that merely holds a short handler secret (a password admin or test) as it is, and copies nothing it keeps', () => {
    const output = { env: 'test', user: 'Administrator', Admin: 1, vmName: 'web-Passw0rd-01', nested: [{ id: 'ord-1234' }] };
    const parsed = stepReplySchema.parse({ ...reply, metadata: { status: 'SUCCESS' }, output }) as FinalStepReply;
    const kept = toStepResult(parsed, ['test', 'admin', 'Passw0rd', '1234', awxToken]).output;
    expect(kept).toEqual(output);
    expect(kept).toBe(parsed.output);
  });
});
