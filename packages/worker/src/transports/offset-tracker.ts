/**
 * Which offset of a batch may be committed. Messages with different keys finish out of order,
 * but Kafka commits one position per partition: only the end of the longest run of finished
 * messages from the start of the batch is safe, or a crash would skip an unfinished one.
 */
export class OffsetTracker {
  private readonly indexOf = new Map<string, number>();
  private readonly done: boolean[];
  private next = 0;

  constructor(private readonly offsets: readonly string[]) {
    offsets.forEach((offset, i) => this.indexOf.set(offset, i));
    this.done = new Array<boolean>(offsets.length).fill(false);
  }

  /** Marks `offset` finished; returns the highest offset now safe to commit, if it moved. */
  complete(offset: string): string | undefined {
    const index = this.indexOf.get(offset);
    if (index === undefined) throw new Error(`Offset ${offset} is not part of this batch`);
    this.done[index] = true;
    const before = this.next;
    while (this.next < this.done.length && this.done[this.next]) this.next++;
    return this.next > before ? this.offsets[this.next - 1] : undefined;
  }
}
