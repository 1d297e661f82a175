/**
 * Why `url` cannot be a RabbitMQ URL, if it cannot, named as `option`. One that does not parse
 * (a password with an unescaped "/", "?", "#" or "@") made `new URL` throw an error whose `input`
 * holds the whole URL, password included, which start()'s caller then printed: the URL is shown
 * here without what may be credentials.
 */
export function amqpUrlProblem(url: unknown, option: string): string | undefined {
  let parsed: URL | undefined;
  try {
    parsed = new URL(String(url));
  } catch {
    parsed = undefined;
  }
  if (typeof url === 'string' && (parsed?.protocol === 'amqp:' || parsed?.protocol === 'amqps:')) return undefined;
  let shown: unknown = url;
  if (parsed) {
    parsed.username = '';
    parsed.password = '';
    shown = parsed.href;
  } else if (typeof url === 'string') {
    shown = url.replace(/^.*@/s, '…@'); // what comes before an @ may be credentials
  }
  return `${option} must be an amqp:// or amqps:// URL, with a "/", "?", "#", "@" or "%" in its user name or password `
    + `percent-encoded (encodeURIComponent), not ${JSON.stringify(shown)}`;
}
