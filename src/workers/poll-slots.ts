/**
 * The long polls a service holds open on this instance, at most `max` at a time. Each waits up to
 * 30 s on a socket: one service key held 19,800 of them at once (15,738 file descriptors of the
 * process's 20,000, 414 MB), which brought Baton to the edge for every service (a security review).
 */
export class PollSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** A release to call once the poll ends, or undefined when the service holds `max` polls already. */
  enter(service: string): (() => void) | undefined {
    const held = this.open.get(service) ?? 0;
    if (held >= this.max) return undefined;
    this.open.set(service, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(service) ?? 1) - 1;
      if (left > 0) this.open.set(service, left);
      else this.open.delete(service);
    };
  }
}
