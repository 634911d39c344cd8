/**
 * The library surface as a user meets it: the packed package (`npm pack`), installed into a
 * fresh project, compiled by TypeScript against its `.d.ts` files through the `exports` map,
 * then run. `npm test` builds first; run `npm run build` before running this file alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

const CONSUMER = `import { type Inventory, loadConfig, planSnapshots, REASON_CODES, volumeId } from 'ebs-snapper';

const { config } = loadConfig(
  'version: 1\\npolicies:\\n  - {id: data, select: {volumes: {tag:Backup: "true"}}, schedule: {every: 1d}, retention: {minimum: 2}}\\n',
);
const inventory: Inventory = {
  account: '111122223333',
  region: 'eu-west-1',
  instances: [],
  volumes: [{ id: volumeId('vol-1'), tags: { Backup: 'true' }, type: 'gp3', sizeGiB: 8, attachments: [] }],
  snapshots: [],
  images: [],
};
const plan = planSnapshots(inventory, config.policies, { now: Date.parse('2026-11-29T00:00:00Z'), runId: 'r-1' });
const codes: readonly string[] = REASON_CODES;
console.log(JSON.stringify({ create: plan.summary.create, code: plan.actions[0]?.reason.code, known: codes.length > 0 }));
`;

/** The handlers as a Lambda user wires them: type-checked only (running them needs a deployment). */
const LAMBDA_CONSUMER = `import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createWorker, DEFAULT_MARGIN_MS, type FanOutResponse, fanOut, worker } from 'ebs-snapper/lambda';

export const handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> = worker;
export const custom = createWorker({ marginMs: DEFAULT_MARGIN_MS * 2 });
export const started: (event: unknown) => Promise<FanOutResponse> = (event) => fanOut(event);
`;

/** The packed tarball, extracted where a user's npm would put it. */
function installPacked(project: string): void {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' }),
  ) as { filename: string }[];
  const target = join(project, 'node_modules', 'ebs-snapper');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(project, packed!.filename), '-C', target, '--strip-components=1']);
  // The declarations name the dependencies' types; a real install brings them along.
  for (const dependency of [
    'zod',
    'yaml',
    'croner',
    '@types',
    '@aws-sdk',
    '@smithy',
    '@aws-lambda-powertools',
    '@aws',
  ]) {
    symlinkSync(join(ROOT, 'node_modules', dependency), join(project, 'node_modules', dependency));
  }
}

describe('the packed library', () => {
  it('type-checks a TypeScript consumer of both exports (the planner and the Lambda handlers) and runs the planner', () => {
    // Prepare
    const project = mkdtempSync(join(tmpdir(), 'ebs-snapper-consumer-'));
    installPacked(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(project, 'index.ts'), CONSUMER);
    writeFileSync(join(project, 'handlers.ts'), LAMBDA_CONSUMER);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          types: ['node'],
          outDir: 'out',
        },
        files: ['index.ts', 'handlers.ts'],
      }),
    );

    // Act
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], {
      encoding: 'utf8',
    });
    const output = execFileSync(process.execPath, [join(project, 'out', 'index.js')], { encoding: 'utf8' });

    // Assess
    expect(JSON.parse(output)).toEqual({ create: 1, code: 'due.first', known: true });
  });
});
