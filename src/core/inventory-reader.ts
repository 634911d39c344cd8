/**
 * Reads a saved inventory document as a stream: text goes in piece by piece (`push`), and the
 * reader never holds more of it than the value it is in the middle of. A file of a million
 * snapshots (~0.6 GB) cannot be read with one `JSON.parse` (V8's strings end near 512 MiB), and
 * should not be: the inventory it holds is what the planner needs, the text is not.
 *
 * The document's shape is known (see `inventory-document.ts`), so the reader walks its frame —
 * the root object, `inventories`, each inventory's fields and lists — character by character,
 * and hands every item of a list, and every other field, whole to `JSON.parse`. Whitespace and
 * key order are free, as in any JSON; every item is checked as it arrives and every problem
 * names its path (`inventories[0].snapshots[123456].startTime: "…" is not a valid time`).
 */

import {
  INVENTORY_FORMAT,
  INVENTORY_FORMAT_VERSION,
  InventoryDocumentError,
  type SavedInventories,
} from './inventory-format.js';
import { ValueCapture } from './inventory-reader-capture.js';
import { type InventoryBuild, InventoryProblems, StringPool } from './inventory-reader-parts.js';
import {
  checkInventoryFields,
  checkItem,
  checkUnread,
  LIST_NAMES,
  type ListName,
} from './inventory-validate.js';
import { isJsonSpace, JsonValueScanner } from './json-value-scanner.js';
import type { Inventory } from './model.js';
import type { UnreadTarget } from './report/types.js';

/** How much of one value the reader may hold. */
export interface ReaderLimits {
  /** One item of a list (a snapshot, a volume, ...); default 1 MiB of text. */
  readonly itemChars?: number;
  /** Any other value (`copyDestinations` lists every copied id); default 256 MiB. */
  readonly valueChars?: number;
}

type ObjectState = 'open' | 'key' | 'colon' | 'value' | 'next';
type ArrayState = 'open' | 'value' | 'next';
type InventoryFrame = { kind: 'inventory'; state: ObjectState; key: string; build: InventoryBuild };
type ObjectFrame = { kind: 'root'; state: ObjectState; key: string } | InventoryFrame;
type ListFrame = { kind: 'list'; state: ArrayState; list: ListName; build: InventoryBuild };
type ArrayFrame = { kind: 'inventories'; state: ArrayState } | ListFrame;
type Frame = ObjectFrame | ArrayFrame;

/**
 * @example
 * const reader = new InventoryReader('inventory.json');
 * for await (const chunk of stream) reader.push(chunk);
 * const { inventories } = reader.end();
 */
export class InventoryReader {
  private readonly stack: Frame[] = [];
  private readonly head: Record<string, unknown> = {};
  private readonly inventories: Inventory[] = [];
  private readonly problems = new InventoryProblems();
  private readonly pool = new StringPool();
  /** One scanner for the items found whole in a piece, and one list for their problems. */
  private readonly scanner = new JsonValueScanner();
  private readonly found: string[] = [];
  private readonly itemChars: number;
  private readonly valueChars: number;
  private readonly values: ValueCapture;
  private started = false;
  private finished = false;
  private consumed = 0;
  private peak = 0;

  constructor(
    private readonly source: string,
    limits: ReaderLimits = {},
  ) {
    this.itemChars = limits.itemChars ?? 2 ** 20;
    this.valueChars = limits.valueChars ?? 2 ** 28;
    this.values = new ValueCapture(source);
  }

  /** Characters of the document held now (the part of a value not yet complete). */
  get bufferedChars(): number {
    return this.values.chars;
  }

  /** The most the reader ever held at once: a piece given to `push`, plus the value it was in. */
  get peakBufferedChars(): number {
    return this.peak;
  }

  /** Read the next piece of the document. Throws `InventoryDocumentError` when it cannot be one. */
  push(text: string): void {
    this.peak = Math.max(this.peak, text.length + this.bufferedChars);
    let pos = 0;
    while (pos < text.length) {
      if (this.values.active) {
        pos = this.values.continue(text, pos);
        continue;
      }
      const c = text.charCodeAt(pos);
      if (isJsonSpace(c)) pos++;
      else pos = this.step(text, pos, c);
    }
    this.consumed += text.length;
  }

