/**
 * Where the healer's next page of templates to check starts. A check that changes nothing leaves
 * the template's row as it was, so no column would move the checked behind the unchecked, and a
 * batch taken by such a column is the same batch every tick: pages go by name instead, and start
 * over after the last one, so every template is checked in turn however many there are.
 */
export class NameCursor {
  private after = '';

  /** Reads the page after the cursor and moves past it; a page shorter than `limit` was the last. */
  async next<T extends { orchName: string }>(read: (after: string, limit: number) => Promise<T[]>, limit: number): Promise<T[]> {
    const page = await read(this.after, limit);
    this.after = page.length < limit ? '' : page[page.length - 1].orchName;
    return page;
  }
}
