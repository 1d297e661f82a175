import { firstApiKeyIn } from '../../auth/api-keys/api-key-format';
import type { Problem } from '../../common/errors/app-error';
import { decodeUtf8, withoutBom } from '../../common/text/utf8';
import { jsonShapeProblems } from '../../common/validation/json-shape';
import { detectFormat } from './content-type';
import { DOCUMENT_PATH, positionAt, type Locate, type ParseOutcome, type PathSegment, type SourcePosition } from './document-path';
import { checkJsonValue, parseJson } from './parse-json';
import { parseYaml } from './parse-yaml';
import { MAX_NESTING } from './safe-keys';

/**
 * Raw registration input → a plain object and a locator, or the problems that stopped it.
 * `raw` may be text, bytes, or a body the HTTP layer already parsed as JSON. The size cap is applied
 * before any parsing: it is what keeps the YAML parser's cost bounded.
 */
export function parseDocument(raw: string | Buffer | object, contentType: string | undefined, maxBytes: number): ParseOutcome {
  const outcome = typeof raw === 'string' || Buffer.isBuffer(raw) ? parseText(raw, contentType, maxBytes) : parseObject(raw, maxBytes);
  if (!outcome.ok) return outcome;
  const { value, locate } = outcome;
  // Nesting is already capped by the parsers; what is left is text PostgreSQL cannot store.
  const unstorable = jsonShapeProblems(value, '', { maxDepth: MAX_NESTING + 1 });
  if (unstorable.length) {
    return { ok: false, problems: unstorable.map((p) => ({ ...p, path: p.path || DOCUMENT_PATH, ...(locate && positionOf(value, p, locate)) })) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const problem: Problem = { path: DOCUMENT_PATH, message: `the document must be a map (with orchName, as, steps), found ${kindOf(value)}` };
    return { ok: false, problems: [{ ...problem, ...locate?.([]) }] };
  }
  return outcome;
}

/**
 * Where in a YAML text the node a shape problem names sits. The shape check names it in its own
 * `a.b[0]` form, on the parsed value; the value is walked again for the node's segments, only when
 * it is refused, keeping to the branches that lead to it.
 */
function positionOf(value: unknown, problem: Problem, locate: Locate): SourcePosition | undefined {
  const stack: Array<{ node: unknown; at: string; segments: PathSegment[] }> = [{ node: value, at: '', segments: [] }];
  while (stack.length > 0) {
    const { node, at, segments } = stack.pop()!;
    if (at === problem.path) return locate(segments, problem.message.startsWith('key ') ? 'key' : 'value');
    if (node === null || typeof node !== 'object' || !problem.path.startsWith(at)) continue;
    if (Array.isArray(node)) node.forEach((child, i) => stack.push({ node: child, at: `${at}[${i}]`, segments: [...segments, i] }));
    else for (const [key, child] of Object.entries(node)) stack.push({ node: child, at: at ? `${at}.${key}` : key, segments: [...segments, key] });
  }
  return undefined;
}

function parseText(raw: string | Buffer, contentType: string | undefined, maxBytes: number): ParseOutcome {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.length;
  if (size > maxBytes) return tooLarge(size, maxBytes);
  const text = typeof raw === 'string' ? withoutBom(raw) : decodeUtf8(raw);
  if (text === undefined) return { ok: false, problems: [{ path: DOCUMENT_PATH, message: 'the document is not valid UTF-8' }] };
  const key = keyProblem(text);
  if (key) return { ok: false, problems: [key] };
  return detectFormat(text, contentType) === 'json' ? parseJson(text) : parseYaml(text, maxBytes);
}

/**
 * A whole API key written into a document (a description, a comment, a header value): every
 * viewer reads templates, and the registration audit keeps documents. Refused as a key name
 * holding one is; the audit keeps the document with the key cut to its prefix.
 */
function keyProblem(text: string, located = true): Problem | undefined {
  const key = firstApiKeyIn(text);
  return key && { path: DOCUMENT_PATH, message: `holds a whole API key (bk_${key.prefix}_…): a credential does not belong in a template, `
    + 'which every viewer can read; take it out, and revoke the key if it was shared', ...(located ? positionAt(text, key.offset) : {}) };
}

function parseObject(raw: object, maxBytes: number): ParseOutcome {
  const checked = checkJsonValue(raw);
  if (!checked.ok) return checked;
  // The HTTP layer has its own limit; applying ours too keeps JSON and YAML bodies equal.
  const text = JSON.stringify(raw) ?? '';
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) return tooLarge(size, maxBytes);
  // No line and column: this text is ours, not the sender's.
  const key = keyProblem(text, false);
  return key ? { ok: false, problems: [key] } : checked;
}

function tooLarge(size: number, maxBytes: number): ParseOutcome {
  return { ok: false, problems: [{ path: DOCUMENT_PATH, message: `the document is ${size} bytes; the limit is ${maxBytes} bytes` }] };
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
