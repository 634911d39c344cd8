/**
 * Spawn the built CLI (dist/cli.js) against a local AWS and capture what it printed.
 * `npm test` builds first; run `npm run build` before running these files alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../dist/cli.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliEnv {
  readonly endpoint: string;
  readonly region?: string;
  readonly workDir: string;
  /** More environment for the CLI, e.g. `EBS_SNAPPER_HTTP_TIMEOUT`. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** A temp folder for a test's policy file and lock files. */
export function workDir(): string {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  return mkdtempSync(join(tmpdir(), 'ebs-snapper-e2e-'));
}

export function writePolicy(dir: string, text: string, name = 'ebs-snapper.yaml'): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function childEnv(env: CliEnv): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: env.workDir,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: env.region ?? 'us-east-1',
    AWS_ENDPOINT_URL: env.endpoint,
    EBS_SNAPPER_LOCK_DIR: join(env.workDir, 'locks'),
    NO_COLOR: '1',
    ...env.extra,
  };
}

/** Start the CLI; the caller may kill it. */
export function startCli(args: readonly string[], env: CliEnv): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env: childEnv(env), cwd: env.workDir });
}

/** Run the CLI to its end. */
export function runCli(args: readonly string[], env: CliEnv): Promise<CliResult> {
  const child = startCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** Run with `--output json` and parse stdout; fail loudly with stderr when it is not JSON. */
export async function runCliJson<T = PlanJson>(
  args: readonly string[],
  env: CliEnv,
): Promise<CliResult & { json: T }> {
  const result = await runCli([...args, '--output', 'json'], env);
  try {
    return { ...result, json: JSON.parse(result.stdout) as T };
  } catch (error) {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr:\n${result.stderr}`, {
      cause: error,
    });
  }
}

export interface ActionJson {
  action: 'create' | 'copy' | 'delete' | 'keep' | 'skip';
  policy: string | null;
  account: string;
  region: string;
  volume_id: string | null;
  snapshot_id?: string;
  instance_id?: string;
  tags?: Record<string, string>;
  reason: { code: string; message: string };
}

export interface PlanJson {
  version: number;
  account: string | string[];
  regions: string[];
  now: string;
  actions: ActionJson[];
  summary: Record<string, number | boolean>;
  warnings?: { code: string; message: string }[];
  failures?: { account: string | null; region: string | null; error: { code: string; message: string } }[];
  results?: {
    action: string;
    status: string;
    volume_id: string | null;
    snapshot_id: string | null;
    error?: unknown;
  }[];
}
