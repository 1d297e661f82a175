import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';

/**
 * Well above the engine's distinct statement texts (a write's text depends on its shape: which
 * parts it has, which columns its inserts set; the engine, DAG, operator-action, deadline and
 * healing e2e suites together used 13), so that every text stays remembered; a text beyond it
 * costs a hash per call, never a wrong name.
 */
const MAX_TEXTS = 256;

/**
 * Names for prepared statements, by text. A connection keeps every statement it prepared until
 * it closes, so a name must stand for one text for good: it is a hash of the text, never a
 * counter or a slot. Remembering is only to spare the hash: a text that was forgotten gets the
 * same name back, and a new text can never take an old text's name on a connection that
 * prepared it (short of an 80-bit hash collision).
 */
export class StatementNames {
  private readonly names: LRUCache<string, string>;

  constructor(private readonly prefix: string, max = MAX_TEXTS) {
    this.names = new LRUCache({ max });
  }

  of(text: string): string {
    let name = this.names.get(text);
    if (!name) {
      name = `${this.prefix}${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      this.names.set(text, name);
    }
    return name;
  }
}
