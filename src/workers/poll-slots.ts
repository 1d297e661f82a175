/**
 * The long polls a service holds open on this instance, at most `max` at a time. Each holds a
 * socket for up to 30 s: unbounded, one service key could hold tens of thousands, spend the
 * process's file descriptors and memory, and take Baton down for every service.
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
