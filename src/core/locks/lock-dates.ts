/**
 * When a snapshot's lock ends (SPEC §14): `until: expiry` at its `ebs-snapper:expires-at` — the
 * time its `max_age` passes, so the lock holds exactly as long as retention keeps it for its age —
 * or `until: <duration>` that long after its creation.
 */
import type { LockIntent } from '../actions.js';
import { type Snapshot, TAG } from '../model.js';
import type { LockRule, Retention } from '../policy/types.js';

const DAY = 86_400_000;

/** EC2 locks a snapshot for at least a day... */
export const LOCK_MINIMUM_MS = DAY;
/** ...and at most 36,500 days. */
export const LOCK_MAXIMUM_MS = 36_500 * DAY;

/**
 * The lock of a snapshot made at `now`: until `now` + the rule's duration, or + `max_age` (the
 * same instant as the snapshot's `expires-at` tag). Undefined without either (the policy parser
 * refuses such a rule).
 *
 * @example lockForNew({ mode: 'compliance' }, { maxAgeMs: 7 * DAY, ... }, now) // { mode: 'compliance', until: <now + 7 days> }
 */
export function lockForNew(rule: LockRule, retention: Retention, now: number): LockIntent | undefined {
  const length = rule.durationMs ?? retention.maxAgeMs;
  if (length === undefined) return undefined;
  return intent(rule, now + length);
}

/**
 * When the lock of an existing snapshot should end: its creation + the duration, or its
 * `expires-at` tag (its start + `max_age` when the tag is missing or not a time).
 *
 * @example lockEndOf({ mode: 'governance', durationMs: 30 * DAY }, retention, snapshot) // snapshot.startTime + 30 days
 */
export function lockEndOf(
  rule: LockRule,
  retention: Retention,
  snapshot: Pick<Snapshot, 'startTime' | 'tags'>,
): number | undefined {
  if (rule.durationMs !== undefined) return snapshot.startTime + rule.durationMs;
  const tagged = Date.parse(snapshot.tags[TAG.expiresAt] ?? '');
  if (Number.isFinite(tagged)) return tagged;
  return retention.maxAgeMs === undefined ? undefined : snapshot.startTime + retention.maxAgeMs;
}

/** The LockSnapshot request for a lock ending at `until` (epoch ms). */
export function intent(rule: LockRule, until: number): LockIntent {
  return {
    mode: rule.mode,
    until: new Date(until).toISOString(),
    ...(rule.coolOffHours === undefined ? {} : { coolOffHours: rule.coolOffHours }),
  };
}

/**
 * Whether a lock ending at `until` is still worth asking for at `now`: EC2 locks for a day at
 * least, so a snapshot whose lock would end sooner is left as it is (it goes at its expiry anyway).
 */
export const stillLockable = (until: number, now: number): boolean => until - now >= LOCK_MINIMUM_MS;
