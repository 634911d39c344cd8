import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleet, series, spaced } from '../../test/support/builders/fleet.js';
import { DAY } from '../../test/support/builders/policy.js';
import { UsageError } from '../core/errors.js';
import { InventoryDocumentError } from '../core/inventory-document.js';
import { loadInventories, saveInventories } from './inventory-file.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');

describe('saved inventory files', () => {
  it('writes and reads back as streams: a file far larger than what the reader may hold at once', async () => {
    // Prepare
    const builder = fleet();
    for (let v = 0; v < 40; v++)
      builder
        .instance(`web-${v}`)
        .volume({ size: 50 })
        .snapshots(series('daily', spaced(100, DAY, { from: NOW })));
    const inventory = builder.build();
    const path = join(mkdtempSync(join(tmpdir(), 'ebs-snapper-inventory-')), 'inventory.json');
    const unread = [{ account: '222233334444', region: 'us-east-1', error: { code: 'X', message: 'y' } }];

    // Act
    await saveInventories(path, [inventory], NOW, unread);
    const saved = await loadInventories(path, { itemChars: 4096, valueChars: 4096 });

    // Assess
    expect(statSync(path).size).toBeGreaterThan(100 * 4096);
    expect(saved).toEqual({ savedAt: NOW, inventories: [inventory], unread });
  });

  it('names a file that cannot be read, and a file that is not a saved inventory', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-inventory-'));
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, '{"version":1,"actions":[]}');

    // Act
    const missing = loadInventories(join(dir, 'missing.json'));
    const notInventory = loadInventories(plan);

    // Assess
    await expect(missing).rejects.toThrow(UsageError);
    await expect(loadInventories(join(dir, 'missing.json'))).rejects.toThrow(
      /cannot read .*missing\.json: ENOENT/,
    );
    await expect(notInventory).rejects.toThrow(InventoryDocumentError);
    await expect(loadInventories(plan)).rejects.toThrow(/not a saved inventory/);
  });
});
