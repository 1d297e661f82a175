import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** How long a test waits for a close through a black hole before it calls it hung (unbounded, it takes minutes). */
export const HUNG_MS = 20_000;

/** Rejects after HUNG_MS: raced against a close, it tells a hung one from a slow one. */
export const hung = (): Promise<never> =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still closing after ${HUNG_MS} ms: hung`)), HUNG_MS).unref());

/**
 * A TCP proxy on loopback that can black-hole its connections: `blackhole()` stops forwarding
 * both ways without closing anything (a partition, a dead NAT entry, a frozen host: no reset,
 * no answer), and connections accepted meanwhile are black-holed too. `forward()` lets only
 * connections opened after it through, as a path that came back with its old flows forgotten.
 */
export class BlackholeProxy {
  port = 0;
  private readonly server: Server = createServer((socket) => this.pair(socket));
  private readonly live = new Set<{ dead: boolean }>();
  private readonly sockets = new Set<Socket>();
  private holing = false;

  constructor(private readonly host: string, private readonly targetPort: number) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Client connections still open through the proxy (each counts once, not with its upstream). */
  get connections(): number {
    return this.live.size;
  }

  blackhole(): void {
    this.holing = true;
    for (const flow of this.live) flow.dead = true;
  }

  forward(): void {
    this.holing = false;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pair(client: Socket): void {
    const flow = { dead: this.holing };
    this.live.add(flow);
    const upstream = connect(this.targetPort, this.host);
    for (const [from, to] of [[client, upstream], [upstream, client]]) {
      this.sockets.add(from);
      from.on('data', (chunk: Buffer) => { if (!flow.dead) to.write(chunk); });
      // A side closed by the client (a connection dropped) ends the other, as a kernel would once the path is back.
      from.on('close', () => { this.sockets.delete(from); this.live.delete(flow); to.destroy(); });
      from.on('error', () => undefined);
    }
  }
}
