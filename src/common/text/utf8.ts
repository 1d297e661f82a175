const fatal = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes as UTF-8 text, without the byte-order mark some editors write, or undefined when they are
 * not UTF-8: decoded loosely, such bytes would become U+FFFD, and a payload or a document would be
 * kept changed. Every reader of bytes goes through here, so a document, a request body and a run
 * payload read the same bytes the same way.
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return fatal.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Text without a leading byte-order mark, for text that arrives already decoded. */
export const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
