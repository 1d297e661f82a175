/**
 * The most of an HTML error page read for its message: what it says stands at its start, and an
 * AWX or OO error body may be 8 MiB.
 */
export const MAX_HTML_READ = 64 * 1024;

/** ASCII letters lower-cased, position for position (tag names are ASCII). */
const lowerAscii = (text: string) => text.replace(/[A-Z]+/g, (s) => s.toLowerCase());

/**
 * A readable line from an HTML error page: its title or heading, else its text. Read with
 * searches that never go back: the patterns that did (`<title[^>]*>`, a lazy match to
 * `</script>`) scanned to the page's end from every unclosed tag (17 s for 280 KB of `<script`).
 */
export function textOfHtml(html: string): string {
  const page = html.slice(0, MAX_HTML_READ);
  const lower = lowerAscii(page);
  const title = elementText(page, lower, 'title') ?? elementText(page, lower, 'h1');
  return (title ?? textOf(page, lower)).replace(/\s+/g, ' ').trim();
}

/** The text of the first `<tag …>text</tag>` holding no other tag. */
function elementText(page: string, lower: string, tag: string): string | undefined {
  const close = `</${tag}>`;
  for (let open = lower.indexOf(`<${tag}`); open >= 0;) {
    const gt = lower.indexOf('>', open + tag.length + 1);
    if (gt < 0) return undefined;
    const lt = lower.indexOf('<', gt + 1);
    if (lt < 0) return undefined;
    if (lower.startsWith(close, lt)) return page.slice(gt + 1, lt);
    // An opening before `lt` would end at the same `>` and `<`: the next one worth trying is past it.
    open = lower.indexOf(`<${tag}`, lt);
  }
  return undefined;
}

/** The page's text: scripts and styles left out, tags made spaces. */
function textOf(page: string, lower: string): string {
  let out = '';
  let at = 0;
  // A block with no end: none after it has one either, so it is not looked for again.
  const unclosed = new Set<string>();
  const blocks = /<(script|style)/g;
  for (let m = blocks.exec(lower); m; m = blocks.exec(lower)) {
    const end = unclosed.has(m[1]) ? -1 : lower.indexOf(`</${m[1]}>`, m.index);
    if (end < 0) {
      unclosed.add(m[1]);
      continue;
    }
    out += `${page.slice(at, m.index)} `;
    at = end + m[1].length + 3;
    blocks.lastIndex = at;
  }
  return `${out}${page.slice(at)}`.replace(/<[^<>]+>/g, ' ');
}
