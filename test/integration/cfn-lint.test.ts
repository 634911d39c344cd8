/**
 * The templates `deploy` sends pass cfn-lint (Python; it knows which Lambda runtimes AWS still
 * accepts, which moto does not) with nothing reported — no error, no warning. The command comes
 * from .moto/cfn-lint-command (scripts/ensure-cfn-lint.sh), else `cfn-lint` on the PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CfnTemplate } from '../../src/templates/cfn.js';
import { hubTemplate } from '../../src/templates/hub-template.js';
import { memberTemplate } from '../../src/templates/member-template.js';

const COMMAND_FILE = resolve(import.meta.dirname, '../../.moto/cfn-lint-command');
const HOW_TO_INSTALL =
  'cfn-lint is not installed: run `bash scripts/ensure-cfn-lint.sh`, or `pip install cfn-lint` ' +
  "(or your distribution's cfn-lint package), then run the tests again";

function cfnLintCommand(): string[] {
  if (existsSync(COMMAND_FILE)) return readFileSync(COMMAND_FILE, 'utf8').trim().split(/\s+/);
  return ['cfn-lint'];
}

function lint(template: CfnTemplate, name: string): { status: number | null; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'ebs-snapper-cfn-')), `${name}.json`);
  writeFileSync(file, JSON.stringify(template, null, 2));
  const [command, ...args] = cfnLintCommand();
  const result = spawnSync(command!, [...args, file], { encoding: 'utf8', timeout: 120_000 });
  if (result.error !== undefined && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(HOW_TO_INSTALL);
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('cfn-lint', () => {
  it.each([
    ['the hub template', () => hubTemplate()],
    ['the hub template for a config of volume snapshots only', () => hubTemplate('volume-snapshots')],
    ['the member template', () => memberTemplate()],
    ['the member template for StackSets', () => memberTemplate({ hubAccount: '111111111111' })],
  ])('reports nothing about %s', (name, make) => {
    // Prepare / Act
    const { status, output } = lint(make(), name.replace(/\W+/g, '-'));

    // Assess
    expect(output).toBe('');
    expect(status).toBe(0);
  });
});