  /** The document is complete: its inventories, or an error naming every problem found. */
  end(): SavedInventories {
    if (this.stack.length === 0) this.values.endBare();
    if (!this.finished) throw this.notJson('the document ends before it is complete');
    this.checkHead(true);
    const unread = this.readUnread();
    this.problems.throwIfAny(this.source);
    const savedAt = this.head.saved_at === undefined ? undefined : Date.parse(String(this.head.saved_at));
    return { ...(savedAt === undefined ? {} : { savedAt }), inventories: this.inventories, unread };
  }

  /** One structural character at `pos`; returns where to go on. */
  private step(text: string, pos: number, c: number): number {
    const frame = this.stack.at(-1);
    if (frame === undefined) return this.stepOutside(pos, c);
    const char = text[pos]!;
    if (frame.kind === 'root' || frame.kind === 'inventory') return this.stepObject(frame, pos, char);
    return this.stepArray(frame, text, pos, char);
  }

  private stepOutside(pos: number, c: number): number {
    if (this.finished)
      throw this.notJson(`more text after the document, at character ${this.consumed + pos}`);
    if (c !== 123) throw this.notInventory();
    this.started = true;
    this.stack.push({ kind: 'root', state: 'open', key: '' });
    return pos + 1;
  }

  private stepObject(frame: ObjectFrame, pos: number, char: string): number {
    switch (frame.state) {
      case 'open':
      case 'key':
        if (char === '}' && frame.state === 'open') return this.close(pos);
        if (char !== '"') throw this.unexpected(char, pos);
        this.values.value(
          () => 'a key',
          this.itemChars,
          (key) => {
            frame.key = key as string;
            frame.state = 'colon';
          },
        );
        return pos;
      case 'colon':
        if (char !== ':') throw this.unexpected(char, pos);
        frame.state = 'value';
        return pos + 1;
      case 'value':
        frame.state = 'next';
        return frame.kind === 'root'
          ? this.rootValue(frame.key, pos, char)
          : this.fieldValue(frame, pos, char);
      default:
        if (char === ',') frame.state = 'key';
        else if (char === '}') return this.close(pos);
        else throw this.unexpected(char, pos);
        return pos + 1;
    }
  }

  private stepArray(frame: ArrayFrame, text: string, pos: number, char: string): number {
    if (frame.state === 'next' || (frame.state === 'open' && char === ']')) {
      if (char === ']') return this.close(pos);
      if (char !== ',') throw this.unexpected(char, pos);
      frame.state = 'value';
      return pos + 1;
    }
    frame.state = 'next';
    if (frame.kind === 'inventories') return this.inventoryValue(pos, char);
    return this.listItem(frame, text, pos);
  }

  private rootValue(key: string, pos: number, char: string): number {
    if (key === 'inventories' && char === '[') {
      this.checkHead(false);
      this.stack.push({ kind: 'inventories', state: 'open' });
      return pos + 1;
    }
    if (key === 'inventories') this.problems.add('inventories: not a list');
    const known = ['format', 'version', 'saved_at', 'unread'].includes(key);
    if (!known) this.values.skip(() => key);
    else
      this.values.value(
        () => key,
        this.valueChars,
        (value) => {
          this.head[key] = value;
        },
      );
    return pos;
  }

  private inventoryValue(pos: number, char: string): number {
    const path = `inventories[${this.inventories.length + this.problems.skippedInventories}]`;
    if (char !== '{') {
      this.values.value(
        () => path,
        this.valueChars,
        () => this.problems.skipInventory(`${path}: not an object`),
      );
      return pos;
    }
    const build: InventoryBuild = { path, fields: {}, lists: {} };
    this.stack.push({ kind: 'inventory', state: 'open', key: '', build });
    return pos + 1;
  }

  private fieldValue(frame: InventoryFrame, pos: number, char: string): number {
    const { key, build } = frame;
    const list = (LIST_NAMES as readonly string[]).includes(key) ? (key as ListName) : undefined;
    if (list !== undefined && char === '[') {
      build.lists[list] = [];
      this.stack.push({ kind: 'list', state: 'open', list, build });
      return pos + 1;
    }
    this.values.value(
      () => `${build.path}.${key}`,
      this.valueChars,
      (value) => {
        if (list !== undefined) this.problems.add(`${build.path}.${key}: not a list`);
        else build.fields[key] = value;
      },
    );
    return pos;
  }

