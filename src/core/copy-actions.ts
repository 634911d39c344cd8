/**
 * The copy actions of `copy_to` (SPEC §6a), built the same way for a snapshot the plan found and
 * for one this run created: the tool's tags (the source volume's id, the destination retention's
 * `expires-at`), `ebs-snapper:source-snapshot-id` / `source-region`, then the source's own tags.
 */
import type { CopyAction, CopyIntent, CreateAction, Reason, VaultRef } from './actions.js';
import { lockForNew } from './locks/lock-dates.js';
import { MAX_TAGS, type SnapshotId, TAG, type VolumeId } from './model.js';
import type { CopyTarget } from './policy/types.js';
import { copyableTags, mergeWithinLimit } from './tags.js';

/** Where a `copy_to` target sends a copy made at `now`, with its `expires-at`. */
export function copyIntent(target: CopyTarget, now: number): CopyIntent {
  const { maxAgeMs } = target.retention;
  const lock = target.lock === undefined ? undefined : lockForNew(target.lock, target.retention, now);
  return {
    region: target.region,
    ...(target.kmsKeyId === undefined ? {} : { kmsKeyId: target.kmsKeyId }),
    ...(maxAgeMs === undefined ? {} : { expiresAt: new Date(now + maxAgeMs).toISOString() }),
    ...(lock === undefined ? {} : { lock }),
  };
}

/**
 * The copy of a snapshot this run created, when EC2 reports it `completed` at once: the same copy
 * the next run would plan for it (SPEC §6a, "created this run or earlier").
 *
 * @example const copy = copyOfCreated(create, create.copyTo[0], 'snap-0new', plan.runId);
 */
export function copyOfCreated(
  create: CreateAction,
  intent: CopyIntent,
  source: SnapshotId,
  runId: string,
): CopyAction {
  return buildCopy({
    policy: create.policy,
    account: create.account,
    sourceRegion: create.region,
    intent,
    volumeKey: create.volumeId,
    source,
    sourceTags: create.tags,
    runId,
    reason: {
      code: 'due.copy',
      message: `${source}, created by this run, has no copy in ${intent.region} yet`,
    },
  });
}

export interface CopyParts {
  readonly policy: string;
  readonly account: string;
  readonly sourceRegion: string;
  readonly intent: CopyIntent;
  readonly volumeKey: string;
  readonly source: SnapshotId;
  readonly sourceTags: Readonly<Record<string, string>>;
  readonly runId: string;
  readonly reason: Reason;
  /** A vault copy: made by and for this account (`ebs-snapper:source-account` names the source's). */
  readonly vault?: VaultRef;
}

export function buildCopy(parts: CopyParts): CopyAction {
  const { policy, intent, source, sourceTags, sourceRegion } = parts;
  const tool: Record<string, string> = { [TAG.policy]: policy, [TAG.volumeId]: parts.volumeKey };
  const instance = sourceTags[TAG.instanceId];
  if (instance !== undefined) tool[TAG.instanceId] = instance;
  if (intent.expiresAt !== undefined) tool[TAG.expiresAt] = intent.expiresAt;
  tool[TAG.runId] = parts.runId;
  tool[TAG.sourceSnapshotId] = source;
  tool[TAG.sourceRegion] = sourceRegion;
  if (parts.vault !== undefined) tool[TAG.sourceAccount] = parts.account;
  const { tags } = mergeWithinLimit(tool, [copyableTags(sourceTags)], MAX_TAGS);
  return {
    action: 'copy',
    policy,
    account: parts.account,
    region: intent.region,
    sourceRegion,
    snapshotId: source,
    volumeId: parts.volumeKey as VolumeId,
    tags,
    description: `${policy} copy of ${source} from ${sourceRegion}`,
    ...(intent.kmsKeyId === undefined ? {} : { kmsKeyId: intent.kmsKeyId }),
    ...(intent.lock === undefined ? {} : { lock: intent.lock }),
    ...(parts.vault === undefined ? {} : { vault: parts.vault }),
    reason: parts.reason,
  };
}
