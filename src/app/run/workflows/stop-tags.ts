/**
 * Whose are the stop workflow's tags on an instance (`ebs-snapper:stopped-by`, `standby-by`)?
 * Crash recovery starts instances and takes them out of Standby on the strength of these tags, so
 * it trusts a tag only when it is provably a finished run's:
 *
 * - a value that is not a run id (`yes`, a name: put there by hand) is never acted on;
 * - this run's own id, found before this invocation stops anything, was set by an earlier
 *   invocation of the same run (a continuation, or a message delivered again after a worker was
 *   killed) that has ended — its lease has passed to this one — so it is given back now: left to
 *   this run's workflow, an instance whose series is no longer due would stay stopped until the
 *   next scheduled run;
 * - a run that started after this one is alive right now (another CLI host, or the deployed
 *   worker and a CLI at once: their locks do not see each other) and is left alone;
 * - any other run id is a run that started before this one, and whose lock or lease this run now
 *   holds: it is given back.
 *
 * Pure: the run ids carry their start times, so no clock is read.
 */
import { type Instance, TAG } from '../../../core/model.js';
import { runIdTime } from '../../../core/run-id.js';
import { type Warning, warning } from '../../../core/warnings.js';

/** What a tag's value says about the run that set it. */
export type TagOwner =
  /** A run that ended without giving the instance back: this run finishes its work. */
  | 'crashed'
  /** This run itself. */
  | 'own'
  /** A run that started after this one: it may be working on the instance right now. */
  | 'live'
  /** Not a run id: put there by hand; never acted on. */
  | 'foreign';

/**
 * Judge one tag value against this run's id.
 *
 * @example ownerOf('20261125T170312Z-3f9a2c', '20261126T030000Z-00aa11') // 'crashed'
 */
export function ownerOf(value: string, runId: string): TagOwner {
  if (value === runId) return 'own';
  const started = runIdTime(value);
  if (started === undefined) return 'foreign';
  const ownStart = runIdTime(runId);
  // A run id of this run that is not one (tests, a hand-made id): nothing is known to be later.
  if (ownStart === undefined) return 'crashed';
  // Run ids tell seconds: one of the same second started no later than this one, as far as
  // anyone can tell — a run killed and started again at once must find its instances given back.
  return started > ownStart ? 'live' : 'crashed';
}

/** An instance carrying the tool's tags, and what crash recovery may do about it. */
export interface TaggedInstance {
  readonly instance: Instance;
  /** The tags crash recovery may act on (a crashed run's), with their values. */
  readonly trusted: Readonly<Record<string, string>>;
}

/**
 * The instances crash recovery gives back (each with the tags it may act on), and a warning for
 * every tag it leaves alone.
 */
export function judgeStopTags(
  instances: readonly Instance[],
  runId: string,
): { readonly recover: TaggedInstance[]; readonly warnings: Warning[] } {
  return judgeRunTags(instances, runId, [TAG.stoppedBy, TAG.standbyBy], leftAlone);
}

/** What to say about a tag crash recovery leaves alone. */
export type LeftAlone = (
  instance: Instance,
  key: string,
  value: string,
  owner: 'foreign' | 'live',
) => Warning;

/**
 * The same trust rules for any of the tool's state tags on instances (`frozen-by` too): the
 * instances carrying `keys` with a crashed run's value (or this run's own), and a warning (from
 * `leftAlone`) for every value that is a person's or a live run's.
 */
export function judgeRunTags(
  instances: readonly Instance[],
  runId: string,
  keys: readonly string[],
  leftAlone: LeftAlone,
): { readonly recover: TaggedInstance[]; readonly warnings: Warning[] } {
  const recover: TaggedInstance[] = [];
  const warnings: Warning[] = [];
  for (const instance of instances) {
    const trusted: Record<string, string> = {};
    for (const key of keys) {
      const value = instance.tags[key];
      if (value === undefined) continue;
      const owner = ownerOf(value, runId);
      if (owner === 'crashed' || owner === 'own') trusted[key] = value;
      else warnings.push(leftAlone(instance, key, value, owner));
    }
    if (Object.keys(trusted).length > 0) recover.push({ instance, trusted });
  }
  return { recover, warnings };
}

const leftAlone: LeftAlone = (instance, key, value, owner) => {
  const what = `${instance.id} carries ${key}=${value}`;
  if (owner === 'foreign') {
    return warning(
      'run.stop-tag-foreign',
      `${what}, which is not a run id of ebs-snapper (put there by hand?): left alone, never started or taken out of Standby by the tool; remove the tag`,
    );
  }
  return warning(
    'run.stop-tag-live',
    `${what}, set by a run that started after this one and may be working on it now: left alone; a later run gives it back if that run does not`,
  );
};
