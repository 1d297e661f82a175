import { createHash } from 'node:crypto';

/** The claim that binds a JWT to one message: the hex SHA-256 of the message's exact body bytes. */
export const BODY_HASH_CLAIM = 'body_sha256';

/**
 * Why a verified token does not cover `body`, or undefined when it does. A bearer token alone
 * would prove its sender for any body: whoever reads one message (the topic, its DLQ) could copy
 * the header onto another until the token expires.
 */
export function bodyHashProblem(claims: Record<string, unknown>, body: Buffer): string | undefined {
  const claimed = claims[BODY_HASH_CLAIM];
  if (claimed === undefined) {
    return `the token has no ${BODY_HASH_CLAIM} claim: a JWT on a message must carry the hex SHA-256 of the message body`;
  }
  const actual = createHash('sha256').update(body).digest('hex');
  return typeof claimed === 'string' && claimed.toLowerCase() === actual
    ? undefined
    : `the token's ${BODY_HASH_CLAIM} claim does not match the message body (a token copied from another message?)`;
}
