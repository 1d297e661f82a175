const AUTH_HEADER = /(authorization|proxy-authorization|x-csrf-token|cookie)(["']?\s*[:=]\s*["']?)[^"',;\r\n}]+/gi;
// Bounded runs: unbounded, a long run of letters made this quadratic (64 KB of them took 3.7 s).
const URL_USERINFO = /([a-z][a-z0-9+.-]{0,31}:\/\/)[^/@\s]{1,512}@/gi;

/**
 * The shortest run of a secret that is scrubbed on its own: shorter runs are too likely in ordinary
 * text (a password `wrong-password` made "Invalid username/password." lose its last word at 8).
 */
const MIN_RUN = 12;

/**
 * Removes every known secret, header-shaped credential and URL user-info from a text. A secret is
 * matched in any letter case, as base64 and hex too, and by any run of at least half of it (12
 * characters at least): a partner that echoes a credential back lower-cased, encoded or cut short
 * (an error quoting the first characters of the key it refused) must not get it into a run's output,
 * an error or a log line.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const spans: Array<[number, number]> = [];
  const folded = foldCase(text);
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of formsOf(secret)) spansOf(folded, foldCase(form), spans);
  }
  return cut(text, spans).replace(AUTH_HEADER, '$1$2***').replace(URL_USERINFO, '$1***@');
}

/**
 * Lower case, character for character: a character whose lower case is longer ("İ" is two) stays
 * as it is, so that a position in the folded text is the same position in the text.
 */
const foldCase = (text: string): string => text.replace(/[A-Z]|[^\0-\x7f]/g, (c) => {
  const lower = c.toLowerCase();
  return lower.length === c.length ? lower : c;
});

/**
 * The forms a secret is echoed in: as it is, percent-encoded, hex, and base64 (plain and URL-safe)
 * at each of the three alignments it can have inside a longer encoded text ("Bearer <token>"
 * encoded whole): the characters made of the secret's bytes alone, without the groups at its edges.
 */
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, encodeURIComponent(secret), bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')];
  for (const lead of [1, 2]) {
    const inner = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64').slice(4, -4);
    forms.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms.filter((f, i) => f.length > 0 && forms.indexOf(f) === i);
}

/**
 * Adds to `spans` where runs of `form` (at least half of it) stand in `text`: each occurrence of one
 * of its windows, widened as far as text and form go on agreeing.
 */
function spansOf(text: string, form: string, spans: Array<[number, number]>): void {
  const run = Math.min(form.length, Math.max(MIN_RUN, Math.ceil(form.length / 2)));
  for (let j = 0; j + run <= form.length; j++) {
    const window = form.slice(j, j + run);
    for (let i = text.indexOf(window); i >= 0; i = text.indexOf(window, i + 1)) {
      let start = i;
      let end = i + run;
      for (let k = j; k > 0 && start > 0 && text[start - 1] === form[k - 1]; k--) start--;
      for (let k = j + run; k < form.length && end < text.length && text[end] === form[k]; k++) end++;
      spans.push([start, end]);
    }
  }
}

/** The text with each span (merged where they overlap) replaced by `***`. */
function cut(text: string, spans: Array<[number, number]>): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (start >= at) out += `${text.slice(at, start)}***`;
    at = Math.max(at, end);
  }
  return out + text.slice(at);
}

/** Shortens server-supplied text for messages and stored errors. */
export function truncate(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** A readable line from an HTML error page: its title or heading, else its text. */
export function textOfHtml(html: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(html)?.[1];
  const text = title ?? html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ');
  return text.replace(/\s+/g, ' ').trim();
}
