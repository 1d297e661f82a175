import { Composer, CST, Lexer, LineCounter, Parser } from 'yaml';
import type { Document, DocumentOptions, EmptyStream, ParseOptions, SchemaOptions } from 'yaml';

export interface YamlBounds {
  /**
   * Collections open at once, counted for flow (`[`, `{`) and for block (indentation, `- - -`)
   * nesting each: yaml's composer recurses once per level of either.
   */
  maxDepth: number;
  /** Values written in the text: scalars, aliases, flow collections and block list entries. */
  maxValues: number;
}

export type BoundedParse =
  | { ok: true; docs: Document.Parsed[] | EmptyStream }
  | { ok: false; offset: number; exceeded: keyof YamlBounds };

/** Stops the token stream; only boundedTokens throws it, only parseBoundedYaml catches it. */
class BoundExceeded extends Error {
  constructor(readonly offset: number, readonly exceeded: keyof YamlBounds) {
    super(`YAML ${exceeded} exceeded`);
  }
}

/**
 * yaml's parseAllDocuments, with the text's size in values and flow depth checked token by token
 * as the lexer reads it, by the library's own lexer (what is quoted, escaped or commented is the
 * parser's reading, not a guess), and the parse stopped at the first token past a bound. The parser
 * spends about 5 µs per value: 60,000 `[1]` in 240 KB took 1-1.4 s to parse before anything could
 * refuse the 60,000 steps, and 120,000 nested `[` overflowed the stack, as did 20,000 `- ` on one line
 * (the composer's "Maximum call stack size exceeded" then came back as a YAML error). Stopped early,
 * a document's cost is bounded by `maxValues` whatever its shape.
 */
export function parseBoundedYaml(text: string, lineCounter: LineCounter, bounds: YamlBounds,
  options: ParseOptions & DocumentOptions & SchemaOptions): BoundedParse {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer(options);
  lineCounter.addNewLine(0);
  try {
    const docs = Array.from(composer.compose(boundedTokens(text, parser, bounds)));
    return { ok: true, docs: docs.length > 0 ? docs : Object.assign([], { empty: true as const }, composer.streamInfo()) };
  } catch (e) {
    if (e instanceof BoundExceeded) return { ok: false, offset: e.offset, exceeded: e.exceeded };
    throw e;
  }
}

function* boundedTokens(text: string, parser: Parser, bounds: YamlBounds): Generator<CST.Token> {
  let depth = 0;
  let values = 0;
  // The lexeme after a scalar marker is the scalar's text, whatever it looks like (as in Parser.next).
  let atScalar = false;
  let checkedStack = 0;
  let errors = 0;
  let documents = 0;
  /** The last token that is not space, a line break or a comment: what a `:` follows. */
  let last: CST.TokenType | undefined;
  /** Anchors and tags since the last node: a node may have one of each. */
  let properties = 0;
  let excessProperties = 0;
  for (const lexeme of new Lexer().lex(text)) {
    const type: CST.TokenType | null | undefined = atScalar ? undefined : CST.tokenType(lexeme);
    atScalar = type === 'scalar';
    if (type === 'anchor' || type === 'tag') {
      // A collection's anchor and tag and its first key's, on the next line, count together here;
      // far more is an attack: 80,000 `&x` on one node took 2.2 s, each a composer error.
      if (++properties > MAX_PROPERTIES) excessProperties++;
    } else if (type && NODE_TOKENS.has(type)) {
      properties = 0;
    }
    // A `:` after no key opens a pair with an empty one, a node the value count must see: 120,000
    // lines of `:` took a second.
    if (type === 'map-value-ind' && !(last && KEY_ENDS.has(last)) && ++values > bounds.maxValues) {
      throw new BoundExceeded(parser.offset, 'maxValues');
    }
    if (type !== undefined && type !== null && !BLANK_TOKENS.has(type)) last = type;
    if (type === 'flow-map-start' || type === 'flow-seq-start') {
      if (++depth > bounds.maxDepth) throw new BoundExceeded(parser.offset, 'maxDepth');
    } else if ((type === 'flow-map-end' || type === 'flow-seq-end') && depth > 0) {
      depth--;
    }
    if (type && VALUE_TOKENS.has(type) && ++values > bounds.maxValues) throw new BoundExceeded(parser.offset, 'maxValues');
    const offset = parser.offset;
    for (const token of parser.next(lexeme)) {
      yield token;
      if (token.type === 'error') errors++;
      else if (token.type === 'document') documents++;
    }
    // Past these the text is refused for what was read already: reading on would only build more of
    // the same (50,000 `---` took 0.9 s, 60,000 stray `]` 1.2 s, each within the size limit).
    if (errors >= MAX_SYNTAX_ERRORS || documents >= MAX_DOCUMENTS || excessProperties > MAX_EXCESS_PROPERTIES) break;
    // Block nesting shows only in the parser's stack of open tokens; it cannot hold more block
    // collections than tokens, so it is counted only when it is that tall and has changed.
    if (parser.stack.length > bounds.maxDepth && parser.stack.length !== checkedStack) {
      checkedStack = parser.stack.length;
      if (blockDepth(parser.stack) > bounds.maxDepth) throw new BoundExceeded(offset, 'maxDepth');
    }
  }
  yield* parser.end();
}

/** Syntax errors read before the rest of the text is left unread: the first ones say what is wrong. */
const MAX_SYNTAX_ERRORS = 20;
/** Anchors and tags before a node: one of each. */
const MAX_PROPERTIES = 2;
/** Anchors and tags past MAX_PROPERTIES before the rest is left unread: a valid document may have a few (see above). */
const MAX_EXCESS_PROPERTIES = 1000;

/** Documents read before the rest is left unread: a registration is one, so a second is refused already. */
export const MAX_DOCUMENTS = 10;

function blockDepth(stack: readonly CST.Token[]): number {
  let depth = 0;
  for (const token of stack) if (token.type === 'block-map' || token.type === 'block-seq') depth++;
  return depth;
}

const VALUE_TOKENS: ReadonlySet<CST.TokenType> = new Set<CST.TokenType>([
  'scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'alias', 'flow-map-start', 'flow-seq-start', 'seq-item-ind',
  'explicit-key-ind',
]);
/** Tokens that begin a node or an entry, after which a new node's anchor and tag may come. */
const NODE_TOKENS: ReadonlySet<CST.TokenType> = new Set<CST.TokenType>([...VALUE_TOKENS, 'map-value-ind', 'comma', 'block-scalar-header']);
/** Tokens that end a key, so that a `:` after one adds no node. */
const KEY_ENDS: ReadonlySet<CST.TokenType> = new Set<CST.TokenType>([
  'scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'alias', 'flow-map-end', 'flow-seq-end',
]);
const BLANK_TOKENS: ReadonlySet<CST.TokenType> = new Set<CST.TokenType>(['space', 'newline', 'comment']);
