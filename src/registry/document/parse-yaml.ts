import { Document, isAlias, isCollection, isMap, isNode, isScalar, isSeq, LineCounter } from 'yaml';
import type { Alias, Node, Pair, YAMLError, YAMLMap } from 'yaml';
import type { Problem } from '../../common/errors/app-error';
import { MAX_DOCUMENTS, parseBoundedYaml, type YamlBounds } from './bounded-yaml';
import { DOCUMENT_PATH, formatPath, type Locate, type ParseOutcome, type PathSegment, type SourcePosition } from './document-path';
import { FORBIDDEN_KEYS, forbiddenKeyMessage, MAX_NESTING, tooDeepMessage } from './safe-keys';

/**
 * Aliases may share a retry policy or handler; 100 expansions is plenty and stops alias bombs. It
 * counts uses, not their size: expanded-size.ts bounds what the document grows to.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * A YAML document holds at most one value (scalar, list or map) per this many bytes of the size
 * limit: 32,768 at the default 256 KiB, 0.1-0.3 s of parsing at most, as long as a JSON document of
 * that size takes. Real registrations spend far more bytes per value (keys, indentation, names),
 * and need far fewer values; text of nothing but `[1],` (2 bytes a value) took the parser a second
 * or more at the size limit.
 */
export const BYTES_PER_VALUE = 8;

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

type ParsedYaml = Document.Parsed;

/**
 * YAML text → plain JS value, in three tiers that each stop on failure: syntax (the parser's errors),
 * structure (checked on the AST before any JS object exists: one document, string keys, no duplicate
 * or prototype-polluting keys, core tags only, no dangling or circular aliases, bounded depth), then
 * conversion with a cap on alias expansions.
 *
 * `uniqueKeys: false` because yaml's own duplicate-key check is quadratic (20k keys: seconds); the
 * structure walk finds duplicates with a Set instead. `schema: 'core'` also overrides a `%YAML 1.1`
 * directive, so `yes`, `<<` merges and `!!binary` never get YAML 1.1 meanings.
 */
export function parseYaml(text: string, maxBytes: number): ParseOutcome {
  const lineCounter = new LineCounter();
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: col };
  };
  const problem = (path: readonly PathSegment[], message: string, offset?: number): Problem =>
    offset === undefined ? { path: formatPath(path), message } : { path: formatPath(path), message, ...at(offset) };
  // Far too deep or too many values stop the parser before it has spent its time on them; a little
  // too deep is left to the structure walk, which names the exact path.
  const bounds: YamlBounds = { maxDepth: 2 * MAX_NESTING, maxValues: Math.floor(maxBytes / BYTES_PER_VALUE) };
  const parsed = parseBoundedYaml(text, lineCounter, bounds,
    { prettyErrors: false, uniqueKeys: false, schema: 'core', version: '1.2', logLevel: 'error' });
  if (!parsed.ok) {
    const message = parsed.exceeded === 'maxDepth' ? tooDeepMessage()
      : `the document holds more than ${bounds.maxValues} values (scalars, lists and maps), one per ${BYTES_PER_VALUE} bytes `
        + 'of the size limit: far more than a registration needs';
    return { ok: false, problems: [problem([], message, parsed.offset)] };
  }
  const { docs } = parsed;

  if (docs.length === 0) {
    const stream = 'errors' in docs ? docs.errors : [];
    const problems = stream.map((e) => problem([], yamlMessage(e), e.pos[0]));
    return { ok: false, problems: problems.length > 0 ? problems : [problem([], 'document is empty')] };
  }

  const syntax: Problem[] = [];
  if (docs.length > 1) {
    const found = docs.length >= MAX_DOCUMENTS ? `${MAX_DOCUMENTS} or more` : docs.length;
    syntax.push(problem([], `expected one YAML document, found ${found} (separated by ---)`, docs[1].range[0]));
  }
  for (const doc of docs) {
    for (const e of [...doc.errors, ...doc.warnings]) {
      // Unknown tags are reported by the structure walk, with their path.
      if (e.code !== 'TAG_RESOLVE_FAILED') syntax.push(problem([], yamlMessage(e), e.pos[0]));
    }
  }
  if (syntax.length > 0) return { ok: false, problems: syntax };

  const doc = docs[0];
  const structure = checkStructure(doc).map((i) => problem(i.path, i.message, i.offset));
  if (structure.length > 0) return { ok: false, problems: structure };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message =
      e instanceof ReferenceError && /alias/i.test(e.message)
        ? `aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT}); write the values out instead`
        : `document could not be read: ${(e as Error).message}`;
    return { ok: false, problems: [{ path: DOCUMENT_PATH, message }] };
  }
  return { ok: true, value, locate: locator(doc, at) };
}

