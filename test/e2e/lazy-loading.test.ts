/**
 * The CLI loads only what the command it runs needs: `--version`, `--help` (of any command) and
 * `config validate` load no AWS SDK code. The built CLI is split into chunks; a load hook
 * (`module.registerHooks`) records every file the process loads, and the build's metafile
 * (`dist/.cli-meta.json`) says which sources each chunk holds. No timing is involved.
 * `npm test` builds first; run `npm run build` before running this file alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SDK_SOURCE = /node_modules\/@(aws-sdk|smithy)\//;

const POLICY = `version: 1
settings:
  regions: [us-east-1, eu-west-1]
policies:
  - id: web
    select: {instance_names: [web-*]}
    schedule: {every: 1 day, timezone: Europe/Paris}
    retention: {max_age: 7 days, minimum: 2}
`;

interface Loaded {
  readonly code: number | null;
  readonly stdout: string;
  /** The dist files the process loaded, relative to the repository. */
  readonly files: readonly string[];
  /** The AWS SDK sources those files hold. */
  readonly sdkSources: readonly string[];
}

describe('what the CLI loads', () => {
  let dir: string;
  let hook: string;
  let chunks: Record<string, { inputs: Record<string, unknown> }>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-lazy-'));
    hook = join(dir, 'record-loads.mjs');
    writeFileSync(
      hook,
      [
        "import { registerHooks } from 'node:module';",
        "import { writeFileSync } from 'node:fs';",
        'const loaded = [];',
        'registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });',
        "process.on('exit', () => writeFileSync(process.env.EBS_SNAPPER_LOADED, JSON.stringify(loaded)));",
      ].join('\n'),
    );
    chunks = JSON.parse(readFileSync(join(ROOT, 'dist', '.cli-meta.json'), 'utf8')).outputs;
  });

  function load(args: readonly string[]): Loaded {
    const report = join(dir, 'loaded.json');
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, CLI, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: dir, EBS_SNAPPER_LOADED: report, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    const urls = JSON.parse(readFileSync(report, 'utf8')) as string[];
    const files = urls
      .filter((url) => url.startsWith('file:'))
      .map((url) => relative(ROOT, fileURLToPath(url)))
      .filter((file) => file.startsWith('dist/'));
    const sdkSources = files.flatMap((file) => {
      const chunk = chunks[file];
      // A file the metafile does not know would hide what it holds: never let it pass.
      if (chunk === undefined) throw new Error(`${file} is not in dist/.cli-meta.json`);
      return Object.keys(chunk.inputs).filter((source) => SDK_SOURCE.test(source));
    });
    return { code: result.status, stdout: result.stdout, files, sdkSources };
  }

  it('answers --version from the entry alone', () => {
    // Prepare / Act
    const loaded = load(['--version']);

    // Assess
    expect(loaded.code).toBe(0);
    expect(loaded.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(loaded.sdkSources).toEqual([]);
    expect(loaded.files).toContain('dist/cli.js');
  });

  it.each([
    [['--help']],
    [['run', '--help']],
    [['deploy', '--help']],
    [['config', 'push', '--help']],
    [['status', '--help']],
  ])('prints %j without loading the AWS SDK', (args) => {
    // Prepare / Act
    const loaded = load(args);

    // Assess
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toContain('Usage: ebs-snapper');
    expect(loaded.sdkSources).toEqual([]);
  });

  it('validates a policy file without loading the AWS SDK', () => {
    // Prepare
    const policy = join(dir, 'ebs-snapper.yaml');
    writeFileSync(policy, POLICY);

    // Act
    const loaded = load(['config', 'validate', policy]);

    // Assess
    expect(loaded.code, loaded.stdout).toBe(0);
    expect(loaded.sdkSources).toEqual([]);
  });

  it('does load the SDK for a command that needs it (the check above can see it)', () => {
    // Prepare / Act: the deploy policy is built from the deploy adapters, which use the SDK.
    const loaded = load(['iam-policy', '--for', 'deploy']);

    // Assess
    expect(loaded.code).toBe(0);
    expect(loaded.sdkSources.length).toBeGreaterThan(0);
  });
});
