/**
 * Keep rules (SPEC §4) for one series: which snapshots stay and which go, with a reason each.
 *
 * There is no look-back window: every snapshot of the series is judged on every run. Reasons are
 * shared objects prepared once per policy, so judging a million snapshots allocates nothing per
 * snapshot; the calendar tiers convert times to the policy's time zone through a per-hour
 * cache of UTC offsets instead of formatting dates.
 */
import type { Reason, ReasonCode } from './actions.js';
import { formatDuration } from './policy/durations.js';
import type { Retention } from './policy/types.js';
import { FLAG, type SeriesTable } from './series.js';
import { createOffsetCache } from './time-zone.js';

const DAY = 86_400_000;

type TierName = 'daily' | 'weekly' | 'monthly' | 'yearly';
interface Tier {
  readonly count: number;
  readonly key: (localDay: number) => number;
  readonly reason: Reason;
}

/** A policy's retention prepared for one `now`. */
export interface RetentionRules {
  readonly retention: Retention;
  readonly now: number;
  readonly tiers: readonly Tier[];
  /** UTC offset (ms) of the policy's time zone at an instant. */
  readonly offsetAt: (time: number) => number;
  readonly reasons: {
    readonly minimum: Reason;
    readonly maxAge: Reason;
    readonly expired: Reason;
    readonly error: Reason;
    readonly orphanExpired: Reason;
    readonly locked: Reason;
    readonly pending: Reason;
    readonly future: Reason;
    readonly schedule: Reason;
  };
}

/** Reason codes that mean "delete this snapshot". */
export const DELETE_CODES: ReadonlySet<ReasonCode> = new Set([
  'retention.expired',
  'retention.error',
  'retention.orphan-expired',
]);

/**
 * Prepare retention rules. `timeZone` is the zone calendar tiers count days in (UTC for `every`).
 *
 * @example prepareRetention({ minimum: 5, maxAgeMs: 14 * DAY, ... }, 'UTC', now)
 */
export function prepareRetention(retention: Retention, timeZone: string, now: number): RetentionRules {
  const zone = timeZone === 'UTC' || timeZone === 'Etc/UTC' ? '' : ` (${timeZone})`;
  const tierReason = (name: TierName, count: number, unit: string): Reason => ({
    code: `retention.tier.${name}`,
    message: `newest of its ${unit}${zone}, one of the last ${count} ${unit}s that have a snapshot`,
  });
  const candidates: [TierName, number, string, (day: number) => number][] = [
    ['daily', retention.keepDaily, 'day', (day) => day],
    ['weekly', retention.keepWeekly, 'week', isoWeekOf],
    ['monthly', retention.keepMonthly, 'month', monthOf],
    ['yearly', retention.keepYearly, 'year', yearOf],
  ];
  const tiers = candidates
    .filter(([, count]) => count > 0)
    .map(([name, count, unit, key]) => ({ count, key, reason: tierReason(name, count, unit) }));
  const orphaned = retention.orphaned;
  return {
    retention,
    now,
    tiers,
    offsetAt: tiers.length > 0 && zone !== '' ? createOffsetCache(timeZone) : () => 0,
    reasons: {
      minimum: { code: 'retention.minimum', message: `among the newest ${retention.minimum} completed` },
      maxAge: { code: 'retention.max-age', message: `younger than max_age ${maxAgeText(retention)}` },
      expired: { code: 'retention.expired', message: describeExpired(retention) },
      error: { code: 'retention.error', message: 'snapshot failed (state error); never counted' },
      orphanExpired: {
        code: 'retention.orphan-expired',
        message: `source volume is gone and the snapshot is older than ${orphaned.kind === 'expire-after' ? formatDuration(orphaned.afterMs) : '-'}`,
      },
      locked: { code: 'protected.locked', message: 'snapshot lock in force' },
      pending: { code: 'protected.pending', message: 'snapshot is not completed yet; never counted' },
      schedule: {
        code: 'retention.schedule',
        message: 'the snapshot the schedule counts on until the series is next due',
      },
      future: {
        code: 'protected.future',
        message: `started after now (${new Date(now).toISOString()}): a plan for an earlier time never deletes it; not counted`,
      },
    },
  };
}

const maxAgeText = (r: Retention): string => (r.maxAgeMs === undefined ? '-' : formatDuration(r.maxAgeMs));

function describeExpired(r: Retention): string {
  const parts = [`not among the newest ${r.minimum}`];
  if (r.maxAgeMs !== undefined) parts.push(`older than max_age ${formatDuration(r.maxAgeMs)}`);
  if (r.keepDaily + r.keepWeekly + r.keepMonthly + r.keepYearly > 0) parts.push('kept by no calendar tier');
  return parts.join(', ');
}

/** Protections that win over every retention rule, by snapshot id. */
export interface Protections {
  /** Snapshot id → a reason naming the AMI that references it. */
  readonly ami: ReadonlyMap<string, Reason>;
  /** Snapshot id → why an archived snapshot stays (its 90 days in the archive have not passed). */
  readonly archive?: ReadonlyMap<string, Reason>;
}