function yamlMessage(e: YAMLError): string {
  return e.message.split('\n')[0];
}

interface StructureIssue {
  path: PathSegment[];
  message: string;
  offset?: number;
}

function checkStructure(doc: ParsedYaml): StructureIssue[] {
  const issues: StructureIssue[] = [];
  const anchors = new Map<string, Node>();
  const ancestors = new Set<Node>();
  const offsetOf = (node: unknown) => (isNode(node) && node.range ? node.range[0] : undefined);

  const visit = (node: unknown, path: PathSegment[]): void => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) issues.push({ path, message: `alias *${node.source} has no anchor &${node.source} before it`, offset: offsetOf(node) });
      else if (ancestors.has(target)) issues.push({ path, message: `alias *${node.source} refers to a node that contains it`, offset: offsetOf(node) });
      return;
    }
    if (!isNode(node)) return;
    if (node.anchor) anchors.set(node.anchor, node);
    if (node.tag && !CORE_TAGS.has(node.tag)) {
      issues.push({ path, message: `tag ${displayTag(node.tag)} is not allowed (only plain YAML values)`, offset: offsetOf(node) });
    }
    if (!isCollection(node)) return;
    if (path.length >= MAX_NESTING) {
      issues.push({ path, message: tooDeepMessage(), offset: offsetOf(node) });
      return;
    }
    ancestors.add(node);
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && key.anchor) anchors.set(key.anchor, key);
        if (!isScalar(key) || typeof key.value !== 'string') {
          const shown = isScalar(key) ? String(key.value) : isNode(key) ? String(key).slice(0, 40) : '';
          issues.push({ path: [...path, shown], message: `map keys must be strings, found ${describeKey(key)}`, offset: offsetOf(key) });
          continue;
        }
        if (key.tag && !CORE_TAGS.has(key.tag)) {
          issues.push({ path: [...path, key.value], message: `tag ${displayTag(key.tag)} is not allowed (only plain YAML values)`, offset: offsetOf(key) });
        }
        const keyPath = [...path, key.value];
        if (FORBIDDEN_KEYS.has(key.value)) {
          issues.push({ path: keyPath, message: forbiddenKeyMessage(key.value), offset: offsetOf(key) });
          continue;
        }
        if (seen.has(key.value)) issues.push({ path: keyPath, message: `duplicate key "${key.value}"`, offset: offsetOf(key) });
        seen.add(key.value);
        visit(pair.value, keyPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    }
    ancestors.delete(node);
  };

  visit(doc.contents, []);
  return issues;
}

function displayTag(tag: string): string {
  return tag.replace(/^tag:yaml\.org,2002:/, '!!');
}

function describeKey(key: unknown): string {
  if (isAlias(key)) return 'an alias';
  if (isMap(key)) return 'a map';
  if (isSeq(key)) return 'a list';
  if (isScalar(key)) return key.value === null ? 'null' : `a ${typeof key.value}`;
  return 'an empty key';
}

/**
 * Walks a path through the AST (following aliases) to the node's first character. Key lookups are
 * indexed per map, so locating one problem per key of a huge map stays linear.
 */
function locator(doc: ParsedYaml, at: (offset: number) => SourcePosition): Locate {
  const keyIndexes = new Map<YAMLMap, Map<string, Pair>>();
  const resolved = new Map<Alias, unknown>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndexes.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) if (isScalar(pair.key) && typeof pair.key.value === 'string') index.set(pair.key.value, pair);
      keyIndexes.set(map, index);
    }
    return index.get(key);
  };
  const deref = (node: unknown): unknown => {
    if (!isAlias(node)) return node;
    if (!resolved.has(node)) resolved.set(node, node.resolve(doc));
    return resolved.get(node);
  };

  return (path, target = 'value') => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const segment of path) {
      const current = deref(node);
      let next: unknown;
      let nextKey: unknown;
      if (isMap(current) && typeof segment === 'string') {
        const pair = pairOf(current, segment);
        next = isEmptyValue(pair?.value) ? pair?.key : pair?.value;
        nextKey = pair?.key;
      } else if (isSeq(current) && typeof segment === 'number') {
        next = current.items[segment];
      }
      if (next === undefined || next === null) return positionOf(node, at);
      node = next;
      keyNode = nextKey;
    }
    return positionOf(target === 'key' && keyNode !== undefined ? keyNode : node, at);
  };
}

/** `key:` with nothing after it: point at the key rather than at wherever the empty value begins. */
function isEmptyValue(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1]);
}

function positionOf(node: unknown, at: (offset: number) => SourcePosition): SourcePosition | undefined {
  return isNode(node) && node.range ? at(node.range[0]) : undefined;
}
