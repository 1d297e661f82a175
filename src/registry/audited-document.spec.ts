import { Parser } from 'yaml';
import { auditedDocument } from './audited-document';

describe('auditedDocument, accepted', () => {
  it("leaves what reaches the template: a '#' in a quoted or block value is no comment", () => {
    const text = 'orchName: a\ndescription: |\n  # password: kept, as the template keeps it\nnote: "# token: x"\nas: initiator\n';
    expect(auditedDocument(text, false, 64 * 1024)).toMatchObject({ text, truncated: false, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('leaves a JSON document, which has no comments, as it is', () => {
    const text = '{"orchName":"a#b","as":"worker","steps":[{"name":"x","objectType":"password: y"}]}';
    expect(auditedDocument(Buffer.from(text), false, 64 * 1024).text).toBe(text);
  });

  it('replaces a comment naming a credential alone on its line or after a value', () => {
    const text = 'steps:\n  # client_secret: s3cr3t\n  - {seq: 1, name: a, objectType: String} # X-Api-Key=abc\n';
    expect(auditedDocument(text, false, 64 * 1024)).toEqual({ truncated: false, sha256: null,
      text: 'steps:\n  # (not kept: the comment names a credential)\n  - {seq: 1, name: a, objectType: String} # (not kept: the comment names a credential)\n' });
  });

  it.each(['# password hunter2', '# the db password is hunter2', '# pw: hunter2', '# pass: hunter2', '# passphrase: hunter2',
    '# db_pass=hunter2', '# password → hunter2', '# password：hunter2', '# token abc123def456', '# "password" hunter2', '# API-KEY hunter2'])(
    'replaces a comment with a credential\'s word in any spelling: %s', (comment) => {
      expect(auditedDocument(`orchName: a\n${comment}\nas: initiator\n`, false, 64 * 1024)).toEqual({ truncated: false, sha256: null,
        text: 'orchName: a\n# (not kept: the comment names a credential)\nas: initiator\n' });
    });

  it('scrubs a credential\'s shape from a comment without a credential\'s word', () => {
    const text = 'orchName: a # from https://admin:hunter2@example.test/x\n# sent as Basic YWRtaW46aHVudGVyMg==\nas: initiator\n';
    expect(auditedDocument(text, false, 64 * 1024)).toEqual({ truncated: false, sha256: null,
      text: 'orchName: a # from https://***@example.test/x\n# sent as Basic ***\nas: initiator\n' });
  });

  it('reads no comment of a document without a credential\'s word (a 256 KiB one of comments took most of a second under the template lock)', () => {
    const parse = jest.spyOn(Parser.prototype, 'parse');
    try {
      const text = `orchName: a\n${'# a note on the steps\n'.repeat(1000)}as: initiator\n`;
      expect(auditedDocument(text, false, 64 * 1024)).toMatchObject({ text, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(parse).not.toHaveBeenCalled();
      expect(auditedDocument(`${text}# password hunter2\n`, false, 64 * 1024).sha256).toBeNull();
      expect(parse).toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});

describe('auditedDocument, rejected', () => {
  const max = 4096;

  it.each(['a', 'й', '語', '😀'])('keeps about its budget of a refused document of bytes, one character taking several: %s', (char) => {
    const { text, truncated } = auditedDocument(Buffer.from(`orchName: x\nnote: ${char.repeat(20_000)}\n`), true, max);
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(text)).toBeGreaterThan(max - 4);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(max);
  });

  it("cuts Baton's own handlers' secrets quoted in free text, however escaped, with the key and the hash, whether refused or not", () => {
    const awxToken = 'S3CRETAWXtokenDDDDDDDDDDDDDDDD';
    const ooPassword = 'S3CRETOOpw"mid/EEEEEEEEEEEE';
    const key = `bk_bootS3C_${'K'.repeat(40)}`;
    const text = `{"orchName":"tCredDoc2","steps":[{"description":"note ${awxToken} ${key} ${JSON.stringify(ooPassword).slice(1, -1)}"}]}`;
    for (const rejected of [true, false]) {
      expect(auditedDocument(text, rejected, max, [], [awxToken, ooPassword])).toEqual({ truncated: false, sha256: null,
        text: '{"orchName":"tCredDoc2","steps":[{"description":"note *** bk_bootS3C_… ***"}]}' });
    }
    expect(auditedDocument('{"orchName":"x"}', true, max, [], [awxToken]).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves no piece of a multi-byte credential the budget cuts', () => {
    // A URL's user-info (up to 512 characters, 3 bytes each here) starting just inside the budget, running past it.
    const note = `${'語'.repeat(1350)}https://admin:${'語'.repeat(490)}@example.test`;
    const { text, sha256 } = auditedDocument(Buffer.from(`orchName: x\nnote: ${note}\n`), true, max);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(max);
    expect(text).not.toContain('admin');
    expect(sha256).toBeNull();
  });
});
