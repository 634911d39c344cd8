import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recentCreate, recentId } from '../../test/support/builders/recent-creates.js';
import { fileMemory, recentCreatesPath } from './recent-creates-file.js';

const KEY = '123456789012-eu-west-1';
const NOW = Date.parse('2026-11-25T17:03:12Z');
let lockDir: string;

beforeEach(async () => {
  lockDir = await mkdtemp(join(tmpdir(), 'ebs-snapper-recent-test-'));
});

afterEach(async () => {
  await rm(lockDir, { recursive: true, force: true });
});

const entry = (n: number) => recentCreate({ snapshotId: recentId(n), startedAt: NOW + n });

describe('fileMemory', () => {
  it('keeps the journal beside the lock file, and a later run reads what an earlier one appended', async () => {
    // Prepare
    const first = await fileMemory({ lockDir }).open(KEY);
    await first.append([entry(1), entry(2)]);
    await first.append([entry(3)]);

    // Act
    const second = await fileMemory({ lockDir }).open(KEY);

    // Assess
    expect(first.entries).toEqual([]);
    expect(second.entries).toEqual([entry(1), entry(2), entry(3)]);
    expect(recentCreatesPath(KEY, lockDir)).toBe(join(lockDir, `${KEY}.recent.jsonl`));
  });

  it('forgets entries by rewriting the file whole, and removes it when nothing is left', async () => {
    // Prepare
    const journal = await fileMemory({ lockDir }).open(KEY);
    await journal.append([entry(1), entry(2), entry(3)]);

    // Act
    await journal.forget(new Set([recentId(2)]));
    const afterOne = (await fileMemory({ lockDir }).open(KEY)).entries;
    await journal.forget(new Set([recentId(1), recentId(3)]));

    // Assess
    expect(afterOne).toEqual([entry(1), entry(3)]);
    expect(await readdir(lockDir)).toEqual([]);
  });

  it('skips a line torn by a run killed mid-write, and starts the next entry on a line of its own', async () => {
    // Prepare
    const path = recentCreatesPath(KEY, lockDir);
    const first = await fileMemory({ lockDir }).open(KEY);
    await first.append([entry(1)]);
    await appendFile(path, '{"snapshot_id":"snap-torn","regi');

    // Act
    const second = await fileMemory({ lockDir }).open(KEY);
    await second.append([entry(2)]);
    const third = await fileMemory({ lockDir }).open(KEY);

    // Assess
    expect(second.entries).toEqual([entry(1)]);
    expect(third.entries).toEqual([entry(1), entry(2)]);
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(4);
  });

  it('reads no entries where there is no journal yet', async () => {
    // Act
    const journal = await fileMemory({ lockDir: join(lockDir, 'not-made-yet') }).open(KEY);

    // Assess
    expect(journal.entries).toEqual([]);
  });
});
