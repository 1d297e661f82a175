/**
 * An answer's body as text, reading no more than `max` bytes: past them reading stops (the rest is
 * never fetched) and `over` says so, so that a server that sends without end cannot fill memory.
 */
export async function readAtMost(response: Response, max: number): Promise<{ text: string; over: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return { text: '', over: false };
  // Leaving the loop early cancels the stream, which closes the connection.
  for await (const chunk of response.body) {
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    size += chunk.byteLength;
    if (size > max) return { text: Buffer.concat(chunks).subarray(0, max).toString('utf8'), over: true };
  }
  return { text: Buffer.concat(chunks).toString('utf8'), over: false };
}
