/**
 * Run ids (`20261125T170312Z-3f9a2c`: the run's time to the second, and 6 hex digits) as data the
 * pure core can read: whose a tag is, and when its run started. `newRunId` (app) makes them.
 */

const RUN_ID = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z-[0-9a-f]{6}$/;

/**
 * The start time (epoch ms) a run id records, or undefined when the value is not a run id.
 *
 * @example runIdTime('20261125T170312Z-3f9a2c') // Date.parse('2026-11-25T17:03:12Z')
 */
export function runIdTime(value: string): number | undefined {
  const m = RUN_ID.exec(value);
  if (m === null) return undefined;
  const time = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  // Date.UTC rolls a 13th month or a 61st second over: only a real time reads back the same.
  const back = new Date(time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return back === value.slice(0, 16) ? time : undefined;
}
