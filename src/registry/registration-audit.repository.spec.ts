import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { generateApiKey } from '../auth/api-keys/api-key-format';
import { AppConfig } from '../config/app-config';
import { MAX_AUDIT_PATH, MAX_AUDIT_PROBLEMS_BYTES } from './audit-problems';
import { validateRegistration } from './document';
import type { RegistrationAuditEntity } from './entities/registration-audit.entity';
import { type AuditEntry, RegistrationAuditRepository } from './registration-audit.repository';

async function stored(problems: Array<{ path: string; message: string }>, serviceName = 's',
  document: Partial<AuditEntry> = {}): Promise<Partial<RegistrationAuditEntity>> {
  let row: Partial<RegistrationAuditEntity> = {};
  const m = { getRepository: () => ({ insert: async (r: Partial<RegistrationAuditEntity>) => void (row = r) }) } as unknown as EntityManager;
  await new RegistrationAuditRepository({} as DataSource, new AppConfig()).record({
    serviceName, orchName: 'x', role: 'worker', source: 'http', outcome: 'REJECTED', reason: 'INVALID_DOCUMENT: invalid', problems, document: '…',
    ...document,
  }, m);
  return row;
}

describe('RegistrationAuditRepository.record', () => {
  it("keeps a rejected document's problems within MAX_AUDIT_PROBLEMS_BYTES, however long their paths", async () => {
    // 3.7 KB of YAML: two nested 1,000-character keys, under them 120 problems whose paths repeat both.
    const lines = ['orchName: x', 'as: worker', 'steps: [{name: a, objectType: S}]', `${'k'.repeat(1000)}:`, `  ${'m'.repeat(1000)}:`];
    for (let i = 0; i < 120; i++) lines.push(`    a${i}: !t 1`);
    const result = validateRegistration(lines.join('\n'), 'application/yaml', { maxBytes: 256 * 1024 });
    if (result.ok) throw new Error('expected problems');
    expect(result.problems.length).toBeGreaterThan(100);

    const { problems } = await stored(result.problems);
    expect(Buffer.byteLength(JSON.stringify(problems))).toBeLessThanOrEqual(MAX_AUDIT_PROBLEMS_BYTES);
    expect(problems!.every((p) => p.path.length <= MAX_AUDIT_PATH)).toBe(true);
    expect(problems!.at(-1)).toEqual({ path: '(document)', message: expect.stringMatching(/^\d+ more problems not kept$/) });
  });

  it('keeps a short list of problems as it is', async () => {
    const problems = [{ path: 'steps[0].name', message: 'is required', line: 3, column: 5 }];
    expect((await stored(problems)).problems).toEqual(problems);
    expect((await stored([])).problems).toBeNull();
  });

  it("cuts a rejected document's credentials before keeping its first bytes, and hashes all of it as received", async () => {
    const document = `X-Auth-Token: ${'s'.repeat(5000)}\nnote: Bearer abcdefgh12345678\n`;
    const row = await stored([], 's', { document, credentials: ['s'.repeat(5000)] });
    expect([row.document, row.documentTruncated]).toEqual(['X-Auth-Token: ***\nnote: Bearer ***\n', false]);
    expect(row.documentSha256).toBe(createHash('sha256').update(document).digest('hex'));
  });

  /** A client that mixed up its headers sent its key as X-Service-Name, a name every viewer reads in the audit. */
  it('cuts a whole API key given as the service name to its prefix', async () => {
    const { key, prefix } = generateApiKey();
    expect((await stored([], key)).serviceName).toBe(`bk_${prefix}_…`);
  });
});
