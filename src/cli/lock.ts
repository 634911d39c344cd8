/**
 * A lock file so that two CLI runs on one account × region never overlap (SPEC §7; deployed
 * runs use a DynamoDB lease instead). The file is created with `O_EXCL`, so exactly one run
 * wins; a lock left by a run that died (its process is gone, or it is older than the maximum
 * age) is taken over, so a run killed with SIGKILL never blocks the next one for long.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exclusive } from '../app/run/run.js';
import { EbsSnapperError } from '../core/errors.js';

/** What the lock file holds: who runs. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly runId: string;
  /** Epoch ms. */
  readonly startedAt: number;
}

/** Another run holds the lock. */
export class LockBusyError extends EbsSnapperError {
  readonly path: string;
  readonly holder?: LockHolder;
  constructor(path: string, holder: LockHolder | undefined, options?: { cause?: unknown }) {
    const who =
      holder === undefined
        ? 'another run'
        : `run ${holder.runId} (pid ${holder.pid} on ${holder.hostname}, started ${new Date(holder.startedAt).toISOString()})`;
    super(`${path} is held by ${who}`, options);
    this.path = path;
    if (holder !== undefined) this.holder = holder;
  }
}

export interface LockOptions {
  /** Default: env `EBS_SNAPPER_LOCK_DIR`, else `<tmpdir>/ebs-snapper-locks`. */
  readonly lockDir?: string;
  /** Written into the lock file so a busy error names the holder. */
  readonly runId?: string;
  /** A lock older than this is stale whatever its process. Default 6 hours. */
  readonly maxAgeMs?: number;
  /** Default `Date.now`. */
  readonly clock?: () => number;
  /** Whether a process of this host is alive. Default: `process.kill(pid, 0)` does not throw ESRCH. */
  readonly isAlive?: (pid: number) => boolean;
}

export interface LockHandle {
  readonly path: string;
  readonly holder: LockHolder;
  /** Delete the lock file, unless another run has taken it over meanwhile. */
  release(): Promise<void>;
}

const DEFAULT_LOCK_MAX_AGE_MS = 6 * 60 * 60 * 1000;
/** A lock file still empty after this long was left by a run that died while writing it. */
const UNREADABLE_GRACE_MS = 10_000;

/** The lock directory: `EBS_SNAPPER_LOCK_DIR`, else `<tmpdir>/ebs-snapper-locks`. */
export function defaultLockDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.EBS_SNAPPER_LOCK_DIR || join(tmpdir(), 'ebs-snapper-locks');
}

/** The lock file of `key`, e.g. `123456789012-eu-west-1` (anything but `[\w.-]` becomes `_`). */
export function lockPath(key: string, lockDir: string = defaultLockDir()): string {
  return join(lockDir, `${key.replace(/[^\w.-]/g, '_')}.lock`);
}

/** True unless signalling the process says it does not exist (EPERM: it exists, not ours). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Take the lock of `key` or throw `LockBusyError`.
 *
 * @example const lock = await acquireLock(`${account}-${region}`, { runId }); try { ... } finally { await lock.release(); }
 */
export async function acquireLock(key: string, options: LockOptions = {}): Promise<LockHandle> {
  const lockDir = options.lockDir ?? defaultLockDir();
  const path = lockPath(key, lockDir);
  const clock = options.clock ?? Date.now;
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    runId: options.runId ?? `pid-${process.pid}`,
    startedAt: clock(),
  };
  await mkdir(lockDir, { recursive: true });
  // Two rounds: the second follows the takeover of a stale lock.
  for (let round = 0; round < 2; round++) {
    if (await createLockFile(path, holder)) return handleFor(path, holder);
    const current = await readHolder(path);
    if (current.kind === 'gone') continue;
    if (!(await isStale(path, current, options, clock))) {
      throw new LockBusyError(path, current.kind === 'held' ? current.holder : undefined);
    }
    await takeOver(path, current.text);
  }
  throw new LockBusyError(path, undefined);
}

/** The lock file as a run's exclusivity (`runTarget`'s `exclusive`): the CLI's adapter of the port a deployed worker fills with its lease. */
export function fileLock(options: LockOptions = {}): Exclusive {
  return (key, work) => withLock(key, work, options);
}

/** Run `fn` holding the lock of `key`; the lock is released however `fn` ends. */
export async function withLock<T>(key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireLock(key, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

async function createLockFile(path: string, holder: LockHolder): Promise<boolean> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await file.writeFile(`${JSON.stringify(holder)}\n`);
  } finally {
    await file.close();
  }
  return true;
}

type ReadHolder =
  | { readonly kind: 'held'; readonly holder: LockHolder; readonly text: string }
  | { readonly kind: 'unreadable'; readonly text: string }
  | { readonly kind: 'gone' };

async function readHolder(path: string): Promise<ReadHolder> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.startedAt === 'number') {
      return {
        kind: 'held',
        text,
        holder: {
          pid: parsed.pid,
          hostname: String(parsed.hostname ?? ''),
          runId: String(parsed.runId ?? ''),
          startedAt: parsed.startedAt,
        },
      };
    }
  } catch {
    // Half-written (the holder died between create and write, or is writing now): see isStale.
  }
  return { kind: 'unreadable', text };
}

async function isStale(
  path: string,
  current: Exclude<ReadHolder, { kind: 'gone' }>,
  options: LockOptions,
  clock: () => number,
): Promise<boolean> {
  if (current.kind === 'unreadable') {
    const modified = await stat(path).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    return clock() - modified > UNREADABLE_GRACE_MS;
  }
  const { holder } = current;
  if (clock() - holder.startedAt > (options.maxAgeMs ?? DEFAULT_LOCK_MAX_AGE_MS)) return true;
  // Only a process of this host can be checked; elsewhere the age alone decides.
  return holder.hostname === hostname() && !(options.isAlive ?? isProcessAlive)(holder.pid);
}

/**
 * Move the stale file aside (rename is atomic, so of two runs taking over only one moves it)
 * and check that what moved is what was judged stale; if another run's fresh lock moved
 * instead, put it back (with `link`, which, unlike rename, never replaces a newer file).
 */
async function takeOver(path: string, staleText: string): Promise<void> {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await link(aside, path).catch(() => {});
  await unlink(aside).catch(() => {});
}

function handleFor(path: string, holder: LockHolder): LockHandle {
  const own = JSON.stringify(holder);
  return {
    path,
    holder,
    async release() {
      const current = await readHolder(path);
      // Taken over meanwhile (this run outlived the maximum age): the file is no longer ours.
      if (current.kind !== 'held' || JSON.stringify(current.holder) !== own) return;
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    },
  };
}
