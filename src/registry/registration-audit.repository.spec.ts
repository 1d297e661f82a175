import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { generateApiKey } from '../auth/api-keys/api-key-format';
import { AppConfig } from '../config/app-config';
import { type HandlersConfig, loadHandlersConfig } from '../handlers/handlers-config';
import { MAX_AUDIT_PATH, MAX_AUDIT_PROBLEMS_BYTES } from './audit-problems';
import { validateRegistration } from './document';
import type { RegistrationAuditEntity } from './entities/registration-audit.entity';
import { type AuditEntry, RegistrationAuditRepository } from './registration-audit.repository';
import { NOT_KEPT } from './refused-document';

async function stored(problems: Array<{ path: string; message: string }>, serviceName = 's',
  document: Partial<AuditEntry> = {}, handlers: HandlersConfig = loadHandlersConfig({})): Promise<Partial<RegistrationAuditEntity>> {
  let row: Partial<RegistrationAuditEntity> = {};
  const m = { getRepository: () => ({ insert: async (r: Partial<RegistrationAuditEntity>) => void (row = r) }) } as unknown as EntityManager;
  await new RegistrationAuditRepository({} as DataSource, new AppConfig(), handlers).record({
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

  it('keeps nothing of a rejected document holding credentials, nor their values in its problems, nor a hash to test guesses against', async () => {
    const document = 'headers:\n  X-Api-Key: 8734682734\n';
    const problems = [{ path: 'steps[0].handler.headers.X-Api-Key', message: 'expected a string, found the number 8734682734' }];
    const row = await stored(problems, 's', { document, credentials: ['8734682734'] });
    expect([row.document, row.documentTruncated]).toEqual([NOT_KEPT, false]);
    expect(row.problems).toEqual([{ ...problems[0], message: 'expected a string, found the number ***' }]);
    expect(row.documentSha256).toBeNull();
    // Named in the text only (no value found on the parsed document): the same.
    expect((await stored([], 's', { document: 'headers: {X-Auth-Token: hunter2}\n' })).documentSha256).toBeNull();
  });

  it('keeps what is shaped like a credential out of a rejected document it keeps, and no hash of it', async () => {
    const row = await stored([], 's', { document: 'note: Bearer abcdefgh12345678\nurl: https://ops:hunter2@partner.example/x\n' });
    expect(row.document).toBe('note: Bearer ***\nurl: https://***@partner.example/x\n');
    expect(row.documentSha256).toBeNull();
  });

  it("keeps none of Baton's own AWX token a rejected document quotes in free text", async () => {
    const awxToken = 'S3CRETAWXtokenDDDDDDDDDDDDDDDD';
    const handlers = loadHandlersConfig({ AWX_HOST: 'https://awx.example.com', AWX_TOKEN: awxToken });
    const row = await stored([], 's', { document: `orchName: x\ndescription: note ${awxToken}\n` }, handlers);
    expect([row.document, row.documentSha256]).toEqual(['orchName: x\ndescription: note ***\n', null]);
  });

  it('hashes all of a document it keeps whole, rejected or accepted, so a cut one can still be matched', async () => {
    const document = `orchName: big\nas: bogus\n# ${'x'.repeat(8_000)}\n`;
    const sha256 = createHash('sha256').update(document).digest('hex');
    expect(await stored([], 's', { document })).toMatchObject({ documentTruncated: true, documentSha256: sha256 });
    expect((await stored([], 's', { document, outcome: 'ACCEPTED' })).documentSha256).toBe(sha256);
  });

  it('reads a big refused document only as far as it keeps it, yet hashes all its bytes, and cuts a credential the cut splits', async () => {
    const max = new AppConfig().AUDIT_REJECTED_DOCUMENT_BYTES;
    // 2 MiB of bytes, not all UTF-8: the hash is of the bytes as they came, not of their decoding.
    const big = (note: string) => Buffer.concat([Buffer.from(`orchName: big\nnote: ${note}\n`), Buffer.from([0xff, 0xfe]),
      Buffer.alloc(2 * 1024 * 1024, 'a: 1\n')]);
    const plain = big('x'.repeat(max));
    const row = await stored([], 's', { document: plain });
    expect([row.documentTruncated, row.documentSha256]).toEqual([true, createHash('sha256').update(plain).digest('hex')]);
    expect(row.document).toBe(`orchName: big\nnote: ${'x'.repeat(max - 20)}`);
    // A token starting inside the kept bytes and ending past them: none of it is kept, nor a hash.
    const split = await stored([], 's', { document: big(`${'x'.repeat(max - 30)} Bearer ${'t'.repeat(64)}`) });
    expect(split.document!.startsWith('orchName: big\nnote: xxx')).toBe(true);
    expect(Buffer.byteLength(split.document!)).toBeLessThanOrEqual(max);
    expect(split.document).not.toMatch(/tt/);
    expect([split.documentTruncated, split.documentSha256]).toEqual([true, null]);
  });

  it('keeps the head of a refused document that names a credential only past it, but no hash of it', async () => {
    const max = new AppConfig().AUDIT_REJECTED_DOCUMENT_BYTES;
    const document = `orchName: big\nas: bogus\n${'# filler\n'.repeat(max)}headers: {X-Api-Key: hunter2}\n`;
    const row = await stored([], 's', { document });
    expect(row.document!.startsWith('orchName: big\nas: bogus\n# filler\n')).toBe(true);
    expect([row.documentTruncated, row.documentSha256]).toEqual([true, null]);
    expect(row.document).not.toContain('hunter2');
  });

  /** Comments reach no template: the audit was the only place they stayed, and every viewer reads it. */
  it('keeps an accepted document but for the comments naming or holding a credential, and then no hash', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const document = `# old: Authorization: Bearer ${jwt}\n# db password: hunter2secret\norchName: AC # note: Bearer abcdefgh12345678\n`
      + 'description: "a # b, password: x"\nas: initiator\nsteps:\n  - {seq: 1, name: a, objectType: String} # a plain comment\n';
    const row = await stored([], 's', { document, outcome: 'ACCEPTED' });
    expect(row.document).toBe('# (not kept: the comment names a credential)\n# (not kept: the comment names a credential)\n'
      + 'orchName: AC # (not kept: the comment names a credential)\ndescription: "a # b, password: x"\nas: initiator\nsteps:\n'
      + '  - {seq: 1, name: a, objectType: String} # a plain comment\n');
    expect([row.documentTruncated, row.documentSha256]).toEqual([false, null]);
  });

  /** A client that mixed up its headers sent its key as X-Service-Name, a name every viewer reads in the audit. */
  it('cuts a whole API key given as the service name to its prefix', async () => {
    const { key, prefix } = generateApiKey();
    expect((await stored([], key)).serviceName).toBe(`bk_${prefix}_…`);
  });
});
