import { redact } from './redact';
import { secretSpans } from './secret-spans';

/** Deterministic letters and digits (a small LCG): the same secrets and texts on every run. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return {
    int: (n: number) => Math.floor(next() * n),
    text: (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
  };
}

/**
 * What redact found before it was made linear, kept as the reference: every window (half a form)
 * of every form of every secret looked for in the text, each hit widened as far as text and form
 * agree. It cost the secrets' lengths on every string scrubbed.
 */
function referenceSpans(text: string, secrets: string[]): Array<[number, number]> {
  const fold = (t: string) => t.replace(/[A-Z]|[^\0-\x7f]/g, (c) => (c.toLowerCase().length === c.length ? c.toLowerCase() : c));
  const folded = fold(text);
  const spans: Array<[number, number]> = [];
  for (const secret of secrets) {
    const bytes = Buffer.from(secret);
    const forms = [secret, encodeURIComponent(secret), bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')];
    for (const lead of [1, 2]) {
      const inner = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64').slice(4, -4);
      forms.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'));
    }
    for (const form of forms.filter(Boolean).map(fold)) {
      const run = Math.min(form.length, Math.max(12, Math.ceil(form.length / 2)));
      for (let j = 0; j + run <= form.length; j++) {
        for (let i = folded.indexOf(form.slice(j, j + run)); i >= 0; i = folded.indexOf(form.slice(j, j + run), i + 1)) {
          let start = i;
          let end = i + run;
          for (let k = j; k > 0 && start > 0 && folded[start - 1] === form[k - 1]; k--) start--;
          for (let k = j + run; k < form.length && end < folded.length && folded[end] === form[k]; k++) end++;
          spans.push([start, end]);
        }
      }
    }
  }
  return spans;
}

/** The characters the spans cover, for comparing two ways of finding them. */
const covered = (spans: Array<[number, number]>) => {
  const at = new Set<number>();
  for (const [start, end] of spans) for (let i = start; i < end; i++) at.add(i);
  return [...at].sort((a, b) => a - b);
};

describe('secretSpans', () => {
  it('finds what looking for every window of every form found: echoes cut, re-cased, encoded, run together', () => {
    const g = generator(7);
    let scrubbed = 0;
    for (let round = 0; round < 150; round++) {
      const secrets = [g.text(4 + g.int(60)), g.text(4 + g.int(8)), ...(round % 3 === 0 ? [g.text(200)] : [])];
      const pieces: string[] = [];
      for (let n = 0; n < 6; n++) {
        const secret = secrets[g.int(secrets.length)];
        const encoded = [secret, secret.toUpperCase(), Buffer.from(secret).toString('base64'), Buffer.from(`x${secret}`).toString('base64url'),
          Buffer.from(secret).toString('hex')][g.int(5)];
        const from = g.int(encoded.length);
        pieces.push(g.text(g.int(8)), encoded.slice(from, from + 1 + g.int(encoded.length)));
      }
      const text = pieces.join('');
      const found = covered(secretSpans(secrets).in(text));
      expect([round, text, found]).toEqual([round, text, covered(referenceSpans(text, secrets))]);
      if (found.length > 0) scrubbed++;
    }
    expect(scrubbed).toBeGreaterThan(90);
  });

  it('compiles a set of secrets once, for every text scrubbed with it', () => {
    const secrets = ['ERP-BEARER-SECRET-TOKEN-1234', 'client-secret-0123456789'];
    expect(secretSpans([...secrets])).toBe(secretSpans(secrets));
    expect(secretSpans([secrets[0]])).not.toBe(secretSpans(secrets));
  });

  /**
   * Every string of every answer was scrubbed at the cost of the secrets' lengths (about half of
   * each of nine forms per secret, looked for one window at a time): a 64 KiB body of short strings
   * took 13.7 s with a 900-character bearer token and an OAuth2 token beside it, a 1 MiB body 334 s.
   * Counted as string searches and cuts, the work now follows the text scrubbed.
   */
  it('scrubs in work bounded by the text, not by the secrets', () => {
    const g = generator(11);
    const secrets = [g.text(900), g.text(1000), g.text(40)];
    const texts = [...Array.from({ length: 2_000 }, (_, i) => `v${i}`), g.text(20_000)];
    redact('compiled before counting', secrets);
    const limit = texts.reduce((sum, t) => sum + t.length, 0) / 10;
    const prototype = String.prototype as unknown as Record<'slice' | 'indexOf', (...args: unknown[]) => unknown>;
    const originals = { slice: prototype.slice, indexOf: prototype.indexOf };
    let calls = 0;
    for (const name of ['slice', 'indexOf'] as const) {
      prototype[name] = function (this: string, ...args: unknown[]) {
        if (++calls > limit) throw new Error(`more than ${limit} string searches and cuts`);
        return originals[name].apply(this, args);
      };
    }
    try {
      for (const text of texts) redact(text, secrets);
    } finally {
      Object.assign(prototype, originals);
    }
    expect(calls).toBeLessThanOrEqual(limit);
  });
});
