import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const manifest = (path: string) => JSON.parse(readFileSync(resolve(__dirname, path), 'utf8')) as {
  version?: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string>;
};
const versionOf = (text: string) => text.replace(/^[\^~]/, '').split('.').map(Number);
const atLeast = (version: number[], floor: number[]) => {
  const first = version.findIndex((part, i) => part !== floor[i]);
  return first === -1 || version[first] > floor[first];
};

/**
 * The lowest amqplib a worker may install must have what the RabbitMQ transport relies on:
 * `waitForConnect` (2.1.0) and `initialMaxRetries` (2.2.0), without which start() waits for ever
 * on a broker unreachable at start; and 2.3.0 is the first without GHSA-37f9-7m79-6866.
 */
describe("the SDK's peer dependencies", () => {
  const peers = manifest('../package.json').peerDependencies ?? {};

  it('admit no amqplib older than 2.3.0', () => {
    expect(peers.amqplib).toMatch(/^\^2\.\d+\.\d+$/);
    expect(atLeast(versionOf(peers.amqplib), [2, 3, 0])).toBe(true);
  });

  it("admit the amqplib Baton's own tests run on", () => {
    const installed = versionOf(manifest('../../../node_modules/amqplib/package.json').version ?? '');
    expect(installed[0]).toBe(versionOf(peers.amqplib)[0]);
    expect(atLeast(installed, versionOf(peers.amqplib))).toBe(true);
  });
});