  /**
   * One item of a list. The usual case — the whole item in this piece of text — is scanned and
   * taken at once; an item split across pieces is captured piece by piece.
   */
  private listItem(frame: ListFrame, text: string, pos: number): number {
    const end = this.scanner.reset().scan(text, pos);
    if (end >= 0 && !this.scanner.isBare) {
      this.takeItem(frame, text.slice(pos, end));
      return end;
    }
    const items = frame.build.lists[frame.list]!;
    this.values.text(
      () => `${frame.build.path}.${frame.list}[${items.length}]`,
      this.itemChars,
      (item) => this.takeItem(frame, item),
    );
    return pos;
  }

  private takeItem(frame: ListFrame, text: string): void {
    const items = frame.build.lists[frame.list]!;
    const path = () => `${frame.build.path}.${frame.list}[${items.length}]`;
    const item = this.values.parse(text, path);
    const found = this.found;
    checkItem(frame.list, item, path, found);
    if (found.length > 0) {
      for (const problem of found) this.problems.add(problem);
      found.length = 0;
    } else if (frame.list === 'snapshots') this.pool.snapshot(item);
    items.push(item);
  }

  private close(pos: number): number {
    const frame = this.stack.pop()!;
    if (frame.kind === 'root') this.finished = true;
    if (frame.kind === 'inventory') this.closeInventory(frame.build);
    return pos + 1;
  }

  private closeInventory(build: InventoryBuild): void {
    const { path, fields, lists } = build;
    this.problems.check((problems) => checkInventoryFields(fields, path, problems));
    for (const list of LIST_NAMES)
      if (lists[list] === undefined && list !== 'gaps') this.problems.add(`${path}.${list}: missing`);
    this.inventories.push({ ...fields, ...lists } as unknown as Inventory);
  }

  /** Format and version: checked when the inventories start (if seen by then) and at the end. */
  private checkHead(atEnd: boolean): void {
    const { format, version } = this.head;
    if ((format !== undefined || atEnd) && format !== INVENTORY_FORMAT) throw this.notInventory();
    if ((version !== undefined || atEnd) && version !== INVENTORY_FORMAT_VERSION)
      throw new InventoryDocumentError(
        `${this.source}: inventory format version ${JSON.stringify(version)} is not supported (this ebs-snapper reads version ${INVENTORY_FORMAT_VERSION})`,
      );
    const savedAt = this.head.saved_at;
    if (atEnd && savedAt !== undefined) {
      const time = typeof savedAt === 'string' ? Date.parse(savedAt) : Number.NaN;
      if (Number.isNaN(time)) this.problems.add(`saved_at: ${JSON.stringify(savedAt)} is not a valid time`);
    }
  }

  private readUnread(): UnreadTarget[] {
    const unread = this.head.unread;
    if (unread === undefined) return [];
    if (!Array.isArray(unread)) {
      this.problems.add('unread: not a list');
      return [];
    }
    unread.forEach((u, i) => {
      this.problems.check((problems) => checkUnread(u, `unread[${i}]`, problems));
    });
    return unread as UnreadTarget[];
  }

  private notInventory(): InventoryDocumentError {
    return new InventoryDocumentError(
      `${this.source}: not a saved inventory (expected "format": "${INVENTORY_FORMAT}"; write one with plan --save-inventory)`,
    );
  }

  private notJson(why: string): InventoryDocumentError {
    return new InventoryDocumentError(`${this.source}: not JSON: ${this.started ? why : 'no document'}`);
  }

  private unexpected(char: string, pos: number): InventoryDocumentError {
    return this.notJson(`unexpected ${JSON.stringify(char)} at character ${this.consumed + pos}`);
  }
}

/**
 * Read a whole saved inventory document held as one string (small documents, tests).
 *
 * @example const { inventories } = parseInventoryDocument(text, 'inventory.json');
 */
export function parseInventoryDocument(text: string, source: string): SavedInventories {
  const reader = new InventoryReader(source);
  reader.push(text);
  return reader.end();
}
