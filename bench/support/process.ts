/**
 * Process plumbing of the benches: "is this file the entry point", a standalone `main`, and
 * running a bench file in a fresh Node process (so peak RSS is that bench's alone).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchDefinition, type Figures, formatOutcome } from './report.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The flag a bench file reads to know it is the measuring child. */
export const CHILD_FLAG = '--bench-child';

/** True when the module at `moduleUrl` was started as the program (`npx tsx bench/x.ts`). */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && moduleUrl === pathToFileURL(entry).href;
}

/** True in the child started by {@link runInChild}. */
export function isBenchChild(): boolean {
  return process.argv.includes(CHILD_FLAG);
}

/** Run one bench on its own and print its block; exit code 1 when it throws. */
export function runStandalone(bench: BenchDefinition): void {
  const started = performance.now();
  bench.run().then(
    (figures) => {
      const seconds = (performance.now() - started) / 1000;
      console.log(formatOutcome({ bench, figures, seconds }));
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

/**
 * Run `file` (a bench module) in a fresh Node process with {@link CHILD_FLAG} and `args`; it
 * prints its figures as JSON on the last line of stdout. stderr passes through. `onSpawn` sees the
 * child as soon as it is started (to throttle it, say).
 *
 * @example const figures = await runInChild(fileURLToPath(import.meta.url), ['--max-old-space-size=4096']);
 */
export function runInChild(
  file: string,
  nodeOptions: readonly string[] = [],
  args: readonly string[] = [],
  onSpawn?: (child: ChildProcess) => void,
): Promise<Figures> {
  const argv = [...nodeOptions, '--import', 'tsx', file, CHILD_FLAG, ...args];
  return new Promise((resolve, reject) => {
    // `--import tsx` resolves from the working directory: the repository's, whatever ours is.
    const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    onSpawn?.(child);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`bench child ${file} exited with ${code}`));
      else {
        try {
          resolve(JSON.parse(last) as Figures);
        } catch (error) {
          reject(
            new Error(`bench child ${file} printed no figures: ${last.slice(0, 200)}`, { cause: error }),
          );
        }
      }
    });
  });
}

/** Print figures as the child's last stdout line. */
export function printChildFigures(figures: Figures): void {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
