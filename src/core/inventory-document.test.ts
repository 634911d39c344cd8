import { describe, expect, it } from 'vitest';
import { fleet, manual, series } from '../../test/support/builders/fleet.js';
import { DAY } from '../../test/support/builders/policy.js';
import {
  INVENTORY_FORMAT,
  InventoryDocumentError,
  inventoryDocumentChunks,
  parseInventoryDocument,
} from './inventory-document.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');

const sample = () =>
  fleet()
    .instance('web-1', { tags: { Role: 'web', Name: '</script><script>alert(1)</script>' }, asg: 'web-asg' })
    .volume({ size: 100 })
    .snapshots(series('daily', [NOW - DAY], { fullSizeBytes: 5e9, storageTier: 'archive' }))
    .snapshots(manual([NOW], { state: 'pending', locked: true }))
    .detachedVolume()
    .image('ami-1', ['snap-0002'])
    .build();

describe('saved inventory documents', () => {
  it('round-trips every target, its gaps and its counted unmanaged snapshots', () => {
    // Prepare
    const one = {
      ...sample(),
      gaps: [{ resource: 'images', error: 'DescribeImages: UnauthorizedOperation' }],
    };
    const two = {
      ...fleet({ region: 'us-east-1' }).build(),
      unmanaged: { count: 3, fullSizeBytes: 9e9, unsized: 0, standardBytes: 9e9, archiveBytes: 0 },
    };

    // Act
    const text = [...inventoryDocumentChunks([one, two], NOW)].join('');
    const parsed = parseInventoryDocument(text, 'inv.json');

    // Assess
    expect(parsed).toEqual({ savedAt: NOW, inventories: [one, two] });
    expect(JSON.parse(text)).toMatchObject({
      format: INVENTORY_FORMAT,
      version: 1,
      saved_at: '2026-11-25T12:00:00.000Z',
    });
    expect(text.split('\n').length).toBeGreaterThan(8);
  });

  it('writes an empty list of inventories as a valid document', () => {
    // Act
    const text = [...inventoryDocumentChunks([], NOW)].join('');

    // Assess
    expect(parseInventoryDocument(text, 'empty.json')).toEqual({ savedAt: NOW, inventories: [] });
  });

  it('refuses what is not JSON, another format or version, naming the file', () => {
    // Act
    const read = (text: string) => () => parseInventoryDocument(text, 'x.json');

    // Assess
    expect(read('{"format":')).toThrow(/x\.json: not JSON/);
    expect(read('{"version":1,"actions":[]}')).toThrow(/not a saved inventory .*plan --save-inventory/);
    expect(read(`{"format":"${INVENTORY_FORMAT}","version":2,"inventories":[]}`)).toThrow(
      /version 2 is not supported/,
    );
    expect(read('[]')).toThrow(InventoryDocumentError);
  });

  it('names the path of every bad item', () => {
    // Prepare
    const good = sample();
    const bad = {
      ...good,
      snapshots: [
        { ...good.snapshots[0], startTime: 'yesterday' },
        { ...good.snapshots[1], state: 'done' },
      ],
      volumes: [{ ...good.volumes[0], attachments: 'none' }],
    };
    const text = JSON.stringify({ format: INVENTORY_FORMAT, version: 1, inventories: [bad] });

    // Act
    const read = () => parseInventoryDocument(text, 'bad.json');

    // Assess
    expect(read).toThrow(/bad\.json: 3 problem\(s\)/);
    expect(read).toThrow(/inventories\[0\]\.volumes\[0\]\.attachments: not a list/);
    expect(read).toThrow(/inventories\[0\]\.snapshots\[0\]\.startTime: not a number/);
    expect(read).toThrow(/inventories\[0\]\.snapshots\[1\]\.state: not one of pending, completed/);
  });
});
