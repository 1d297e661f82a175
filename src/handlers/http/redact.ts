const AUTH_HEADER = /(authorization|proxy-authorization|x-csrf-token|cookie)(["']?\s*[:=]\s*["']?)[^"',;\r\n}]+/gi;
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi;

/** Removes every known secret, header-shaped credential and URL user-info from a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join('***');
  }
  return out.replace(AUTH_HEADER, '$1$2***').replace(URL_USERINFO, '$1***@');
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
