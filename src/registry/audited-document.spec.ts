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
});
