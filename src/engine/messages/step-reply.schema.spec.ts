import { stepReplySchema } from './step-reply.schema';

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
