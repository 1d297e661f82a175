/**
 * What JSON.parse does not say of a text: where and why it is not JSON (V8's messages do not
 * reliably carry a position; Node 20 often omits it), and a key given twice in one object, which
 * it takes silently, the last one winning (RFC 8259: names SHOULD be unique). A registration is
 * refused for either, with its line and column, as YAML's parser refuses a duplicate key. This
 * small RFC 8259 checker builds no values, only the keys of the object it is in.
 */
export interface JsonTextError {
  offset: number;
  message: string;
}

const MAX_DEPTH = 1000;
/** Sticky: matched where the scan stands, however long the number (JSON.parse takes any length). */
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

class Failure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

export function findJsonTextError(text: string): JsonTextError | undefined {
  let i = 0;

  const fail = (message: string, at = i): never => {
    throw new Failure(at, message);
  };
  const describe = (at: number) => (at >= text.length ? 'end of input' : `${JSON.stringify(text[at])}`);
  const unexpected = (expected: string): never => fail(`expected ${expected}, found ${describe(i)}`);
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };

  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else unexpected('a value');
  };

  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('control character in string (escape it)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('invalid escape in string');
      } else i++;
    }
  };

  const number = () => {
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (!match) return unexpected('a value');
    i += match[0].length;
  };

  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    skipSpace();
    const c = text[i];
    if (c === '{') return object(depth);
    if (c === '[') return array(depth);
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    unexpected('a value');
  };

  const object = (depth: number) => {
    i++;
    skipSpace();
    if (text[i] === '}') {
      i++;
      return;
    }
    const keys = new Set<string>();
    for (;;) {
      skipSpace();
      if (text[i] !== '"') unexpected('a string key in double quotes');
      const start = i;
      string();
      const key = JSON.parse(text.slice(start, i)) as string;
      if (keys.has(key)) fail(`duplicate key ${JSON.stringify(key).slice(0, 100)}`, start);
      keys.add(key);
      skipSpace();
      if (text[i] !== ':') unexpected("':'");
      i++;
      value(depth + 1);
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] === '}') {
        i++;
        return;
      } else unexpected("',' or '}'");
    }
  };

  const array = (depth: number) => {
    i++;
    skipSpace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value(depth + 1);
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] === ']') {
        i++;
        return;
      } else unexpected("',' or ']'");
    }
  };

  try {
    value(0);
    skipSpace();
    if (i < text.length) unexpected('end of input after the document');
    return undefined;
  } catch (e) {
    if (e instanceof Failure) return { offset: e.offset, message: e.message };
    throw e;
  }
}
