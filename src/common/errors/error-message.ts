/** Longest text we copy an error's message into (a dead-letter header, a log field): a stack-sized reason is no use there. */
const MAX_REASON_LENGTH = 1000;

/** Anything thrown, as a bounded one-line reason. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_REASON_LENGTH ? `${message.slice(0, MAX_REASON_LENGTH)}…` : message;
}
