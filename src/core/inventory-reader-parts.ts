/**
 * What the streaming inventory reader keeps besides the text: the inventory being built, the
 * problems found so far (a bounded list: a file with a million bad items names the first few and
 * counts the rest), and one copy of each string a million snapshots repeat.
 */
import { InventoryDocumentError } from './inventory-format.js';
import type { ListName } from './inventory-validate.js';

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
      `${source}: ${this.total} problem(s) in the saved inventory${this.first.map((p) => `\n  ${p}`).join('')}${more}`,
    );
  }
}

/**
 * One copy of each repeated value of a snapshot (owner, state, source volume, tag values):
 * `JSON.parse` makes a new string for every occurrence. At most `limit` distinct strings, so a
 * value unique to each snapshot cannot grow the pool without bound.
 */
export class StringPool {
  private readonly pooled = new Map<string, string>();

  constructor(private readonly limit = 200_000) {}

  intern(value: string): string {
    const known = this.pooled.get(value);
    if (known !== undefined) return known;
    if (this.pooled.size < this.limit) this.pooled.set(value, value);
    return value;
  }

  /** Pool a checked snapshot's repeated strings in place. */
  snapshot(item: unknown): void {
    const s = item as Record<string, unknown> & { tags: Record<string, string> };
    for (const field of ['ownerId', 'state', 'volumeId', 'storageTier', 'description'])
      if (typeof s[field] === 'string') s[field] = this.intern(s[field]);
    for (const key of Object.keys(s.tags)) s.tags[key] = this.intern(s.tags[key]!);
  }
}
