// Node 22 is the floor (engines, Lambda's nodejs22.x, AWS SDK releases after January 2027). Where the
// machine's `node` is older, a Node 22 is unpacked into `.node/` of the checkout from the npm package
// `node-<platform>-<arch>@22` (no root, no download outside the npm registry) and put first on PATH for
// everything setup runs. Plain Node ESM without dependencies: it runs on the old Node, before any install.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const NODE_FLOOR = 22;

function majorOf(version) {
  return Number(/^v?(\d+)\./.exec(version)?.[1] ?? 0);
}

function versionOf(nodeBin) {
  const result = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function unpackNode(root, target) {
  const name = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}@${NODE_FLOOR}`;
  const scratch = mkdtempSync(join(tmpdir(), 'ebs-snapper-node-'));
  try {
    console.error(
      `setup: node ${process.versions.node} is older than ${NODE_FLOOR}; fetching ${name} from the npm registry`,
    );
    const pack = spawnSync('npm', ['pack', name, '--pack-destination', scratch, '--silent'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(scratch).find((file) => file.endsWith('.tgz'));
    if (pack.status !== 0 || tarball === undefined) throw new Error(`npm pack ${name} failed`);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    const untar = spawnSync('tar', ['xzf', join(scratch, tarball), '-C', target, '--strip-components=1'], {
      stdio: 'inherit',
    });
    if (untar.status !== 0) throw new Error(`unpacking ${tarball} failed`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The folder holding a Node >= 22 binary: this process's own when it is new enough, else `.node/bin`
 * of the checkout (unpacked on first use).
 */
export function ensureNode(root) {
  if (majorOf(process.versions.node) >= NODE_FLOOR) return dirname(process.execPath);
  const target = join(root, '.node');
  const bin = join(target, 'bin');
  const local = join(bin, process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(local) || majorOf(versionOf(local) ?? '') < NODE_FLOOR) unpackNode(root, target);
  const version = versionOf(local);
  if (version === undefined || majorOf(version) < NODE_FLOOR)
    throw new Error(`the Node unpacked in ${target} does not run (${version ?? 'no version'})`);
  return bin;
}
