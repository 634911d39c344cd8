/**
 * Before retrying a create that failed with a 5xx or a timeout, the apply step looks for the
 * snapshot this run may already have made (SPEC §7: retries never duplicate). When many creates
 * fail at once, one `findRunSnapshots` call per policy answers all of them: a lookup that started
 * after a failure was observed can see what that failed call did, so it may be shared.
 */
import { type Snapshot, TAG, type VolumeId } from '../../core/model.js';
import type { Ec2Port } from '../kit/ports.js';

interface Entry {
  readonly startedAt: number;
  readonly snapshots: Promise<readonly Snapshot[]>;
}

/** Shared `findRunSnapshots` lookups of one apply, ordered by a logical clock. */
export class RunSnapshotLookup {
  private tick = 0;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ec2: Ec2Port,
    private readonly runId: string,
  ) {}

  /** Note that a create failed now; pass the returned mark to `find`. */
  markFailure(): number {
    this.tick += 1;
    return this.tick;
  }

  /** The run's snapshots of `policy`, from a lookup that started after the failure `mark`. */
  find(policy: string, mark: number): Promise<readonly Snapshot[]> {
    const cached = this.entries.get(policy);
    if (cached !== undefined && cached.startedAt > mark) return cached.snapshots;
    this.tick += 1;
    const snapshots = this.ec2.findRunSnapshots(this.runId, policy);
    this.entries.set(policy, { startedAt: this.tick, snapshots });
    // A failed lookup is not cached: the next retry asks again.
    snapshots.catch(() => {
      if (this.entries.get(policy)?.snapshots === snapshots) this.entries.delete(policy);
    });
    return snapshots;
  }
}

/** The snapshot (not in error) of `volumeId` among a run's snapshots, if there is one. */
export function findSnapshotOf(snapshots: readonly Snapshot[], volumeId: VolumeId): Snapshot | undefined {
  return snapshots.find(
    (s) => s.state !== 'error' && (s.volumeId === volumeId || s.tags[TAG.volumeId] === volumeId),
  );
}
