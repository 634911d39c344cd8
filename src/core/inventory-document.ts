/**
 * A saved inventory (`plan --save-inventory FILE`, read by `forecast --inventory FILE`): one JSON
 * document, versioned, holding every collected account × region.
 *
 * ```json
 * {"format": "ebs-snapper-inventory", "version": 1, "saved_at": "2026-11-25T17:00:00.000Z",
 *  "inventories": [
 *   {"account": "123456789012", "region": "us-east-1",
 *    "instances": [
 *     {"id": "i-0abc", "state": "running", "tags": {...}},
 *     ...],
 *    "volumes": [...], "snapshots": [...], "images": [...]}]}
 * ```
 *
 * Items are the model's own objects (camelCase, times in epoch ms), one per line: the writer
 * streams a million snapshots without building one huge string, and a reader may go line by line.
 */
import { EbsSnapperError } from './errors.js';
import { validateInventory } from './inventory-validate.js';
import type { Inventory } from './model.js';

export const INVENTORY_FORMAT = 'ebs-snapper-inventory';
export const INVENTORY_FORMAT_VERSION = 1;

/** Lists written one item per line. */
const LISTS = ['instances', 'volumes', 'snapshots', 'images', 'gaps'] as const;

/** A saved inventory that cannot be read: not JSON, another format or version, or a bad item. */
export class InventoryDocumentError extends EbsSnapperError {}

/**
 * The document as chunks of text, in order; their concatenation is the JSON document.
 *
 * @example for (const chunk of inventoryDocumentChunks([inventory], Date.now())) stream.write(chunk);
 */
export function* inventoryDocumentChunks(
  inventories: readonly Inventory[],
  savedAt: number,
): Generator<string> {
  const head = {
    format: INVENTORY_FORMAT,
    version: INVENTORY_FORMAT_VERSION,
    saved_at: new Date(savedAt).toISOString(),
  };
  yield `${JSON.stringify(head).slice(0, -1)},"inventories":[`;
  for (let n = 0; n < inventories.length; n++) {
    const inventory = inventories[n]!;
    const scalars: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(inventory))
      if (!(LISTS as readonly string[]).includes(key)) scalars[key] = value;
    yield `${n === 0 ? '' : ','}\n${JSON.stringify(scalars).slice(0, -1)}`;
    for (const list of LISTS) {
      const items: readonly unknown[] | undefined = inventory[list];
      if (items === undefined) continue;
      yield `,"${list}":[`;
      for (let i = 0; i < items.length; i++) yield `${i === 0 ? '' : ','}\n${JSON.stringify(items[i])}`;
      yield '\n]';
    }
    yield '}';
  }
  yield '\n]}\n';
}

/** What a saved document holds. */
export interface SavedInventories {
  /** Epoch ms the inventory was saved (collected), when the document says. */
  readonly savedAt?: number;
  readonly inventories: readonly Inventory[];
}

/**
 * Read a saved inventory document; every problem names its path.
 *
 * @example const { inventories } = parseInventoryDocument(readFileSync('inventory.json', 'utf8'), 'inventory.json');
 */
export function parseInventoryDocument(text: string, source: string): SavedInventories {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InventoryDocumentError(`${source}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const head = document as { format?: unknown; version?: unknown; saved_at?: unknown; inventories?: unknown };
  if (typeof document !== 'object' || document === null || head.format !== INVENTORY_FORMAT) {
    throw new InventoryDocumentError(
      `${source}: not a saved inventory (expected "format": "${INVENTORY_FORMAT}"; write one with plan --save-inventory)`,
    );
  }
  if (head.version !== INVENTORY_FORMAT_VERSION) {
    throw new InventoryDocumentError(
      `${source}: inventory format version ${JSON.stringify(head.version)} is not supported (this ebs-snapper reads version ${INVENTORY_FORMAT_VERSION})`,
    );
  }
  if (!Array.isArray(head.inventories))
    throw new InventoryDocumentError(`${source}: inventories: not a list`);
  const problems: string[] = [];
  const inventories = head.inventories.map((item, n) =>
    validateInventory(item, `inventories[${n}]`, problems),
  );
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).map((p) => `\n  ${p}`);
    const more = problems.length > 10 ? `\n  ... and ${problems.length - 10} more` : '';
    throw new InventoryDocumentError(
      `${source}: ${problems.length} problem(s) in the saved inventory${shown.join('')}${more}`,
    );
  }
  const savedAt = typeof head.saved_at === 'string' ? Date.parse(head.saved_at) : Number.NaN;
  return { ...(Number.isNaN(savedAt) ? {} : { savedAt }), inventories };
}
