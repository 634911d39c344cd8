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
    expect(parsed).toEqual({ savedAt: NOW, inventories: [one, two], unread: [] });
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
    expect(parseInventoryDocument(text, 'empty.json')).toEqual({ savedAt: NOW, inventories: [], unread: [] });
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
    expect(read).toThrow(/bad\.json: 3 problems in/);
    expect(read).toThrow(/inventories\[0\]\.volumes\[0\]\.attachments: not a list/);
    expect(read).toThrow(/inventories\[0\]\.snapshots\[0\]\.startTime: "yesterday" is not a valid time/);
    expect(read).toThrow(/inventories\[0\]\.snapshots\[1\]\.state: not one of pending, completed/);
  });
});

describe('values a saved inventory may not hold', () => {
  const document = (change: (inventory: ReturnType<typeof sample>) => object) =>
    JSON.stringify({ format: INVENTORY_FORMAT, version: 1, inventories: [change(sample())] });
  const snapshotWith = (fields: object) =>
    document((good) => ({ ...good, snapshots: [{ ...good.snapshots[0], ...fields }] }));
  const volumeWith = (fields: object) =>
    document((good) => ({ ...good, volumes: [{ ...good.volumes[0], ...fields }] }));

  it('names times JavaScript cannot represent, or that are not times at all', () => {
    // Prepare
    const cases = [8.64e15 + 1, -8.64e15 - 1, 1e300, 1.5, 'yesterday', null];

    // Act
    const read = cases.map(
      (startTime) => () => parseInventoryDocument(snapshotWith({ startTime }), 'inv.json'),
    );

    // Assess
    expect(read[0]).toThrow(
      /inv\.json: 1 problem in[\s\S]*snapshots\[0\]\.startTime: 8640000000000001 is not a valid time/,
    );
    expect(read[1]).toThrow(/snapshots\[0\]\.startTime: -8640000000000001 is not a valid time/);
    expect(read[2]).toThrow(/snapshots\[0\]\.startTime: 1e\+300 is not a valid time/);
    expect(read[3]).toThrow(/startTime: 1\.5 is not a valid time/);
    expect(read[4]).toThrow(/startTime: "yesterday" is not a valid time/);
    expect(read[5]).toThrow(/startTime: null is not a valid time/);
    expect(() => parseInventoryDocument(snapshotWith({ archivedAt: 9e15 }), 'inv.json')).toThrow(
      /archivedAt: 9000000000000000 is not a valid time/,
    );
  });

  it('names sizes that are negative, fractional or beyond what EBS can hold', () => {
    // Act
    const read = (text: string) => () => parseInventoryDocument(text, 'inv.json');

    // Assess
    expect(read(snapshotWith({ fullSizeBytes: -1 }))).toThrow(/fullSizeBytes: -1 is not a snapshot size/);
    expect(read(snapshotWith({ fullSizeBytes: 2 ** 46 + 1 }))).toThrow(
      /fullSizeBytes: 70368744177665 is not/,
    );
    expect(read(snapshotWith({ fullSizeBytes: 1.5 }))).toThrow(/fullSizeBytes: 1\.5 is not a snapshot size/);
    expect(read(snapshotWith({ sizeGiB: 1e9 }))).toThrow(
      /snapshots\[0\]\.sizeGiB: 1000000000 is not a volume size/,
    );
    expect(read(volumeWith({ sizeGiB: -8 }))).toThrow(/volumes\[0\]\.sizeGiB: -8 is not a volume size/);
    expect(read(volumeWith({ sizeGiB: 65_537 }))).toThrow(
      /volumes\[0\]\.sizeGiB: 65537 is not a volume size/,
    );
    expect(read(volumeWith({ sizeGiB: '8' }))).toThrow(/volumes\[0\]\.sizeGiB: "8" is not a volume size/);
    expect(parseInventoryDocument(volumeWith({ sizeGiB: 65_536 }), 'inv.json').inventories).toHaveLength(1);
  });

  it('names a bad count of unmanaged snapshots and a bad copy destination', () => {
    // Prepare
    const text = document((good) => ({
      ...good,
      unmanaged: { count: -1, fullSizeBytes: 0, unsized: 0, standardBytes: Number.NaN, archiveBytes: 0 },
      copyDestinations: [{ region: 'us-west-2', copied: 'all', inFlight: 1 }],
    }));

    // Act
    const read = () => parseInventoryDocument(text, 'inv.json');

    // Assess
    expect(read).toThrow(/inventories\[0\]\.unmanaged\.count: -1 is not a count/);
    expect(read).toThrow(/inventories\[0\]\.unmanaged\.standardBytes: null is not a count/);
    expect(read).toThrow(/inventories\[0\]\.copyDestinations\[0\]\.copied: not a list of strings/);
  });
});
