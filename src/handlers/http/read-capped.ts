/** A response body read up to a cap: `text` is null when it was empty or went past the cap (`truncated`). */
export interface CappedBody {
  text: string | null;
  truncated: boolean;
}

/**
 * Reads a body up to `maxBytes`, never more: past the cap it stops and destroys the stream, so a
 * partner answering without end (or with gigabytes) costs at most the cap in memory.
 */
export async function readCapped(stream: AsyncIterable<Buffer> & { destroy(): unknown }, maxBytes: number): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes) {
      stream.destroy();
      return { text: null, truncated: true };
    }
    chunks.push(chunk);
  }
  return { text: size ? Buffer.concat(chunks).toString('utf8') : null, truncated: false };
}
