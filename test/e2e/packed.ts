/**
 * The package as npm would install it: `npm pack` of the repository (its `files`), unpacked into
 * `<project>/node_modules/ebs-snapper`. `npm test` builds first; run `npm run build` before a file
 * that uses it alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** The packed package, unpacked into `<project>/node_modules/ebs-snapper`; its folder. */
export function installPacked(project: string): string {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' }),
  ) as { filename: string; files: { path: string }[] }[];
  const target = join(project, 'node_modules', 'ebs-snapper');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(project, packed!.filename), '-C', target, '--strip-components=1']);
  return target;
}
