import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fleet } from '../../test/support/builders/fleet.js';
import { policy } from '../../test/support/builders/policy.js';
import { InMemoryEc2 } from '../../test/support/fakes/in-memory-ec2.js';
import { runTarget } from '../app/run/run.js';
import {
  acquireLock,
  defaultLockDir,
  fileLock,
  isProcessAlive,
  LockBusyError,
  lockPath,
  withLock,
} from './lock.js';

let lockDir: string;

beforeEach(async () => {
  lockDir = await mkdtemp(join(tmpdir(), 'ebs-snapper-lock-test-'));
});

afterEach(async () => {
  await rm(lockDir, { recursive: true, force: true });
});

const writeHolder = (key: string, holder: object) =>
  writeFile(lockPath(key, lockDir), JSON.stringify(holder));

describe('acquireLock', () => {
  it('writes who holds the lock, and refuses a second run on the same key naming the holder', async () => {
    // Prepare
    const first = await acquireLock('123456789012-eu-west-1', { lockDir, runId: 'run-1' });

    // Act
    const second = acquireLock('123456789012-eu-west-1', { lockDir, runId: 'run-2' });

    // Assess
    await expect(second).rejects.toBeInstanceOf(LockBusyError);
    await expect(second).rejects.toThrow(/run-1/);
    const written = JSON.parse(await readFile(first.path, 'utf8'));
    expect(written).toMatchObject({ pid: process.pid, hostname: hostname(), runId: 'run-1' });
    expect(first.path).toBe(join(lockDir, '123456789012-eu-west-1.lock'));
  });

  it('lets runs on different keys hold their locks at once', async () => {
    // Prepare
    await acquireLock('123456789012-eu-west-1', { lockDir });

    // Act
    const other = await acquireLock('123456789012-us-east-1', { lockDir });

    // Assess
    expect(other.path).toBe(join(lockDir, '123456789012-us-east-1.lock'));
  });

  it('removes the file on release, so the next run can lock', async () => {
    // Prepare
    const lock = await acquireLock('k', { lockDir });

    // Act
    await lock.release();
    const again = await acquireLock('k', { lockDir, runId: 'run-2' });

    // Assess
    await again.release();
    expect(await readdir(lockDir)).toEqual([]);
  });

  it('takes over the lock of a process that is gone', async () => {
    // Prepare
    await writeHolder('k', { pid: 999_999, hostname: hostname(), runId: 'dead', startedAt: Date.now() });

    // Act
    const lock = await acquireLock('k', { lockDir, runId: 'live', isAlive: (pid) => pid !== 999_999 });

    // Assess
    expect(JSON.parse(await readFile(lock.path, 'utf8')).runId).toBe('live');
    expect(await readdir(lockDir)).toEqual(['k.lock']);
  });

  it('takes over the lock of a run that was killed, with the real process check', async () => {
    // Prepare
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    await writeHolder('k', { pid: exited, hostname: hostname(), runId: 'killed', startedAt: Date.now() });

    // Act
    const lock = await acquireLock('k', { lockDir, runId: 'next' });

    // Assess
    expect(isProcessAlive(exited)).toBe(false);
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(lock.holder.runId).toBe('next');
  });

  it('takes over a lock older than the maximum age even if its process lives', async () => {
    // Prepare
    await writeHolder('k', { pid: process.pid, hostname: hostname(), runId: 'old', startedAt: 0 });

    // Act
    const lock = await acquireLock('k', { lockDir, runId: 'new', maxAgeMs: 60_000 });

    // Assess
    expect(lock.holder.runId).toBe('new');
  });

  it('does not take over a lock held by a live process of another host', async () => {
    // Prepare
    await writeHolder('k', { pid: 1, hostname: 'elsewhere', runId: 'remote', startedAt: Date.now() });

    // Act
    const attempt = acquireLock('k', { lockDir, isAlive: () => false });

    // Assess
    await expect(attempt).rejects.toThrow(/remote/);
  });

  it('does not delete a lock that another run has taken over', async () => {
    // Prepare
    const lock = await acquireLock('k', { lockDir, runId: 'mine' });
    await writeHolder('k', { pid: 1, hostname: 'elsewhere', runId: 'theirs', startedAt: Date.now() });

    // Act
    await lock.release();

    // Assess
    expect(JSON.parse(await readFile(lock.path, 'utf8')).runId).toBe('theirs');
  });
});

describe('withLock', () => {
  it('releases the lock when the work throws', async () => {
    // Prepare
    const failing = withLock('k', async () => Promise.reject(new Error('boom')), { lockDir });

    // Act
    await expect(failing).rejects.toThrow('boom');
    const result = await withLock('k', async () => 42, { lockDir });

    // Assess
    expect(result).toBe(42);
    expect(await readdir(lockDir)).toEqual([]);
  });
});

describe('fileLock', () => {
  it('keeps a run off an account × region whose lock file another run holds, and touches nothing', async () => {
    // Prepare
    const ec2 = new InMemoryEc2(fleet().instance('web-1').volume({ id: 'vol-a' }).build());
    const config = {
      version: 1 as const,
      settings: { guard: {}, organization: false },
      policies: [policy({ id: 'daily', select: { instances: { 'tag:Name': 'web-1' } }, every: '1d' })],
    };
    await acquireLock(`${ec2.account}-${ec2.region}`, { lockDir, runId: 'other-run' });

    // Act
    const attempt = runTarget(ec2, config, { now: 0, runId: 'r', exclusive: fileLock({ lockDir }) });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(LockBusyError);
    expect(ec2.calls).toEqual([]);
  });
});

describe('defaultLockDir', () => {
  it('follows EBS_SNAPPER_LOCK_DIR, else the temporary directory', () => {
    // Prepare
    const env = { EBS_SNAPPER_LOCK_DIR: '/var/lock/ebs' };

    // Act
    const chosen = [defaultLockDir(env), defaultLockDir({})];

    // Assess
    expect(chosen).toEqual(['/var/lock/ebs', join(tmpdir(), 'ebs-snapper-locks')]);
  });
});
