const TRACE_HEADERS = ['traceparent', 'tracestate'];

/** The W3C trace-context headers among a message's headers (none when the sender traces nothing). */
export function traceHeadersOf(headers: Record<string, string>): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of TRACE_HEADERS) if (headers[name]) found[name] = headers[name];
  return found;
}
