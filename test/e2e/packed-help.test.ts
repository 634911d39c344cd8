/**
 * `--help` of every command the program registers works from the packed package (`npm pack`,
 * unpacked where npm would put it, no node_modules of its own): the CLI's chunks, each command's
 * included, are all in the package. The list of commands comes from the program itself.
 * `npm test` builds first; run `npm run build` before running this file alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/program.js';
import { installPacked } from './packed.js';

/** Every command's path (`['config', 'push']`), parents before their subcommands. */
function commandPaths(command: Command, parent: readonly string[] = []): string[][] {
  return command.commands.flatMap((sub) => {
    const path = [...parent, sub.name()];
    return [path, ...commandPaths(sub, path)];
  });
}

const ignore = { write: () => true };
const io: CliIo = { stdout: ignore, stderr: ignore, env: {}, clock: Date.now };
const COMMANDS = commandPaths(buildProgram(io, () => undefined));

describe('the packed package', () => {
  let cli: string;
  let installed: string;
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'ebs-snapper-packed-'));
    installed = installPacked(project);
    cli = join(installed, 'dist', 'cli.js');
  }, 120_000);

  it('holds every chunk of the built CLI', () => {
    // Prepare
    const built = readdirSync(resolve(import.meta.dirname, '../../dist/chunks')).sort();

    // Act
    const packed = readdirSync(join(installed, 'dist', 'chunks')).sort();

    // Assess
    expect(built.length).toBeGreaterThan(1);
    expect(packed).toEqual(built);
  });

  it.each([
    [['config', 'schema'], '"$schema"'],
    [['iam-policy', '--for', 'deploy'], 'cloudformation:'],
  ])('runs %j, whose code is loaded when it runs', (args, printed) => {
    // Prepare / Act
    const result = spawnSync(process.execPath, [cli, ...args], {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: project, NO_COLOR: '1' },
      encoding: 'utf8',
    });

    // Assess
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(printed);
  });

  it('registers the commands this test walks (the list is not empty)', () => {
    // Prepare / Act / Assess
    expect(COMMANDS.map((path) => path.join(' '))).toEqual(
      expect.arrayContaining(['plan', 'run', 'config validate', 'deploy member', 'status', 'undo']),
    );
  });

  it.each(COMMANDS.map((path) => [path.join(' '), path] as const))('prints the help of %s', (_, path) => {
    // Prepare / Act
    const result = spawnSync(process.execPath, [cli, ...path, '--help'], {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: project, NO_COLOR: '1' },
      encoding: 'utf8',
    });

    // Assess
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Usage: ebs-snapper ${path.join(' ')}`);
  });

  it('answers --version', () => {
    // Prepare / Act
    const result = spawnSync(process.execPath, [cli, '--version'], { cwd: project, encoding: 'utf8' });

    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
