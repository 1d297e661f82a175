import { MAX_HTML_READ, textOfHtml } from './html-text';

describe('textOfHtml', () => {
  it('reads an HTML error page', () => {
    expect(textOfHtml('<html><head><title>502 Bad Gateway</title></head><body><h1>x</h1></body></html>')).toBe('502 Bad Gateway');
    expect(textOfHtml('<HTML><BODY><H1 class="e">Server Error</H1></BODY></HTML>')).toBe('Server Error');
    expect(textOfHtml('<p>Oops <b>bad</b></p><script>var x</script>')).toBe('Oops bad');
    expect(textOfHtml('<title>no end <title>Gateway Timeout</title><style>p {}</style>')).toBe('Gateway Timeout');
    expect(textOfHtml('<script>a<style>b</style><p>kept</p><script src="x">')).toBe('a kept');
  });

  it('reads no further than its first 64 KiB', () => {
    const page = `<p>${'filler '.repeat(MAX_HTML_READ / 7)}</p><title>late</title>`;
    expect(textOfHtml(page)).not.toContain('late');
    expect(textOfHtml(page).length).toBeLessThanOrEqual(MAX_HTML_READ);
  });

  /**
   * An AWX or OO error body (up to 8 MiB) went whole through patterns that scanned to its end from
   * every unclosed `<script`, `<title` or `<`: 70 KB of them took 1.1 s, 280 KB 17 s, 8 MiB hours.
   * Each of these takes seconds that way, milliseconds now: the bound is a hundred times what it needs.
   */
  it('reads pages of unclosed tags in time linear in what it reads', () => {
    const started = Date.now();
    for (const unclosed of ['<script', '<title', '<h1', '<style', '<']) textOfHtml(`<x>${unclosed.repeat(MAX_HTML_READ / unclosed.length)}`);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
