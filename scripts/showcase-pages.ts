/**
 * Write the showcase's saved inventory and policy file to a folder, then make the report and
 * forecast pages from them with the built CLI (`dist/cli.js --inventory`, no AWS), as a user
 * would. Shared by `npm run screenshots` and the browser tests.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inventoryDocumentChunks } from '../src/core/inventory-document.js';
import type { Inventory } from '../src/core/model.js';
import { SHOWCASE_NOW, SHOWCASE_POLICY } from './showcase-fleet.js';

export const CLI = resolve(import.meta.dirname, '../dist/cli.js');

export interface ShowcasePages {
  readonly report: string;
  readonly forecast: string;
  readonly inventory: string;
  readonly policy: string;
}

/** Run the built CLI with no AWS reachable; throw with its stderr when it fails. */
export function runOffline(args: readonly string[], cwd: string): string {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: cwd, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', NO_COLOR: '1' },
  });
  if (result.status !== 0)
    throw new Error(`ebs-snapper ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

/**
 * Save `inventory` and the showcase policy in `dir`, and make both pages there.
 *
 * @example const { report, forecast } = makeShowcasePages(showcaseFleet().inventory, tmp);
 */
export function makeShowcasePages(inventory: Inventory, dir: string): ShowcasePages {
  const saved = join(dir, 'inventory.json');
  const policy = join(dir, 'ebs-snapper.yaml');
  writeFileSync(saved, [...inventoryDocumentChunks([inventory], SHOWCASE_NOW)].join(''));
  writeFileSync(policy, SHOWCASE_POLICY);
  const report = join(dir, 'report.html');
  const forecast = join(dir, 'forecast.html');
  const common = ['-c', policy, '--inventory', saved, '--output', 'html'];
  runOffline(['report', ...common, '--out', report], dir);
  runOffline(['forecast', ...common, '--out', forecast], dir);
  return { report, forecast, inventory: saved, policy };
}
