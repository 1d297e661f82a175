import { createHash } from 'node:crypto';
import { Parser } from 'yaml';
import { withoutKeySecrets } from '../auth/api-keys/api-key-format';
import { cutUtf8, fitText } from '../common/validation/fit-text';
import { withoutSecrets } from '../handlers/http/redact';
import { NOT_KEPT, refusedDocumentText } from './refused-document';

/**
 * Characters read past the bytes a refused document keeps, and dropped again once scrubbed: every
 * credential shape starting in the kept part is matched whole within them (a name runs to 200
 * characters, URL user-info to 544), so the cut leaves no piece of one behind.
 */
export const SCRUB_MARGIN = 1024;

/** A word of a credential's name, anywhere: only whether the unread rest of a cut document may hold one. */
const CREDENTIAL_WORD = /token|secret|passw|pwd|key|auth|credential|jwt|bearer|cookie/i;

/**
 * A word of a credential's name in a comment, as a part of any word: comments reach no template, so
 * one replaced needlessly costs nothing, and a credential is written there in any spelling
 * (`# the db password is hunter2`, `# pw: hunter2`, `# token abc123`).
 */
const COMMENT_CREDENTIAL_WORD = /token|secret|pass|pw|key|auth|credential|jwt|bearer|cookie/i;

/** What a comment may hold for refusedDocumentText to scrub: a credential's word, or a shape without one (Basic, a URL's user-info, a JWT). */
const MAY_HOLD_CREDENTIAL = new RegExp(`${COMMENT_CREDENTIAL_WORD.source}|basic|@|eyJ`, 'i');

const COMMENT_NOT_KEPT = '# (not kept: the comment names a credential)';

export interface AuditedDocument {
  text: string;
  truncated: boolean;
  /** Of all the bytes as they came; null when anything was cut for a credential. */
  sha256: string | null;
}

/**
 * A registration document as its audit row keeps it. A refused one is read only as far as it is
 * kept (plus SCRUB_MARGIN): scrubbing all of a 16 MiB document published on the topic took over a
 * second of CPU for 4 KiB kept. Its hash still covers every byte; it is dropped, as for a document
 * cut for a credential, when the unread rest has a credential's word (a viewer who knows the rest
 * could test guesses of a weak secret against it). An accepted one reaches the template whole,
 * except its comments, which the audit is then the only place to keep: they pass the refused rule.
 * Either loses `batonSecrets` (HandlersConfig.secrets()) wherever it holds one.
 */
export function auditedDocument(document: string | Buffer, rejected: boolean, maxBytes: number,
  credentials: readonly string[] = [], batonSecrets: readonly string[] = []): AuditedDocument {
  // A Buffer is read in bytes, and the margin is dropped in characters: up to 4 bytes each in UTF-8
  // (read 1024 bytes past the budget, CJK text kept half of it).
  const readTo = rejected ? maxBytes + SCRUB_MARGIN * (typeof document === 'string' ? 1 : 4) : Infinity;
  const whole = document.length <= readTo;
  const read = typeof document === 'string' ? document.slice(0, readTo) : document.toString('utf8', 0, Math.min(readTo, document.length));
  const shaped = rejected ? refusedDocumentText(read, credentials) : withoutCommentCredentials(read);
  if (shaped === NOT_KEPT) return { text: NOT_KEPT, truncated: false, sha256: null };
  // Baton's own handlers' secrets, which a document may quote in free text (a description), the
  // rules above by name and shape miss: scrubbed however spelled, and the hash dropped as for those.
  const scrubbed = withoutSecrets(shaped, batonSecrets);
  const lost = scrubbed !== read || (!whole && CREDENTIAL_WORD.test(restOf(document, readTo)));
  const keyless = withoutKeySecrets(scrubbed);
  // The last SCRUB_MARGIN characters may end inside a credential the read cut short.
  const kept = whole ? keyless : keyless.slice(0, Math.max(0, keyless.length - SCRUB_MARGIN));
  const { text, cut } = cutUtf8(fitText(kept, kept.length), maxBytes);
  return { text, truncated: cut || !whole, sha256: lost ? null : createHash('sha256').update(document).digest('hex') };
}

function restOf(document: string | Buffer, from: number): string {
  // latin1: one character per byte, so no decoding cost, and the ASCII words match as in UTF-8.
  return typeof document === 'string' ? document.slice(from) : document.toString('latin1', from);
}

/**
 * The document with each YAML comment (as yaml's own parser reads them: not a `#` in a quoted or
 * block value) that has a credential's word replaced, and the others passed through
 * refusedDocumentText, which scrubs a credential's shape. JSON has no comments, so it is kept as it is.
 */
function withoutCommentCredentials(text: string): string {
  // Walking the syntax tree of 256 KiB of comments took most of a second, under the template's lock: only when a comment may change.
  if (!text.includes('#') || !MAY_HOLD_CREDENTIAL.test(text)) return text;
  const comments: Array<{ offset: number; source: string }> = [];
  const pending: unknown[] = Array.from(new Parser().parse(text));
  // A walk with a stack of its own: the document passed the validator's depth bound, but its CST nests deeper than its values.
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    const token = node as { type?: unknown; offset?: unknown; source?: unknown };
    if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
      comments.push({ offset: token.offset, source: token.source });
    } else {
      // One at a time: spreading a list of 60,000 items as arguments could overflow the stack.
      for (const child of Array.isArray(node) ? node : Object.values(node)) pending.push(child);
    }
  }
  let out = '';
  let at = 0;
  for (const { offset, source } of comments.sort((a, b) => a.offset - b.offset)) {
    const kept = COMMENT_CREDENTIAL_WORD.test(source) ? NOT_KEPT : refusedDocumentText(source);
    if (kept === source) continue;
    out += text.slice(at, offset) + (kept === NOT_KEPT ? COMMENT_NOT_KEPT : kept);
    at = offset + source.length;
  }
  return out + text.slice(at);
}
