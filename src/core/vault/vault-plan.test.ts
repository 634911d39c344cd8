import { describe, expect, it } from 'vitest';
import { ACCOUNT, daily, fleet, REGION, series } from '../../../test/support/builders/fleet.js';
import { HOUR, policy } from '../../../test/support/builders/policy.js';
import type { CopyAction, Plan, UnshareAction } from '../actions.js';
import { type Inventory, TAG, type VaultDestination } from '../model.js';
import { planSnapshots } from '../plan.js';
import type { Policy, VaultTarget } from '../policy/types.js';

const now = Date.parse('2024-05-10T12:00:00Z');
const VAULT = '999988887777';
const select = { instances: { 'tag:Role': 'web' } };
const vaultRetention = policy({ id: 'x', select, retention: { minimum: 2, maxAge: '30d' } }).retention;
const target: VaultTarget = {
  account: VAULT,
  roleName: 'ebs-snapper-member',
  retention: vaultRetention,
  lock: { mode: 'compliance' },
};
const web: Policy = {
  ...policy({ id: 'web', select, every: '1d', retention: { minimum: 2, maxAge: '7d' } }),
  vaultTo: [target],
};

/** One web volume with three completed daily snapshots, the newest two hours old (not due). */
const source = () =>
  fleet()
    .instance('web-1', { tags: { Role: 'web' } })
    .volume({ id: 'vol-a' })
    .snapshots(series('web', daily(3, { from: now - 2 * HOUR })))
    .build();

const listed = (extra: Partial<VaultDestination> = {}): VaultDestination => ({
  account: VAULT,
  region: REGION,
  copies: {},
  inFlight: 0,
  ...extra,
});

const plan = (inventory: Inventory, policies: readonly Policy[] = [web]): Plan =>
  planSnapshots(inventory, policies, { now, runId: 'run-1' });
const copiesIn = (p: Plan) => p.actions.filter((a): a is CopyAction => a.action === 'copy');
const unsharesIn = (p: Plan) => p.actions.filter((a): a is UnshareAction => a.action === 'unshare');

