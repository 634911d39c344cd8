/**
 * What a saved inventory document is called and what reading one gives: shared by the writer
 * (`inventory-document.ts`) and the streaming reader (`inventory-reader.ts`).
 */
import { EbsSnapperError } from './errors.js';
import type { Inventory } from './model.js';
import type { UnreadTarget } from './report/types.js';

export const INVENTORY_FORMAT = 'ebs-snapper-inventory';
export const INVENTORY_FORMAT_VERSION = 1;

/** A saved inventory that cannot be read: not JSON, another format or version, or a bad item. */
export class InventoryDocumentError extends EbsSnapperError {}

/** What a saved document holds. */
export interface SavedInventories {
  /** Epoch ms the inventory was saved (collected), when the document says. */
  readonly savedAt?: number;
  readonly inventories: readonly Inventory[];
  /** Targets that could not be read when it was saved (absent from older files: none). */
  readonly unread: readonly UnreadTarget[];
}
