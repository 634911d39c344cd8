/**
 * Deploy benchmark (issue 7): the built CLI's `deploy` against moto behind the counting proxy —
 * a first deploy (bucket, upload, stack), the same build again (must write nothing), and a
 * changed build (one upload, one stack update). Wall time of each CLI process, Node's start
 * included, and the calls of the unchanged deploy.
 *
 * `npm run build` first. Run alone with `npx tsx bench/deploy.ts`.
 */
import { spawn } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BENCH_REGION, withMotoTarget } from './support/moto-target.js';
import { isEntryPoint, runStandalone } from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
/** Calls that change something: none may happen when nothing changed. */
const WRITES = [
  'PutObject',
  'UpdateFunctionCode',
  'UpdateStack',
  'CreateChangeSet',
  'ExecuteChangeSet',
  'CreateStack',
  'CreateBucket',
  'DeleteStack',
  'PutItem',
];
/** A hub update is a change set, checked (the table is never replaced), then executed. */
const STACK_UPDATES = ['UpdateStack', 'ExecuteChangeSet'];

const KEYS = {
  first: 'first deploy (ms)',
  unchanged: 'unchanged deploy (ms)',
  changed: 'changed build (ms)',
  unchangedCalls: 'calls of an unchanged deploy',
  unchangedWrites: 'writes of an unchanged deploy',
  changedUploads: 'uploads of a changed build',
  changedUpdates: 'stack updates of a changed build',
} as const;

function deploy(args: readonly string[], endpoint: string, home: string): Promise<number> {
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: BENCH_REGION,
    AWS_ENDPOINT_URL: endpoint,
  };
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'deploy', ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolvePromise(Math.round(performance.now() - started))
        : reject(new Error(`deploy ${args.join(' ')} exited ${code}:\n${stderr}`)),
    );
  });
}

const sum = (counts: Record<string, number>, keys: readonly string[]) =>
  keys.reduce((total, key) => total + (counts[key] ?? 0), 0);

/** @example const figures = await runDeployBench(); // { 'first deploy': 1900, ... } */
export async function runDeployBench(): Promise<Figures> {
  return withMotoTarget(async ({ proxy, lockDir }) => {
    const first = await deploy([], proxy.endpoint, lockDir);
    proxy.resetCounts();
    const unchanged = await deploy([], proxy.endpoint, lockDir);
    const unchangedCounts = proxy.counts();
    const bundle = join(lockDir, 'index.js');
    await copyFile(join(ROOT, 'dist', 'lambda', 'index.js'), bundle);
    await writeFile(bundle, `${await readFile(bundle, 'utf8')}\n// another build\n`);
    proxy.resetCounts();
    const changed = await deploy(['--bundle', bundle], proxy.endpoint, lockDir);
    const changedCounts = proxy.counts();
    return {
      [KEYS.first]: first,
      [KEYS.unchanged]: unchanged,
      [KEYS.changed]: changed,
      [KEYS.unchangedCalls]: sum(unchangedCounts, Object.keys(unchangedCounts)),
      'unchanged deploy, by action': Object.entries(unchangedCounts)
        .map(([action, n]) => `${action} ${n}`)
        .join(', '),
      [KEYS.unchangedWrites]: sum(unchangedCounts, WRITES),
      [KEYS.changedUploads]: changedCounts.PutObject ?? 0,
      [KEYS.changedUpdates]: sum(changedCounts, STACK_UPDATES),
    };
  });
}

export const DEPLOY_BENCH: BenchDefinition = {
  name: 'deploy',
  title: 'deploy against moto: first, unchanged, changed build (built CLI, wall time per process)',
  checks: [
    { label: 'writes when nothing changed', key: KEYS.unchangedWrites, kind: 'at-most', limit: 0 },
    { label: 'calls when nothing changed', key: KEYS.unchangedCalls, kind: 'at-most', limit: 5 },
    { label: 'uploads of a changed build', key: KEYS.changedUploads, kind: 'at-most', limit: 1 },
    { label: 'stack updates of a changed build', key: KEYS.changedUpdates, kind: 'at-most', limit: 1 },
  ],
  run: runDeployBench,
};

if (isEntryPoint(import.meta.url)) runStandalone(DEPLOY_BENCH);
