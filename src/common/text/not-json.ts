/**
 * Why text is not JSON, without the text: V8's message quotes the input around the error, which
 * may be a password, and a message's reason reaches a log line and its dead letter's header. Only
 * the position, a number, is kept from it.
 */
export function notJson(e: unknown): string {
  const position = / at position (\d+)/.exec((e as Error).message)?.[1];
  return position === undefined ? 'not JSON' : `not JSON (at position ${position})`;
}
