/**
 * DescribeLockedSnapshots for the fault proxy: moto does not implement it (it answers 500), so
 * the proxy answers it itself from the locks it was configured with, paged by MaxResults.
 */

import { readList } from '../fakes/fake-ec2-filters.js';
import { ec2Response, escapeXml } from '../fakes/fake-ec2-xml.js';

/** A snapshot lock the proxy reports; `lockState` defaults to `governance` (in force). */
export interface LockedSnapshotConfig {
  readonly snapshotId: string;
  readonly lockState?: 'compliance-cooloff' | 'governance' | 'compliance' | 'expired';
  /** Default moto's account, 123456789012. */
  readonly ownerId?: string;
}

const ACTION = 'DescribeLockedSnapshots';

/**
 * The answer to a DescribeLockedSnapshots request: the configured locks that pass its
 * `lock-state` filter and `SnapshotId.N` list, one page of MaxResults (NextToken is the offset).
 *
 * @example answerLockedSnapshots(params, [{ snapshotId: 'snap-1' }])
 */
export function answerLockedSnapshots(
  params: URLSearchParams,
  locks: readonly LockedSnapshotConfig[],
): string {
  const states = lockStatesAsked(params);
  const ids = readList(params, 'SnapshotId');
  const selected = locks.filter(
    (lock) =>
      (states === undefined || states.includes(lock.lockState ?? 'governance')) &&
      (ids.length === 0 || ids.includes(lock.snapshotId)),
  );
  const offset = Number(params.get('NextToken') ?? '0') || 0;
  const size = Number(params.get('MaxResults') ?? '1000') || 1000;
  const page = selected.slice(offset, offset + size);
  const items = page.map(writeLock).join('');
  const next = offset + size < selected.length ? `<nextToken>${offset + size}</nextToken>` : '';
  return ec2Response(
    ACTION,
    `${items === '' ? '<snapshotSet/>' : `<snapshotSet>${items}</snapshotSet>`}${next}`,
  );
}

function lockStatesAsked(params: URLSearchParams): string[] | undefined {
  for (let n = 1; params.has(`Filter.${n}.Name`); n++) {
    if (params.get(`Filter.${n}.Name`) === 'lock-state') return readList(params, `Filter.${n}.Value`);
  }
  return undefined;
}

function writeLock(lock: LockedSnapshotConfig): string {
  return (
    `<item><ownerId>${lock.ownerId ?? '123456789012'}</ownerId><snapshotId>${escapeXml(lock.snapshotId)}</snapshotId>` +
    `<lockState>${lock.lockState ?? 'governance'}</lockState><lockDuration>30</lockDuration></item>`
  );
}
