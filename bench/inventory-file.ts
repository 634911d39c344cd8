/**
 * Saved inventories at fleet scale: the planner bench's 1,000,000 snapshots (30,000 volumes),
 * each as a collector sees it (`FullSnapshotSizeInBytes`, a description, the copied `Name` and
 * `Backup` tags beside the tool's own), written with `--save-inventory`'s writer to a temp file
 * of about 0.6 GB, then read back by `--inventory`'s streaming reader in a fresh process: time and
 * peak RSS. One `readFile` + `JSON.parse` could not read that file at all (V8's strings end near
 * 512 MiB). The file is deleted afterwards.
 *
 * Run alone with `npx tsx bench/inventory-file.ts`; `bench/index.ts` runs it as `inventory-file`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { loadInventories, saveInventories } from '../src/cli/inventory-file.js';
import type { Inventory, Snapshot } from '../src/core/model.js';
import { generateFleet } from './generate-fleet.js';
import { PLAN_BENCH_FLEET } from './plan.js';
import {
  isBenchChild,
  isEntryPoint,
  printChildFigures,
  runInChild,
  runStandalone,
} from './support/process.js';
import type { BenchDefinition, Figures } from './support/report.js';

const MiB = 2 ** 20;
const GIB = 2 ** 30;
const FILE = fileURLToPath(import.meta.url);

/** A snapshot as DescribeSnapshots gives it for a tool-made one: sizes, description, copied tags. */
function asCollected(s: Snapshot, index: number): Snapshot {
  const policy = s.tags['ebs-snapper:policy'];
  if (policy === undefined) return s;
  return {
    ...s,
    tags: { ...s.tags, Name: `${s.volumeId}-disk`, Backup: `${policy}-${index % 365}` },
    fullSizeBytes: Math.round((s.sizeGiB ?? 8) * GIB * 0.4),
    description: `ebs-snapper ${policy} ${s.volumeId} from ${s.tags['ebs-snapper:instance-id'] ?? 'a detached volume'}`,
  };
}

async function write(path: string): Promise<Figures> {
  const { inventory } = generateFleet(PLAN_BENCH_FLEET);
  const collected: Inventory = { ...inventory, snapshots: inventory.snapshots.map(asCollected) };
  const start = performance.now();
  await saveInventories(path, [collected], PLAN_BENCH_FLEET.now);
  return {
    'write (s)': Math.round((performance.now() - start) / 100) / 10,
    'file (MiB)': Math.round(statSync(path).size / MiB),
  };
}

async function read(path: string): Promise<Figures> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const saved = await loadInventories(path);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const inventory = saved.inventories[0]!;
  return {
    'read back (s)': Math.round(seconds * 10) / 10,
    'read back, CPU (s)': Math.round((used.user + used.system) / 100_000) / 10,
    'read back (MiB/s)': Math.round(statSync(path).size / MiB / seconds),
    'snapshots read': inventory.snapshots.length,
    'peak RSS reading (MiB)': Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

async function run(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-bench-inventory-'));
  const path = join(dir, 'inventory.json');
  try {
    const written = await runInChild(FILE, ['--max-old-space-size=4096'], ['write', path]);
    const readBack = await runInChild(FILE, ['--max-old-space-size=4096'], ['read', path]);
    return {
      fleet: `${PLAN_BENCH_FLEET.volumes} volumes, ${PLAN_BENCH_FLEET.snapshots} snapshots, one account × region`,
      ...written,
      ...readBack,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const INVENTORY_FILE_BENCH: BenchDefinition = {
  name: 'inventory-file',
  title: `Saved inventory: ${PLAN_BENCH_FLEET.snapshots} snapshots written, then read back as a stream`,
  checks: [
    { label: 'read back, 1M snapshots', key: 'read back (s)', kind: 'at-most', limit: 20, unit: 's' },
    { label: 'peak RSS reading', key: 'peak RSS reading (MiB)', kind: 'at-most', limit: 1536, unit: 'MiB' },
  ],
  run,
};

if (isEntryPoint(import.meta.url)) {
  if (isBenchChild()) {
    const [mode, path] = process.argv.slice(-2);
    (mode === 'write' ? write(path!) : read(path!)).then(printChildFigures, (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  } else runStandalone(INVENTORY_FILE_BENCH);
}
