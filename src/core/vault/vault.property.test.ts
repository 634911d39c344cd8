import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, policy } from '../../../test/support/builders/policy.js';
import type { CopyAction } from '../actions.js';
import { type Inventory, type Snapshot, snapshotId, TAG, type VaultDestination, volumeId } from '../model.js';
import { planSnapshots } from '../plan.js';
import type { Policy, VaultTarget } from '../policy/types.js';

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) };
const SOURCE = '111122223333';
const VAULT = '999988887777';
const REGIONS = ['eu-west-1', 'us-east-1'] as const;
const START = Date.parse('2025-01-01T00:00:00Z');

const worldArb = fc.record({
  volumes: fc.integer({ min: 1, max: 4 }),
  sourceRegion: fc.constantFrom(...REGIONS),
  targetRegion: fc.option(fc.constantFrom(...REGIONS), { nil: undefined }),
  minimum: fc.integer({ min: 0, max: 3 }),
  maxAgeDays: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  days: fc.integer({ min: 1, max: 25 }),
  goneAfter: fc.integer({ min: 0, max: 25 }),
});

describe('vault copies: properties', () => {
  it('every vault copy has a series in the vault, judged by its target’s retention, never as an orphan', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        // Prepare: a source region snapshotted daily, copied to the vault; its volumes go away after a while.
        const target: VaultTarget = {
          account: VAULT,
          ...(w.targetRegion === undefined ? {} : { region: w.targetRegion }),
          roleName: 'ebs-snapper-member',
          retention: {
            ...(w.maxAgeDays === undefined ? {} : { maxAgeMs: w.maxAgeDays * DAY }),
            minimum: Math.max(w.minimum, w.maxAgeDays === undefined ? 1 : 0),
            keepDaily: 0,
            keepWeekly: 0,
            keepMonthly: 0,
            keepYearly: 0,
            orphaned: { kind: 'keep' },
          },
        };
        const base = policy({
          id: 'db',
          select: { volumes: { 'tag:Backup': 'db' } },
          every: DAY,
          retention: { minimum: 1, maxAge: DAY },
        });
        const db: Policy = { ...base, vaultTo: [target] };
        const vaultRegion = w.targetRegion ?? w.sourceRegion;
        let source: Snapshot[] = [];
        let vault: Snapshot[] = [];
        let serial = 0;
        for (let day = 0; day < w.days; day++) {
          const now = START + day * DAY;
          const volumes = Array.from({ length: day < w.goneAfter ? w.volumes : 0 }, (_, i) => ({
            id: volumeId(`vol-${i}`),
            tags: { Backup: 'db' },
            type: 'gp3',
            sizeGiB: 1,
            attachments: [],
          }));
          const copies: VaultDestination = {
            account: VAULT,
            region: vaultRegion,
            copies: Object.fromEntries(
              vault.map((s) => [s.tags[TAG.sourceSnapshotId]!, 'completed' as const]),
            ),
            inFlight: 0,
          };
          const inventory: Inventory = {
            account: SOURCE,
            region: w.sourceRegion,
            instances: [],
            volumes,
            snapshots: source,
            images: [],
            vaultDestinations: [copies],
          };
          const plan = planSnapshots(inventory, [db], { now, runId: `run-${day}` });
          const deleted = new Set(plan.actions.flatMap((a) => (a.action === 'delete' ? [a.snapshotId] : [])));
          source = source.filter((s) => !deleted.has(s.id));
          for (const a of plan.actions) {
            if (a.action === 'create')
              source.push({
                id: snapshotId(`snap-${++serial}`),
                volumeId: a.volumeId,
                ownerId: SOURCE,
                state: 'completed',
                startTime: now,
                tags: a.tags,
              });
            if (a.action === 'copy' && a.vault?.account === VAULT)
              vault.push(copyOf(a, `snap-v${++serial}`, now));
          }
          // The vault's own plan (copies-only, through its role).
          const inVault: Inventory = {
            account: VAULT,
            region: vaultRegion,
            instances: [],
            volumes: [],
            snapshots: vault,
            images: [],
          };
          const vaultPlan = planSnapshots(inVault, [db], { now, runId: `run-${day}`, copiesOnly: true });

          // Assess
          for (const copy of vault) {
            const judged = vaultPlan.actions.filter(
              (a) =>
                'snapshotId' in a &&
                a.snapshotId === copy.id &&
                (a.action === 'keep' || a.action === 'delete'),
            );
            expect(judged).toHaveLength(1);
            expect(judged[0]!.policy).toBe('db');
            expect(judged[0]!.reason.code).not.toBe('protected.unmanaged');
            expect(judged[0]!.reason.code).not.toBe('retention.orphan-expired');
          }
          const gone = new Set(
            vaultPlan.actions.flatMap((a) => (a.action === 'delete' ? [a.snapshotId] : [])),
          );
          vault = vault.filter((s) => !gone.has(s.id));
        }
      }),
      RUNS,
    );
  });
});

/** What CopySnapshot, called as the vault, makes of a copy action. */
function copyOf(action: CopyAction, id: string, now: number): Snapshot {
  return {
    id: snapshotId(id),
    volumeId: volumeId('vol-ffffffff'),
    ownerId: VAULT,
    state: 'completed',
    startTime: now,
    tags: action.tags,
  };
}
