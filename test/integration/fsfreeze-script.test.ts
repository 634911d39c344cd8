/**
 * The built-in fsfreeze scripts run for real in the machine's POSIX shell (`sh`: dash here), on a
 * stand-in for an instance: `fsfreeze`, `findmnt` and `lsblk` are fakes that answer from a table
 * and log what they were asked; devices are files under a temp folder. Only three assignments at
 * the top of each script are changed (`STATE`, `DEV`, `PATH`) so they point there: the logic is
 * the one the tool sends. The watchdog's `sleep` waits until the test wakes it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fsfreezeScript, fsthawScript } from '../../src/core/fsfreeze-script.js';

/** A stand-in instance: volumes → disks → mounted filesystems. */
interface Estate {
  /** Volume id → the disk its NVMe link points to (`nvme1n1`), or a Xen device (`xvdg`). */
  readonly disks: Readonly<Record<string, string>>;
  /** Disk → the nodes lsblk lists for it (the disk, its partitions, LVM volumes on them). */
  readonly nodes: Readonly<Record<string, readonly string[]>>;
  /** Node → where it is mounted. */
  readonly mounts: Readonly<Record<string, string>>;
  /** Mount points `fsfreeze -f` refuses. */
  readonly refuse?: readonly string[];
  /** The mount point holding the SSM agent's paths (`findmnt --target`); default `/`. */
  readonly agent?: string;
}

const FAKES = {
  fsfreeze: `#!/bin/sh
echo "fsfreeze $1 $2" >> "$T/log"
if [ "$1" = -f ]; then
  grep -Fqx -- "$2" "$T/refuse" 2>/dev/null && { echo "fsfreeze: $2: refused" >&2; exit 1; }
  grep -Fqx -- "$2" "$T/frozen" 2>/dev/null && { echo "fsfreeze: $2: busy" >&2; exit 1; }
  echo "$2" >> "$T/frozen"; exit 0
fi
grep -Fqx -- "$2" "$T/frozen" 2>/dev/null || exit 1
grep -Fvx -- "$2" "$T/frozen" > "$T/frozen.next"; mv "$T/frozen.next" "$T/frozen"
`,
  lsblk: `#!/bin/sh
for last; do :; done
cat "$T/lsblk/$(basename "$last")" 2>/dev/null || exit 32
`,
  findmnt: `#!/bin/sh
case " $* " in
  *" --target "*) cat "$T/agent"; exit 0 ;;
esac
for last; do :; done
m=$(grep -F -- "$last=" "$T/mounts" | head -n 1 | cut -d= -f2-)
[ -n "$m" ] || exit 1
echo "$m"
`,
  sleep: `#!/bin/sh
echo "sleep $1" >> "$T/log"
while [ ! -e "$T/wake" ]; do /bin/sleep 0.02; done
`,
};

let roots: string[] = [];
afterEach(() => {
  // Let every watchdog still sleeping end.
  for (const root of roots) writeFileSync(join(root, 'wake'), '');
  roots = [];
});

/** The temp instance, with its fakes and devices. */
function instance(estate: Estate): string {
  const root = mkdtempSync(join(tmpdir(), 'ebs-snapper-fsfreeze-'));
  roots.push(root);
  for (const dir of ['bin', 'dev/disk/by-id', 'lsblk', 'state-parent'])
    mkdirSync(join(root, dir), { recursive: true });
  for (const [name, text] of Object.entries(FAKES))
    writeFileSync(join(root, 'bin', name), text, { mode: 0o755 });
  for (const [volume, disk] of Object.entries(estate.disks)) {
    writeFileSync(join(root, 'dev', disk), '');
    if (disk.startsWith('nvme'))
      symlinkSync(
        join(root, 'dev', disk),
        join(root, 'dev/disk/by-id', `nvme-Amazon_Elastic_Block_Store_${volume.replace('-', '')}`),
      );
  }
  for (const [disk, nodes] of Object.entries(estate.nodes))
    writeFileSync(join(root, 'lsblk', disk), nodes.map((n) => `${join(root, 'dev', n)}\n`).join(''));
  const mounts = Object.entries(estate.mounts).map(([node, at]) => `${join(root, 'dev', node)}=${at}\n`);
  writeFileSync(join(root, 'mounts'), mounts.join(''));
  writeFileSync(join(root, 'refuse'), (estate.refuse ?? []).map((m) => `${m}\n`).join(''));
  writeFileSync(join(root, 'agent'), `${estate.agent ?? '/'}\n`);
  return root;
}

