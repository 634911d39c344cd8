/**
 * What the streaming inventory reader keeps besides the text: the inventory being built, the
 * problems found so far (a bounded list: a file with a million bad items names the first few and
 * counts the rest), and one copy of each string a million snapshots repeat.
 */
import { InventoryDocumentError } from './inventory-format.js';
import type { ListName } from './inventory-validate.js';
import { count } from './plural.js';

/** One inventory as it is read: its path, its other fields, its lists. */
export interface InventoryBuild {
  readonly path: string;
  readonly fields: Record<string, unknown>;
  readonly lists: Partial<Record<ListName, unknown[]>>;
}

/** Problems named in the error; the rest are counted. */
const SHOWN = 10;

export class InventoryProblems {
  private readonly first: string[] = [];
  private total = 0;
  /** Entries of `inventories` that were not objects (their index still counts). */
  skippedInventories = 0;

  get count(): number {
    return this.total;
  }

  add(problem: string): void {
    this.total++;
    if (this.first.length < SHOWN) this.first.push(problem);
  }

  /** Run a check that appends to a list of problems. */
  check(run: (problems: string[]) => void): void {
    const found: string[] = [];
    run(found);
    for (const problem of found) this.add(problem);
  }

  skipInventory(problem: string): void {
    this.skippedInventories++;
    this.add(problem);
  }

  throwIfAny(source: string): void {
    if (this.total === 0) return;
    const more = this.total > this.first.length ? `\n  ... and ${this.total - this.first.length} more` : '';
    throw new InventoryDocumentError(
      `${source}: ${count(this.total, 'problem')} in the saved inventory${this.first.map((p) => `\n  ${p}`).join('')}${more}`,
    );
  }
}

/** Pooling a field stops once this many of its values came and fewer than a quarter of them repeated. */
const TRIAL = 10_000;

/** The pooled values of one field or tag key, and how well pooling it pays. */
class FieldPool {
  private readonly pooled = new Map<string, string>();
  private seen = 0;
  private hits = 0;
  private off = false;

  constructor(private readonly limit: number) {}

  intern(value: string): string {
    if (this.off) return value;
    const known = this.pooled.get(value);
    if (++this.seen === TRIAL && this.hits * 4 < TRIAL) {
      this.off = true;
      this.pooled.clear();
    }
    if (known !== undefined) {
      this.hits++;
      return known;
    }
    if (this.pooled.size < this.limit) this.pooled.set(value, value);
    return value;
  }
}

/**
 * One copy of each repeated value of a snapshot (owner, source volume, description, tag values):
 * `JSON.parse` makes a new string for every occurrence, and a million snapshots repeat a few
 * thousand values. Each field has its own pool, which gives up on a field whose values hardly
 * repeat (an expiry time per snapshot): looking those up would cost time and keep garbage. At
 * most `limit` strings per field.
 */
export class StringPool {
  private readonly fields = new Map<string, FieldPool>();

  constructor(private readonly limit = 100_000) {}

  private intern(field: string, value: string): string {
    let pool = this.fields.get(field);
    if (pool === undefined) {
      pool = new FieldPool(this.limit);
      this.fields.set(field, pool);
    }
    return pool.intern(value);
  }

  /** Pool a checked snapshot's repeated strings in place. */
  snapshot(item: unknown): void {
    const s = item as Record<string, unknown> & { tags: Record<string, string> };
    for (const field of ['ownerId', 'volumeId', 'description'])
      if (typeof s[field] === 'string') s[field] = this.intern(field, s[field]);
    for (const key of Object.keys(s.tags)) s.tags[key] = this.intern(key, s.tags[key]!);
  }
}
