/**
 * Test builders for normalized policies: write what a test is about, get every default filled in
 * as the policy parser would (without importing the parser).
 */
import type {
  DrillSettings,
  Exclusions,
  FilterMap,
  Orphaned,
  Policy,
  Retention,
  Schedule,
  Selection,
  SnapshotSettings,
} from '../../../src/core/policy/types.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Milliseconds, or a short duration: `90m`, `12h`, `14d`, `2w`. */
export type DurationInput = number | string;

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/** Parse a test duration (`12h`, `1d12h`, or milliseconds). */
export function ms(input: DurationInput): number {
  if (typeof input === 'number') return input;
  let total = 0;
  const text = input.replace(/\s+/g, '');
  const parts = [...text.matchAll(/(\d+)([smhdw])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new Error(`test duration "${input}" is not understood`);
  }
  for (const [, count, unit] of parts) total += Number(count) * UNIT_MS[unit!]!;
  return total;
}

/** Filters as tests like to write them: a single value or a list. */
export type LooseFilters = Readonly<Record<string, string | readonly string[]>>;

export interface SelectInput {
  readonly instances?: LooseFilters;
  readonly instanceNames?: readonly string[];
  readonly instanceIds?: readonly string[];
  readonly asg?: readonly string[];
  readonly volumes?: LooseFilters;
  readonly exclude?: Partial<Exclusions>;
}

export interface PolicyInput {
  readonly id: string;
  readonly select: SelectInput;
  /** Interval schedule; give this or `cron`. */
  readonly every?: DurationInput;
  /** 5-field cron; seconds are added for croner. */
  readonly cron?: string;
  readonly timezone?: string;
  readonly tolerance?: DurationInput;
  readonly retention?: Partial<Omit<Retention, 'maxAgeMs' | 'orphaned'>> & {
    readonly maxAge?: DurationInput;
    readonly orphanedExpireAfter?: DurationInput;
  };
  readonly snapshot?: Partial<SnapshotSettings>;
  /** Restore drills; `every` is required, the rest defaults as the parser fills it in. */
  readonly drill?: Partial<Omit<DrillSettings, 'everyMs' | 'timeoutMs'>> & {
    readonly every: DurationInput;
    readonly timeout?: DurationInput;
  };
}

const toFilterMap = (filters: LooseFilters | undefined): FilterMap | undefined => {
  if (filters === undefined) return undefined;
  const out: Record<string, readonly string[]> = {};
  for (const [key, value] of Object.entries(filters)) out[key] = typeof value === 'string' ? [value] : value;
  return out;
};

function buildSelection(input: SelectInput): Selection {
  const instances = toFilterMap(input.instances);
  const volumes = toFilterMap(input.volumes);
  return {
    ...(instances ? { instances } : {}),
    ...(input.instanceNames ? { instanceNames: input.instanceNames } : {}),
    ...(input.instanceIds ? { instanceIds: input.instanceIds } : {}),
    ...(input.asg ? { asg: input.asg } : {}),
    ...(volumes ? { volumes } : {}),
    exclude: { bootVolume: false, volumeIds: [], instanceIds: [], tags: {}, ...input.exclude },
  };
}

function buildSchedule(input: PolicyInput): Schedule {
  const toleranceMs = ms(input.tolerance ?? '5m');
  if (input.cron !== undefined) {
    const pattern = `0 ${input.cron}`;
    return { kind: 'cron', pattern, timezone: input.timezone ?? 'UTC', toleranceMs, source: input.cron };
  }
  const every = input.every ?? '1d';
  return { kind: 'every', everyMs: ms(every), toleranceMs, source: String(every) };
}

/**
 * A normalized policy with defaults: minimum 1, no max_age, no tiers, orphans kept,
 * per-volume snapshots, no copied tags.
 *
 * @example policy({ id: 'web', select: { instances: { 'tag:Role': 'web' } }, every: '12h' })
 */
export function policy(input: PolicyInput): Policy {
  const r = input.retention ?? {};
  const orphaned: Orphaned =
    r.orphanedExpireAfter === undefined
      ? { kind: 'keep' }
      : { kind: 'expire-after', afterMs: ms(r.orphanedExpireAfter) };
  return {
    id: input.id,
    select: buildSelection(input.select),
    schedule: buildSchedule(input),
    retention: {
      ...(r.maxAge !== undefined ? { maxAgeMs: ms(r.maxAge) } : {}),
      minimum: r.minimum ?? 1,
      keepDaily: r.keepDaily ?? 0,
      keepWeekly: r.keepWeekly ?? 0,
      keepMonthly: r.keepMonthly ?? 0,
      keepYearly: r.keepYearly ?? 0,
      orphaned,
    },
    snapshot: {
      consistency: 'volume',
      copyTags: 'none',
      tags: {},
      description: '{policy} {volume_id} from {instance_id}',
      stopInstance: false,
      stopTimeoutMs: 10 * 60_000,
      ...input.snapshot,
    },
    copyTo: [],
    ...(input.drill === undefined ? {} : { drill: buildDrill(input.drill) }),
  };
}

function buildDrill(input: NonNullable<PolicyInput['drill']>): DrillSettings {
  const { every, timeout, ...rest } = input;
  return {
    everyMs: ms(every),
    everySource: String(every),
    sample: 1,
    check: 'available',
    timeoutMs: ms(timeout ?? '2h'),
    commands: [],
    ...rest,
  };
}
