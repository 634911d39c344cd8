/**
 * The fleet of the P5 collection bench (issue 10): the generated fleet (generate-fleet.ts) cut to
 * exactly `managed` snapshots of the three bench policies, some of them locked or archived, plus
 * `unmanaged` snapshots other tools made (AWS Backup, DLM, people) that the tool must never page
 * through. Deterministic, like the generated fleet.
 */
import { type Inventory, type Snapshot, snapshotId, TAG } from '../../src/core/model.js';
import type { Policy } from '../../src/core/policy/types.js';
import { generateFleet, hex } from '../generate-fleet.js';

export interface P5FleetOptions {
  readonly instances: number;
  readonly volumes: number;
  /** Snapshots of the bench policies (error and pending ones included). */
  readonly managed: number;
  /** Snapshots of other tools and people, owned by the account. */
  readonly unmanaged: number;
  /** Managed snapshots under a lock in force. */
  readonly locked: number;
  /** Managed snapshots in the archive tier (the oldest ones). */
  readonly archived: number;
  readonly now: number;
}

export interface P5Fleet {
  readonly inventory: Inventory;
  readonly policies: readonly Policy[];
}

const DAY = 86_400_000;
/** The generated fleet's share of snapshots that belong to the policies (the rest: by hand, foreign). */
const MANAGED_SHARE = 0.95;

/** Builds the fleet; see the module comment. */
export function generateP5Fleet(options: P5FleetOptions): P5Fleet {
  const generated = generateFleet({
    instances: options.instances,
    volumes: options.volumes,
    snapshots: Math.ceil(options.managed / MANAGED_SHARE),
    now: options.now,
    seed: 42,
  });
  const ids = new Set(generated.policies.map((p) => p.id));
  const managed = generated.inventory.snapshots.filter((s) => ids.has(s.tags[TAG.policy] ?? ''));
  if (managed.length < options.managed) throw new Error(`only ${managed.length} managed snapshots generated`);
  managed.length = options.managed;
  markLockedAndArchived(managed, options);
  const { inventory } = generated;
  const others = otherTools(options, inventory);
  return { inventory: { ...inventory, snapshots: [...managed, ...others] }, policies: generated.policies };
}

/** Every k-th snapshot from the newest is locked; the oldest ones are archived a month after they started. */
function markLockedAndArchived(snapshots: Snapshot[], options: P5FleetOptions): void {
  const n = snapshots.length;
  const lockStep = Math.max(1, Math.floor(n / Math.max(1, options.locked)));
  for (let i = 0, made = 0; i < n && made < options.locked; i += lockStep, made++) {
    snapshots[i] = { ...snapshots[i]!, locked: true };
  }
  for (let k = 0; k < Math.min(options.archived, n); k++) {
    const s = snapshots[n - 1 - k]!;
    snapshots[n - 1 - k] = { ...s, storageTier: 'archive', archivedAt: s.startTime + 30 * DAY };
  }
}

/** Snapshots AWS Backup, DLM and people made: no `ebs-snapper:policy` tag. */
function otherTools(options: P5FleetOptions, inventory: Inventory): Snapshot[] {
  const { volumes, account } = inventory;
  const out: Snapshot[] = new Array(options.unmanaged);
  for (let k = 0; k < options.unmanaged; k++) {
    const volume = volumes[k % volumes.length]!;
    const kind = k % 10;
    const tags =
      kind < 6
        ? { 'aws:backup:source-resource': `arn:aws:ec2:${inventory.region}:${account}:volume/${volume.id}` }
        : kind < 9
          ? {
              'aws:dlm:lifecycle-policy-id': 'policy-0f3a9d1b2c4e5f607',
              'aws:dlm:lifecycle-schedule-name': 'daily',
            }
          : { Name: `by-hand-${k}` };
    out[k] = {
      id: snapshotId(`snap-${hex(20_000_000 + k, 17)}`),
      volumeId: volume.id,
      ownerId: account,
      state: 'completed',
      startTime: options.now - (k % 400) * DAY - (k % 1440) * 60_000,
      tags,
      sizeGiB: volume.sizeGiB,
    };
  }
  return out;
}
