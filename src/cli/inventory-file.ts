/**
 * Saved inventories on disk (`--save-inventory FILE`, `forecast --inventory FILE`). The writer
 * streams the document chunk by chunk, waiting when the file cannot keep up, so a million
 * snapshots never become one giant string.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';
import {
  inventoryDocumentChunks,
  parseInventoryDocument,
  type SavedInventories,
} from '../core/inventory-document.js';
import type { Inventory } from '../core/model.js';

/** Write inventories to `path` as one saved inventory document. */
export async function saveInventories(
  path: string,
  inventories: readonly Inventory[],
  savedAt: number,
): Promise<void> {
  const stream = createWriteStream(path);
  const failed = once(stream, 'error').then(([error]) => {
    throw error;
  });
  const write = async () => {
    for (const chunk of inventoryDocumentChunks(inventories, savedAt)) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'finish');
  };
  await Promise.race([write(), failed]);
}

/** Read a saved inventory document; a missing file is a usage error naming it. */
export async function loadInventories(path: string): Promise<SavedInventories> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`--inventory: cannot read ${path}: ${code}`, { cause: error });
  }
  return parseInventoryDocument(text, path);
}
