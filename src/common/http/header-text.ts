import type { IncomingHttpHeaders } from 'node:http';

/** A header as one text: Node joins repeats of most headers itself, and lists only a few. */
export function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
