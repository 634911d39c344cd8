/**
 * EBS snapshot locks (SPEC §14) on the AWS SDK: LockSnapshot with an expiration date, in governance
 * or compliance mode (with the compliance cool-off), in the snapshot's own region.
 */
import { type EC2Client, LockSnapshotCommand } from '@aws-sdk/client-ec2';
import type { LockIntent } from '../core/actions.js';
import type { SnapshotId } from '../core/model.js';
import { callAws } from './errors.js';

/**
 * Lock one snapshot until `lock.until`. EC2 accepts a `pending` snapshot (the lock's clock starts
 * when it completes) and cancels the lock if its creation fails.
 *
 * @example await lockSnapshot(clients.ec2, 'snap-1', { mode: 'compliance', until: '2027-01-01T00:00:00.000Z' })
 */
export async function lockSnapshot(ec2: EC2Client, id: SnapshotId, lock: LockIntent): Promise<void> {
  await callAws('LockSnapshot', () =>
    ec2.send(
      new LockSnapshotCommand({
        SnapshotId: id,
        LockMode: lock.mode,
        ExpirationDate: new Date(lock.until),
        ...(lock.coolOffHours === undefined ? {} : { CoolOffPeriod: lock.coolOffHours }),
      }),
    ),
  );
}