/**
 * Judge series `k` of the table, already sorted oldest first: `out[j]` receives the reason for
 * the series' j-th snapshot (a `DELETE_CODES` reason means delete). `orphan`: the volume is gone.
 *
 * AMI-backed, locked and recently archived snapshots are completed snapshots of the series that
 * stay whatever retention says, so they count toward `minimum` and the calendar tiers like any
 * kept snapshot; their reason is always the protection (`protected.ami`, `protected.locked`,
 * `protected.archive-minimum`, in that order). Pending and error snapshots never
 * count: a series is never left with fewer than `minimum` snapshots that actually completed.
 * Snapshots that started after `now` are kept (`protected.future`) and do not count either, so a
 * plan for an earlier time keeps at least what a plan at that time would have kept.
 */
export function decideRetention(
  rules: RetentionRules,
  table: SeriesTable,
  k: number,
  protections: Protections,
  orphan: boolean,
  out: Reason[],
): void {
  const { retention, reasons, now } = rules;
  const { ids, start, flags } = table;
  const from = table.bounds[k]!;
  const youngerThan = retention.maxAgeMs === undefined ? Number.POSITIVE_INFINITY : now - retention.maxAgeMs;
  const orphaned = retention.orphaned;
  const expireBefore =
    orphan && orphaned.kind === 'expire-after' ? now - orphaned.afterMs : Number.NEGATIVE_INFINITY;
  const tiers = rules.tiers.length > 0 ? new TierState(rules) : undefined;
  let completed = 0;
  for (let p = table.bounds[k + 1]! - 1; p >= from; p--) {
    const f = flags[p]!;
    const t = start[p]!;
    // A clock behind, or --now in the past: what started later does not exist yet for this plan.
    if (t > now) {
      out[p - from] = reasons.future;
      continue;
    }
    const protection = f & PROTECTED ? protectionOf(f, ids[p]!, protections, reasons.locked) : undefined;
    const state = f & FLAG.stateMask;
    if (state !== FLAG.completed) {
      out[p - from] = protection ?? (state === FLAG.error ? reasons.error : reasons.pending);
      continue;
    }
    let reason: Reason | undefined;
    if (completed < retention.minimum) reason = reasons.minimum;
    completed++;
    if (reason === undefined && t > youngerThan) reason = reasons.maxAge;
    if (tiers !== undefined) reason = tiers.visit(t, reason);
    if (t < expireBefore) reason = reasons.orphanExpired;
    out[p - from] = protection ?? reason ?? reasons.expired;
  }
}

const PROTECTED = FLAG.ami | FLAG.locked | FLAG.archive;

function protectionOf(
  flags: number,
  id: string,
  protections: Protections,
  locked: Reason,
): Reason | undefined {
  if (flags & FLAG.ami) return protections.ami.get(id);
  if (flags & FLAG.locked) return locked;
  return protections.archive?.get(id);
}

/**
 * restic's calendar tiers over one series, visited newest first: a snapshot is kept by a tier
 * when it is the first (newest) seen in a period, until the tier has kept its N periods. A
 * tier that is used up costs nothing more, so old snapshots need no calendar arithmetic.
 */
class TierState {
  private readonly tiers: readonly Tier[];
  private readonly remaining: number[];
  private readonly lastKeys: number[];
  private active: number;

  constructor(private readonly rules: RetentionRules) {
    this.tiers = rules.tiers;
    this.remaining = rules.tiers.map((t) => t.count);
    this.lastKeys = rules.tiers.map(() => Number.NaN);
    this.active = rules.tiers.length;
  }

  visit(startTime: number, reason: Reason | undefined): Reason | undefined {
    if (this.active === 0) return reason;
    const day = Math.floor((startTime + this.rules.offsetAt(startTime)) / DAY);
    let kept = reason;
    for (let t = 0; t < this.tiers.length; t++) {
      if (this.remaining[t] === 0) continue;
      const tier = this.tiers[t]!;
      const key = tier.key(day);
      if (key === this.lastKeys[t]) continue;
      this.lastKeys[t] = key;
      if (--this.remaining[t]! === 0) this.active--;
      kept ??= tier.reason;
    }
    return kept;
  }
}

/** ISO weeks start on Monday; day 0 (1970-01-01) was a Thursday. */
const isoWeekOf = (day: number): number => Math.floor((day + 3) / 7);

/** Months since year 0: `year * 12 + month - 1`. */
const monthOf = (day: number): number => monthsFromDays(day);

const yearOf = (day: number): number => Math.floor(monthsFromDays(day) / 12);

/** Proleptic Gregorian `year * 12 + month - 1` of a day number (H. Hinnant's civil_from_days). */
function monthsFromDays(days: number): number {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return (yoe + era * 400 + (month <= 2 ? 1 : 0)) * 12 + month - 1;
}
