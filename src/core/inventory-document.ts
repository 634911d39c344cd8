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
 * streams a million snapshots without building one huge string, and `InventoryReader` reads it
 * back as a stream (any JSON layout of the same document reads the same).
 */
import { INVENTORY_FORMAT, INVENTORY_FORMAT_VERSION } from './inventory-format.js';
import type { Inventory } from './model.js';
import type { UnreadTarget } from './report/types.js';

export {
  INVENTORY_FORMAT,
  INVENTORY_FORMAT_VERSION,
  InventoryDocumentError,
  type SavedInventories,
} from './inventory-format.js';
export { InventoryReader, parseInventoryDocument, type ReaderLimits } from './inventory-reader.js';

/** Lists written one item per line. */
const LISTS = ['instances', 'volumes', 'snapshots', 'images', 'gaps'] as const;

/**
 * The document as chunks of text, in order; their concatenation is the JSON document.
 *
 * @example for (const chunk of inventoryDocumentChunks([inventory], Date.now())) stream.write(chunk);
 */
export function* inventoryDocumentChunks(
  inventories: readonly Inventory[],
  savedAt: number,
  unread: readonly UnreadTarget[] = [],
): Generator<string> {
  const head = {
    format: INVENTORY_FORMAT,
    version: INVENTORY_FORMAT_VERSION,
    saved_at: new Date(savedAt).toISOString(),
    // The targets that could not be read when it was saved: a report made from the file shows
    // them as UNKNOWN, as the live report did.
    unread,
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
