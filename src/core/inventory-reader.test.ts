import { describe, expect, it } from 'vitest';
import { fleet, series, spaced } from '../../test/support/builders/fleet.js';
import { DAY } from '../../test/support/builders/policy.js';
import { INVENTORY_FORMAT, inventoryDocumentChunks } from './inventory-document.js';
import { InventoryReader, parseInventoryDocument } from './inventory-reader.js';
import type { Inventory } from './model.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');

/** A fleet of `volumes` volumes with `perVolume` daily snapshots each, tags and all. */
function bigFleet(volumes: number, perVolume: number): Inventory {
  const builder = fleet();
  for (let v = 0; v < volumes; v++) {
    builder
      .instance(`web-${v}`, { tags: { Role: 'web', Name: `web-${v}` } })
      .volume({ size: 100, tags: { Name: `disk-${v}`, 'Tab\tKey': 'quote " and \\ backslash' } })
      .snapshots(
        series('daily', spaced(perVolume, DAY, { from: NOW }), {
          fullSizeBytes: 5e9,
          tags: { Note: 'brackets ] } [ { in a value, "quoted"' },
        }),
      );
  }
  return builder.build();
}

/** Feed `text` to a reader in pieces of `size`, recording what it held after each piece. */
function readInPieces(text: string, size: number) {
  const reader = new InventoryReader('inv.json');
  let held = 0;
  for (let i = 0; i < text.length; i += size) {
    reader.push(text.slice(i, i + size));
    held = Math.max(held, reader.bufferedChars);
  }
  return { saved: reader.end(), held, peak: reader.peakBufferedChars };
}

describe('InventoryReader', () => {
  it('reads a document piece by piece, never holding more than the item it is in', () => {
    // Prepare
    const inventory = bigFleet(50, 40);
    const text = [...inventoryDocumentChunks([inventory], NOW)].join('');
    const longestLine = Math.max(...text.split('\n').map((line) => line.length));

    // Act
    const { saved, held, peak } = readInPieces(text, 1024);

    // Assess
    expect(saved.inventories).toEqual([inventory]);
    expect(saved.inventories[0]!.snapshots).toHaveLength(2000);
    expect(text.length).toBeGreaterThan(500_000);
    expect(held).toBeLessThanOrEqual(longestLine);
    expect(peak).toBeLessThanOrEqual(1024 + longestLine);
  });

  it('reads the same inventory whatever the layout: pretty-printed, keys in another order, split anywhere', () => {
    // Prepare
    const inventory = bigFleet(3, 4);
    const { snapshots, account, ...rest } = inventory;
    const reordered = { snapshots, ...rest, account };
    const pretty = JSON.stringify(
      {
        inventories: [reordered],
        saved_at: new Date(NOW).toISOString(),
        version: 1,
        format: INVENTORY_FORMAT,
      },
      null,
      2,
    );

    // Act
    const pieces = [1, 7, 4096].map((size) => readInPieces(pretty, size).saved);

    // Assess
    for (const saved of pieces) expect(saved).toEqual({ savedAt: NOW, inventories: [inventory], unread: [] });
  });

  it('refuses an item longer than its limit, naming where it is', () => {
    // Prepare
    const inventory = bigFleet(1, 1);
    const long = { ...inventory, volumes: [{ ...inventory.volumes[0]!, tags: { Name: 'x'.repeat(5000) } }] };
    const text = [...inventoryDocumentChunks([long], NOW)].join('');
    const reader = new InventoryReader('inv.json', { itemChars: 4096 });

    // Act
    const read = () => {
      for (let i = 0; i < text.length; i += 100) reader.push(text.slice(i, i + 100));
    };

    // Assess
    expect(read).toThrow(
      /inv\.json: inventories\[0\]\.volumes\[0\]: more than 4,096 characters in one value/,
    );
    expect(reader.bufferedChars).toBeLessThanOrEqual(4096 + 100);
  });

  it('says where a document stops being JSON or ends early', () => {
    // Prepare
    const text = [...inventoryDocumentChunks([bigFleet(1, 2)], NOW)].join('');

    // Act
    const read = (doc: string) => () => parseInventoryDocument(doc, 'inv.json');

    // Assess
    expect(read(text.slice(0, text.length / 2))).toThrow(/inv\.json: not JSON: the document ends before/);
    expect(read(text.replace('"snapshots":[', '"snapshots":[}'))).toThrow(/inv\.json: not JSON/);
    expect(read(text.replace('"completed"', '"completed" x'))).toThrow(/inv\.json: not JSON/);
    expect(read(`${text} {}`)).toThrow(/not JSON: more text after the document/);
    expect(read('')).toThrow(/inv\.json: not JSON: no document/);
    expect(read('[]')).toThrow(/not a saved inventory/);
  });

  it('keeps the targets that could not be read when it was saved', () => {
    // Prepare
    const unread = [
      { account: '222233334444', error: { code: 'AccessDenied', message: 'AssumeRole failed' } },
    ];
    const text = [...inventoryDocumentChunks([], NOW, unread)].join('');

    // Act
    const saved = parseInventoryDocument(text, 'inv.json');

    // Assess
    expect(saved.unread).toEqual(unread);
  });
});
