/**
 * Saved inventories on disk (`--save-inventory FILE`, `forecast --inventory FILE`). Both ways
 * stream: the writer writes the document chunk by chunk, waiting when the file cannot keep up,
 * and the reader feeds the file piece by piece to `InventoryReader`, so a million snapshots
 * (~0.6 GB of text) never become one giant string.
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { UsageError } from '../core/errors.js';
import {
  InventoryReader,
  inventoryDocumentChunks,
  type ReaderLimits,
  type SavedInventories,
} from '../core/inventory-document.js';
import type { Inventory } from '../core/model.js';
import type { UnreadTarget } from '../core/report/types.js';

/** Write inventories to `path` as one saved inventory document. */
export async function saveInventories(
  path: string,
  inventories: readonly Inventory[],
  savedAt: number,
  unread: readonly UnreadTarget[] = [],
): Promise<void> {
  const stream = createWriteStream(path);
  const failed = once(stream, 'error').then(([error]) => {
    throw error;
  });
  const write = async () => {
    for (const chunk of inventoryDocumentChunks(inventories, savedAt, unread)) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'finish');
  };
  await Promise.race([write(), failed]);
}

/** Pieces of 1 MiB: big enough to read fast, small beside what the inventory itself takes. */
const READ_CHUNK_BYTES = 2 ** 20;

/**
 * Read a saved inventory document as a stream; a file that cannot be opened is a usage error
 * naming it, a document that is not a saved inventory an `InventoryDocumentError` naming its problems.
 */
export async function loadInventories(path: string, limits: ReaderLimits = {}): Promise<SavedInventories> {
  const reader = new InventoryReader(path, limits);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: READ_CHUNK_BYTES });
  try {
    for await (const chunk of stream) reader.push(chunk as string);
  } catch (error) {
    stream.destroy();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new UsageError(`--inventory: cannot read ${path}: ${code}`, { cause: error });
  }
  return reader.end();
}