describe('planSnapshots: vault copies (SPEC §14)', () => {
  it('copies the newest completed snapshot to the vault, made by it, tagged with its source account and locked', () => {
    // Prepare
    const inventory = { ...source(), vaultDestinations: [listed()] };
    const newest = inventory.snapshots.reduce((a, b) => (a.startTime > b.startTime ? a : b));

    // Act
    const [copy, ...others] = copiesIn(plan(inventory));

    // Assess
    expect(others).toEqual([]);
    expect(copy).toMatchObject({
      action: 'copy',
      account: ACCOUNT,
      region: REGION,
      sourceRegion: REGION,
      snapshotId: newest.id,
      vault: { account: VAULT, roleName: 'ebs-snapper-member' },
      lock: { mode: 'compliance', until: new Date(now + 30 * 86_400_000).toISOString() },
      reason: { code: 'due.copy' },
    });
    expect(copy?.tags).toMatchObject({
      [TAG.sourceAccount]: ACCOUNT,
      [TAG.sourceSnapshotId]: newest.id,
      [TAG.sourceRegion]: REGION,
      [TAG.policy]: 'web',
      [TAG.volumeId]: 'vol-a',
    });
  });

  it('copies nothing already copied or in flight, again what failed, and nothing where the copies could not be listed', () => {
    // Prepare
    const base = source();
    const newest = base.snapshots.reduce((a, b) => (a.startTime > b.startTime ? a : b)).id;

    // Act
    const pending = copiesIn(
      plan({ ...base, vaultDestinations: [listed({ copies: { [newest]: 'pending' } })] }),
    );
    const done = copiesIn(
      plan({ ...base, vaultDestinations: [listed({ copies: { [newest]: 'completed' } })] }),
    );
    const failed = copiesIn(
      plan({ ...base, vaultDestinations: [listed({ copies: { [newest]: 'error' } })] }),
    );
    const unlisted = plan({
      ...base,
      vaultDestinations: [listed({ error: 'DescribeSnapshots: AccessDenied' })],
    });
    const full = plan({ ...base, vaultDestinations: [listed({ inFlight: 20 })] });

    // Assess
    expect(pending).toEqual([]);
    expect(done).toEqual([]);
    expect(failed.map((c) => c.snapshotId)).toEqual([newest]);
    expect(copiesIn(unlisted)).toEqual([]);
    expect(unlisted.vaultsHeld).toEqual([`${VAULT}/${REGION} (DescribeSnapshots: AccessDenied)`]);
    expect(unlisted.warnings.map((w) => w.code)).toContain('plan.vaults-held');
    expect(copiesIn(full)).toEqual([]);
    expect(full.actions.some((a) => a.reason.code === 'copy.limit')).toBe(true);
  });

  it('takes a share back once its copy has completed or failed, or none is made, never while it is pending', () => {
    // Prepare
    const base = source();
    const [a, b, c] = base.snapshots.map((s) => s.id);
    const inventory = {
      ...base,
      vaultDestinations: [listed({ copies: { [a!]: 'completed', [b!]: 'pending', [c!]: 'error' } })],
      vaultShares: [{ account: VAULT, snapshotIds: [a!, b!, c!] }],
    };

    // Act
    const unshares = unsharesIn(plan(inventory));

    // Assess
    expect(unshares.map((u) => [u.snapshotId, u.reason.code]).sort()).toEqual(
      [
        [a, 'share.copy-completed'],
        [c, 'share.copy-failed'],
      ].sort(),
    );
    expect(unshares.every((u) => u.vault.account === VAULT)).toBe(true);
  });

  it('leaves every share alone when the vault’s shares or copies could not be listed', () => {
    // Prepare
    const base = source();
    const ids = base.snapshots.map((s) => s.id);
    const inventory = {
      ...base,
      vaultDestinations: [listed({ error: 'DescribeSnapshots: AccessDenied' })],
      vaultShares: [{ account: VAULT, snapshotIds: ids }],
    };

    // Act
    const result = plan(inventory);

    // Assess
    expect(unsharesIn(result)).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toContain('plan.shares-held');
  });
});

describe('planSnapshots in the vault account: vault copy series (SPEC §14)', () => {
  /** Vault copies of one source volume in the vault account, made daily. */
  const vaultInventory = (count: number) =>
    fleet({ account: VAULT })
      .volume({ id: 'vol-tmp' })
      .snapshots(
        series('web', daily(count, { from: now - HOUR }), {
          volumeId: 'vol-ffffffff',
          tags: {
            [TAG.volumeId]: 'vol-src',
            [TAG.sourceAccount]: ACCOUNT,
            [TAG.sourceRegion]: REGION,
            [TAG.sourceSnapshotId]: 'snap-src',
          },
        }),
      )
      .build();

  it('keeps and deletes vault copies by their target’s retention, never as orphans of a gone source', () => {
    // Prepare: 40 daily copies; the target keeps 30 days (and at least 2)
    const inventory = vaultInventory(40);

    // Act
    const result = planSnapshots(inventory, [web], { now, runId: 'r', copiesOnly: true });

    // Assess
    const deletes = result.actions.filter((a) => a.action === 'delete');
    const keeps = result.actions.filter((a) => a.action === 'keep');
    expect(deletes).toHaveLength(10);
    expect(keeps).toHaveLength(30);
    expect(deletes.every((d) => d.reason.code === 'retention.expired')).toBe(true);
  });

  it('keeps every copy whole when no copy_to entry sends copies there any more', () => {
    // Prepare
    const inventory = vaultInventory(40);
    const without: Policy = { ...web, vaultTo: [] };

    // Act
    const result = planSnapshots(inventory, [without], { now, runId: 'r', copiesOnly: true });

    // Assess
    expect(result.actions.filter((a) => a.action === 'delete')).toEqual([]);
    expect(
      result.actions.filter((a) => a.action === 'keep').every((k) => k.reason.code === 'protected.unmanaged'),
    ).toBe(true);
  });
});
