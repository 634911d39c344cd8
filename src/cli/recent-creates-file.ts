/**
 * The CLI's journal of recent creates (src/app/run/recent-creates.ts): a JSON-lines file beside
 * the lock file of the account × region, `<lock dir>/<account>-<region>.recent.jsonl`. A run
 * appends each create as EC2 answers it (an append is one `write`, so a run killed midway has
 * still recorded what it made, at worst with a torn last line, which is skipped) and rewrites the
 * file through a rename when it forgets entries, so a reader never sees half a rewrite. Only the
 * run holding the lock writes; a dry run only reads.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeRecentCreate, encodeRecentCreate, type RecentCreate } from '../app/run/recent-creates.js';
import type { RecentJournal, TargetMemory } from '../app/run/run-memory.js';
import { defaultLockDir, lockPath } from './lock.js';

/** The journal file of `key`, beside its lock file. */
export function recentCreatesPath(key: string, lockDir: string = defaultLockDir()): string {
  return lockPath(key, lockDir).replace(/\.lock$/, '.recent.jsonl');
}

/**
 * The journal files as a run's memory (`runTarget`'s `memory`), in the lock directory.
 *
 * @example runTarget(ec2, config, { now, runId, exclusive: fileLock({ runId }), memory: fileMemory() });
 */
export function fileMemory(options: { readonly lockDir?: string } = {}): TargetMemory {
  return { open: (key) => openJournalFile(recentCreatesPath(key, options.lockDir ?? defaultLockDir())) };
}

async function openJournalFile(path: string): Promise<RecentJournal> {
  const text = await readText(path);
  // A run killed mid-append left a line without its end: start the next one on a line of its own.
  let torn = text !== '' && !text.endsWith('\n');
  return {
    entries: parseEntries(text),
    async append(entries) {
      if (entries.length === 0) return;
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, `${torn ? '\n' : ''}${linesOf(entries)}`);
      torn = false;
    },
    async forget(snapshotIds) {
      const kept = parseEntries(await readText(path)).filter((e) => !snapshotIds.has(e.snapshotId));
      torn = false;
      if (kept.length === 0) {
        await rm(path, { force: true });
        return;
      }
      const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(aside, linesOf(kept));
      await rename(aside, path);
    },
  };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

function parseEntries(text: string): RecentCreate[] {
  const entries: RecentCreate[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue; // torn by a run killed mid-write
    }
    const entry = decodeRecentCreate(parsed);
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}

const linesOf = (entries: readonly RecentCreate[]): string =>
  entries.map((e) => `${JSON.stringify(encodeRecentCreate(e))}\n`).join('');
