/**
 * EBS snapshot locks for the fault proxy (moto implements none of them): LockSnapshot records a
 * lock in EC2's shape (mode, expiration date or duration, compliance cool-off), the proxy's
 * DescribeLockedSnapshots reports it — `compliance-cooloff` during the cool-off, then `compliance`
 * or `governance`, `expired` once its date has passed (by the emulation's clock) — and a
 * DeleteSnapshot of a snapshot under a lock in force is refused (`SnapshotLocked`) instead of
 * reaching moto. Locks are per account, as snapshots are.
 */
import { randomUUID } from 'node:crypto';
import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { ec2ErrorBody, ec2Response } from '../fakes/fake-ec2-xml.js';
import type { Callers } from './caller.js';
import type { EmulatedAnswer, Emulation } from './faults.js';
import { answerLockedSnapshots, type LockedSnapshotConfig } from './locked-snapshots.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A lock the emulation holds. */
export interface EmulatedLock {
  readonly snapshotId: string;
  readonly ownerId: string;
  readonly mode: 'governance' | 'compliance';
  readonly createdOn: Date;
  readonly expiresOn: Date;
  readonly coolOffHours?: number;
}

export interface SnapshotLockEmulator extends Emulation {
  /** The locks made so far (the last per snapshot). */
  locks(): readonly EmulatedLock[];
}

const ACTIONS = new Set(['LockSnapshot', 'DescribeLockedSnapshots', 'DeleteSnapshot']);

/**
 * @param now the emulation's clock (a test that plans ahead of time moves it)
 * @example proxy.configure({ emulations: [createSnapshotLockEmulator(createCallers(moto.endpoint))] })
 */
export function createSnapshotLockEmulator(
  callers: Callers,
  now: () => Date = () => new Date(),
): SnapshotLockEmulator {
  const held = new Map<string, EmulatedLock>();
  const stateOf = (lock: EmulatedLock): NonNullable<LockedSnapshotConfig['lockState']> => {
    const at = now().getTime();
    if (at >= lock.expiresOn.getTime()) return 'expired';
    if (lock.mode === 'governance') return 'governance';
    const coolOffEnds = lock.createdOn.getTime() + (lock.coolOffHours ?? 0) * HOUR;
    return at < coolOffEnds ? 'compliance-cooloff' : 'compliance';
  };
  return {
    answers: (service, action) => service === 'ec2' && ACTIONS.has(action),
    locks: () => [...held.values()],
    async answer(request) {
      const account = await callers.accountOf(request.headers);
      const id = request.params.get('SnapshotId') ?? '';
      if (request.action === 'DescribeLockedSnapshots') {
        const configs = [...held.values()]
          .filter((l) => l.ownerId === account)
          .map((l) => ({ snapshotId: l.snapshotId, ownerId: l.ownerId, lockState: stateOf(l) }));
        return xml(200, answerLockedSnapshots(request.params, configs));
      }
      const lock = held.get(id);
      const inForce = lock !== undefined && lock.ownerId === account && stateOf(lock) !== 'expired';
      if (request.action === 'DeleteSnapshot') {
        return inForce
          ? xml(400, ec2ErrorBody('SnapshotLocked', `The snapshot '${id}' is locked and cannot be deleted.`))
          : undefined;
      }
      const ec2 = await callers.ec2As(account, callers.regionOf(request.headers));
      const found = await ec2
        .send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))
        .catch(() => undefined);
      if (found?.Snapshots?.[0]?.OwnerId !== account)
        return xml(400, ec2ErrorBody('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`));
      return lockSnapshot(request.params, id, account, inForce ? lock : undefined);
    },
  };

  function lockSnapshot(
    params: URLSearchParams,
    id: string,
    account: string,
    current: EmulatedLock | undefined,
  ): EmulatedAnswer {
    const mode = params.get('LockMode') === 'compliance' ? 'compliance' : 'governance';
    const created = now();
    const date = params.get('ExpirationDate');
    const days = Number(params.get('LockDuration') ?? Number.NaN);
    const expiresOn = date !== null ? new Date(date) : new Date(created.getTime() + days * DAY);
    if (Number.isNaN(expiresOn.getTime()) || expiresOn.getTime() <= created.getTime())
      return xml(400, ec2ErrorBody('InvalidParameterValue', 'The lock must expire in the future.'));
    if (current !== undefined && stateOf(current) === 'compliance' && expiresOn < current.expiresOn)
      return xml(400, ec2ErrorBody('InvalidParameterValue', 'A compliance lock can only be extended.'));
    const coolOff = params.get('CoolOffPeriod');
    const lock: EmulatedLock = {
      snapshotId: id,
      ownerId: account,
      mode,
      createdOn: created,
      expiresOn,
      ...(coolOff === null ? {} : { coolOffHours: Number(coolOff) }),
    };
    held.set(id, lock);
    const duration = Math.ceil((expiresOn.getTime() - created.getTime()) / DAY);
    return xml(
      200,
      ec2Response(
        'LockSnapshot',
        `<snapshotId>${id}</snapshotId><lockState>${stateOf(lock)}</lockState><lockDuration>${duration}</lockDuration>` +
          (coolOff === null ? '' : `<coolOffPeriod>${coolOff}</coolOffPeriod>`) +
          `<lockCreatedOn>${created.toISOString()}</lockCreatedOn><lockExpiresOn>${expiresOn.toISOString()}</lockExpiresOn>` +
          `<lockDurationStartTime>${created.toISOString()}</lockDurationStartTime>`,
      ),
    );
  }
}

function xml(status: number, body: string): EmulatedAnswer {
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': randomUUID() },
    body: Buffer.from(body),
  };
}
