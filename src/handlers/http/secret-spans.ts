/**
 * The shortest run of a secret that is scrubbed on its own: shorter runs are too likely in ordinary
 * text (a password `wrong-password` made "Invalid username/password." lose its last word at 8).
 */
const MIN_RUN = 12;
/** Secret sets kept compiled: one per connection's scrub, plus the engine-wide one, with room to spare. */
const CACHED_SETS = 16;

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
function encodedFormsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, encodeURIComponent(secret), bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')];
  for (const lead of [1, 2]) {
    const inner = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64').slice(4, -4);
    forms.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * The forms a partner quoting the secret inside its own text escapes it to: a JSON string (and PHP's
 * `\/`, Go's `\u003c` for `<`, `>`, `&`, .NET's `\u00XX` for every character but letters and digits),
 * a form-encoded value (`+` for a space) and HTML text. Only these, the escapers' defaults: each form
 * is indexed and looked for in every string scrubbed, so any other spelling would cost every answer.
 */
function escapedFormsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  return [
    json,
    json.replace(/\//g, '\\/'),
    json.replace(/[<>&]/g, unicodeEscape),
    secret.replace(/[^A-Za-z0-9]/g, unicodeEscape),
    new URLSearchParams({ v: secret }).toString().slice(2),
    secret.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]),
  ];
}

interface Form {
  text: string;
  /**
   * The shortest run of it that is scrubbed: half of it, MIN_RUN at least, all of it at most; all
   * of it for an escaped form of a secret shorter than MIN_RUN.
   */
  run: number;
}

/**
 * Finds where runs of a set of secrets stand in a text, in time linear in the text, whatever the
 * secrets' lengths (a secret of long repeats aside, which no credential is). Every form of every secret is cut into grams of `gram` characters, indexed
 * once; a text is sampled every `stride` characters, and a sampled gram found in a form is widened
 * as far as text and form go on agreeing. Any run of at least `run` characters holds a sampled
 * gram (run >= stride + gram - 1), so this finds what looking for every window of every form did,
 * which cost the secrets' lengths on every string of every answer (13 s for a 64 KiB body).
 */
export class SecretSpans {
  private readonly forms: Form[] = [];
  private readonly grams = new Map<string, Array<[form: number, at: number]>>();
  private readonly gram: number = 0;
  private readonly stride: number = 0;
  /** No text shorter than this holds a run worth scrubbing. */
  private readonly shortest: number = Number.POSITIVE_INFINITY;

  constructor(private readonly secrets: readonly string[]) {
    const seen = new Set<string>();
    for (const secret of secrets) {
      if (!secret) continue;
      // A secret too short to be scrubbed in part is scrubbed only whole in an escaped form too: the
      // escapes would lengthen it past MIN_RUN, and ordinary escaped text would lose a run of it.
      const escapedWhole = secret.length < MIN_RUN;
      for (const [form, whole] of [...encodedFormsOf(secret).map((f) => [f, false] as const), ...escapedFormsOf(secret).map((f) => [f, escapedWhole] as const)]) {
        const text = foldCase(form);
        if (!text || seen.has(text)) continue;
        seen.add(text);
        const run = whole ? text.length : Math.min(text.length, Math.max(MIN_RUN, Math.ceil(text.length / 2)));
        this.forms.push({ text, run });
        this.shortest = Math.min(this.shortest, run);
      }
    }
    if (this.forms.length === 0) return;
    this.gram = Math.ceil(this.shortest / 2);
    this.stride = this.shortest - this.gram + 1;
    this.forms.forEach(({ text }, f) => {
      for (let at = 0; at + this.gram <= text.length; at++) {
        const gram = text.slice(at, at + this.gram);
        const places = this.grams.get(gram);
        if (places) places.push([f, at]);
        else this.grams.set(gram, [[f, at]]);
      }
    });
  }

  /** Whether this finds the runs of these secrets, in this order. */
  isFor(secrets: readonly string[]): boolean {
    return this.secrets.length === secrets.length && this.secrets.every((s, k) => s === secrets[k]);
  }

  /** Where each run of a secret's forms (at least its `run` long) stands in the text, in any letter case. */
  in(text: string): Array<[number, number]> {
    const spans: Array<[number, number]> = [];
    if (text.length < this.shortest) return spans;
    const folded = foldCase(text);
    // Per form and diagonal (text position minus form position): where the run last found ends.
    const reached = new Map<number, number>();
    const count = this.forms.length;
    for (let p = 0; p + this.gram <= folded.length; p += this.stride) {
      const places = this.grams.get(folded.slice(p, p + this.gram));
      if (!places) continue;
      for (const [f, at] of places) {
        const diagonal = (p - at) * count + f;
        if ((reached.get(diagonal) ?? -1) > p) continue;
        const form = this.forms[f].text;
        const shift = p - at;
        let start = p;
        let end = p + this.gram;
        while (start > 0 && start - shift > 0 && folded[start - 1] === form[start - 1 - shift]) start--;
        while (end < folded.length && end - shift < form.length && folded[end] === form[end - shift]) end++;
        reached.set(diagonal, end);
        if (end - start >= this.forms[f].run) spans.push([start, end]);
      }
    }
    return spans;
  }
}

const compiled: SecretSpans[] = [];

/**
 * The set's compiled spans finder, built once and kept while the set is asked for: a connection's
 * secrets (and the tokens fetched for it) change rarely, its responses' strings come by thousands.
 */
export function secretSpans(secrets: readonly string[]): SecretSpans {
  const i = compiled.findIndex((c) => c.isFor(secrets));
  const found = i >= 0 ? compiled.splice(i, 1)[0] : new SecretSpans([...secrets]);
  compiled.unshift(found);
  compiled.splice(CACHED_SETS);
  return found;
}
