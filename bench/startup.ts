/**
 * `startup`: what starting costs, in CPU seconds (user + system) of a fresh process, each as a ratio
 * to a bare `node -e 0` measured in the same run: `ebs-snapper --version`, `--help`, `config
 * validate` of a small file, and importing each Lambda handler module (the init a cold start pays).
 *
 * Each process reports its own CPU at exit through a tiny `--import` hook (the same hook in the
 * baseline, so it cancels out); the median of several runs is taken, since a loaded machine adds
 * noise to any one of them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isEntryPoint, REPO_ROOT, runStandalone } from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';

const RUNS = 9;
const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const POLICY = `version: 1
policies:
  - id: web
    select: {instance_names: [web-*]}
    schedule: {every: 1 day}
    retention: {max_age: 7 days}
`;

/** The handler modules as the deployed zip holds them (per-handler bundles), else the package export. */
function handlerModules(): Record<string, string> {
  const lambda = join(REPO_ROOT, 'dist', 'lambda');
  const perHandler = ['fanout', 'worker'].map((name) => [name, join(lambda, `${name}.mjs`)] as const);
  try {
    for (const [, file] of perHandler) readFileSync(file, { flag: 'r' });
    return Object.fromEntries(perHandler);
  } catch {
    return { 'index (both handlers)': join(lambda, 'index.js') };
  }
}

/** CPU ms of one fresh `node …args`, as the process itself reported at exit. */
function cpuOf(args: readonly string[], hook: string, report: string): number {
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, EBS_SNAPPER_CPU_REPORT: report, AWS_REGION: 'us-east-1', NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (result.status !== 0 && !args.includes('--help')) {
    throw new Error(
      `node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString().slice(0, 500)}`,
    );
  }
  return Number(readFileSync(report, 'utf8'));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function runStartupBench(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-startup-'));
  try {
    const hook = join(dir, 'cpu-at-exit.mjs');
    writeFileSync(
      hook,
      "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.cpuUsage(); writeFileSync(process.env.EBS_SNAPPER_CPU_REPORT, String((u.user + u.system) / 1000)); });\n",
    );
    const report = join(dir, 'cpu.txt');
    const policy = join(dir, 'ebs-snapper.yaml');
    writeFileSync(policy, POLICY);
    const measure = (args: readonly string[]) =>
      median(Array.from({ length: RUNS }, () => cpuOf(args, hook, report)));
    const baseline = measure(['-e', '0']);
    const figures: Figures = { baselineMs: Math.round(baseline) };
    const commands: Record<string, readonly string[]> = {
      version: [CLI, '--version'],
      help: [CLI, 'run', '--help'],
      validate: [CLI, 'config', 'validate', policy],
    };
    for (const [name, args] of Object.entries(commands)) {
      const ms = measure(args);
      figures[`${name}Ms`] = Math.round(ms);
      figures[`${name}Ratio`] = Number((ms / baseline).toFixed(2));
    }
    let worst = 0;
    for (const [name, file] of Object.entries(handlerModules())) {
      const ms = measure([
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(pathToFileURL(file).href)})`,
      ]);
      figures[`import ${name} ms`] = Math.round(ms);
      worst = Math.max(worst, ms / baseline);
    }
    figures.handlerRatio = Number(worst.toFixed(2));
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const STARTUP_BENCH: BenchDefinition = {
  name: 'startup',
  title: 'Start-up CPU: the CLI and each handler module, ÷ a bare `node -e 0`',
  checks: [
    { label: '--version ÷ node -e 0', key: 'versionRatio', kind: 'at-most', limit: 2 },
    { label: 'each handler import ÷ node -e 0', key: 'handlerRatio', kind: 'at-most', limit: 4 },
  ],
  run: runStartupBench,
};

if (isEntryPoint(import.meta.url)) runStandalone(STARTUP_BENCH);