/** Run a script the tool sends, pointed at the temp instance. */
function run(root: string, lines: readonly string[]) {
  const script = lines
    .map((line) =>
      line
        .replace(/^STATE=.*$/, `STATE=${join(root, 'state-parent', 'freeze')}`)
        .replace(/^DEV=.*$/, `DEV=${join(root, 'dev')}`)
        .replace(/^PATH=(.*)$/, `PATH=${join(root, 'bin')}:$1`),
    )
    .join('\n');
  writeFileSync(join(root, 'script.sh'), script);
  const result = spawnSync('sh', [join(root, 'script.sh')], {
    env: { T: root },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const frozen = (root: string): string[] =>
  existsSync(join(root, 'frozen'))
    ? readFileSync(join(root, 'frozen'), 'utf8').split('\n').filter(Boolean)
    : [];
const state = (root: string) => join(root, 'state-parent', 'freeze');

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** db: the root volume (/), a data volume with a partition and an LVM volume, one holding /var (the SSM agent's), one more. */
const DB: Estate = {
  disks: { 'vol-0aaa': 'nvme0n1', 'vol-0bbb': 'nvme1n1', 'vol-0ccc': 'nvme2n1', 'vol-0ddd': 'nvme3n1' },
  nodes: {
    nvme0n1: ['nvme0n1', 'nvme0n1p1'],
    nvme1n1: ['nvme1n1', 'nvme1n1p1', 'mapper-data-logs'],
    nvme2n1: ['nvme2n1'],
    nvme3n1: ['nvme3n1'],
  },
  mounts: {
    nvme0n1p1: '/',
    nvme1n1p1: '/data',
    'mapper-data-logs': '/data logs',
    nvme2n1: '/var',
    nvme3n1: '/scratch',
  },
  agent: '/var',
};

const pre = (volumes: { volumeId: string; device?: string }[], token = 'run-1') =>
  fsfreezeScript({ volumes, timeoutSeconds: 30, token });

describe('the fsfreeze pre script, run', () => {
  it('freezes the selected volumes’ mounted filesystems only, never /, and arms its watchdog at timeout + 30 s', async () => {
    // Prepare
    const root = instance(DB);

    // Act
    const result = run(
      root,
      pre([
        { volumeId: 'vol-0aaa', device: '/dev/xvda' },
        { volumeId: 'vol-0bbb', device: '/dev/sdf' },
        { volumeId: 'vol-0ccc', device: '/dev/sdg' },
      ]),
    );
    await until(() => readFileSync(join(root, 'log'), 'utf8').includes('sleep'));

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(frozen(root).sort()).toEqual(['/data', '/data logs']);
    expect(result.stdout).toContain('not frozen: / (the root filesystem is never frozen)');
    expect(result.stdout).toContain('not frozen: /var (the SSM agent writes there)');
    expect(readFileSync(join(root, 'log'), 'utf8')).toContain('sleep 60');
    expect(
      readFileSync(join(state(root), 'frozen'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .sort(),
    ).toEqual(['/data', '/data logs']);
    const pid = readFileSync(join(state(root), 'watchdog.pid'), 'utf8').trim();
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('ebs-snapper-watchdog');
  });

  it('finds a Xen volume by its device name, /dev/sdX as /dev/xvdX', () => {
    // Prepare
    const root = instance({
      disks: { 'vol-0eee': 'xvdg' },
      nodes: { xvdg: ['xvdg'] },
      mounts: { xvdg: '/srv' },
    });

    // Act
    const result = run(root, pre([{ volumeId: 'vol-0eee', device: '/dev/sdg' }]));

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(frozen(root)).toEqual(['/srv']);
  });

  it('thaws what it froze, disarms its watchdog and exits 1 when a freeze is refused', async () => {
    // Prepare
    const root = instance({ ...DB, refuse: ['/scratch'] });

    // Act
    const result = run(root, pre([{ volumeId: 'vol-0bbb' }, { volumeId: 'vol-0ddd' }]));

    // Assess
    expect(result.code).toBe(1);
    expect(frozen(root)).toEqual([]);
    expect(existsSync(state(root))).toBe(false);
    expect(readFileSync(join(root, 'log'), 'utf8')).toMatch(/fsfreeze -u \/data\n/);
  });

  it.each([
    ['a freeze already held', [{ volumeId: 'vol-0bbb' }], 3],
    ['a volume with no device', [{ volumeId: 'vol-0bbb' }, { volumeId: 'vol-0fff', device: '/dev/sdz' }], 2],
    ['only /', [{ volumeId: 'vol-0aaa' }], 4],
    ['only the SSM agent’s filesystem', [{ volumeId: 'vol-0ccc' }], 4],
  ])('freezes nothing with %s', (what, volumes, code) => {
    // Prepare
    const root = instance(DB);
    if (what.startsWith('a freeze')) mkdirSync(state(root));

    // Act
    const result = run(root, pre(volumes));

    // Assess
    expect(result.code).toBe(code);
    expect(frozen(root)).toEqual([]);
  });

  it('succeeds, freezing nothing, when none of the selected volumes is mounted', () => {
    // Prepare
    const root = instance({ disks: { 'vol-0eee': 'nvme4n1' }, nodes: { nvme4n1: ['nvme4n1'] }, mounts: {} });

    // Act
    const result = run(root, pre([{ volumeId: 'vol-0eee' }]));

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(frozen(root)).toEqual([]);
  });
});

describe('the fsfreeze post script and the watchdog, run', () => {
  it('thaws everything the pre script froze, stops the watchdog, and is a no-op the second time', async () => {
    // Prepare
    const root = instance(DB);
    run(root, pre([{ volumeId: 'vol-0bbb' }, { volumeId: 'vol-0ddd' }]));
    const pid = readFileSync(join(state(root), 'watchdog.pid'), 'utf8').trim();

    // Act
    const first = run(root, fsthawScript());
    const second = run(root, fsthawScript());
    await until(() => !existsSync(`/proc/${pid}`));

    // Assess
    expect(first.code, first.stderr).toBe(0);
    expect(frozen(root)).toEqual([]);
    expect(existsSync(state(root))).toBe(false);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(second).toMatchObject({ code: 0, stdout: 'nothing frozen\n' });
  });

  it('tolerates a filesystem that is no longer frozen', () => {
    // Prepare: /scratch was thawed by someone else already
    const root = instance(DB);
    run(root, pre([{ volumeId: 'vol-0bbb' }, { volumeId: 'vol-0ddd' }]));
    writeFileSync(join(root, 'frozen'), '/data\n/data logs\n');

    // Act
    const result = run(root, fsthawScript());

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('not frozen: /scratch');
    expect(frozen(root)).toEqual([]);
  });

  it('lets the watchdog thaw by itself when no post script comes, and only its own freeze', async () => {
    // Prepare: two instances; on the second, the freeze is replaced by a newer one before its watchdog fires
    const alone = instance(DB);
    run(alone, pre([{ volumeId: 'vol-0bbb' }]));
    const replaced = instance(DB);
    run(replaced, pre([{ volumeId: 'vol-0bbb' }], 'run-1'));
    writeFileSync(join(state(replaced), 'token'), 'run-2\n');

    // Act
    for (const root of [alone, replaced]) writeFileSync(join(root, 'wake'), '');
    await until(() => !existsSync(state(alone)));
    await until(() => readFileSync(join(replaced, 'log'), 'utf8').includes('sleep'));
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Assess
    expect(frozen(alone)).toEqual([]);
    expect(existsSync(state(alone))).toBe(false);
    expect(frozen(replaced).sort()).toEqual(['/data', '/data logs']);
    expect(existsSync(state(replaced))).toBe(true);
  });
});
