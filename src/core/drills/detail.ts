/**
 * `drill-detail`: the step times of a drill, or how it failed, in at most 256 characters (a tag
 * value's limit), e.g. `available 41s initialized 912s ssm exit 0`. A time is seconds from the
 * drill's start to the look that saw the step done: exact to the poll when the tool was watching
 * (`41s`), an upper bound when a later run found it done (`≤3600s`).
 */

/** EC2's limit on a tag value. */
export const MAX_DETAIL = 256;

/** `name 41s` (seen while watching) or `name ≤3600s` (found by a later look). */
export function stepTime(name: string, elapsedMs: number, exact: boolean): string {
  const seconds = Math.max(0, Math.round(elapsedMs / 1000));
  return `${name} ${exact ? '' : '≤'}${seconds}s`;
}

/** `detail` with `part` appended, cut to 256 characters. */
export function appendDetail(detail: string, part: string): string {
  return clip(detail === '' ? part : `${detail} ${part}`);
}

/** Text cut to 256 characters, marked with … when cut. */
export function clip(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= MAX_DETAIL ? clean : `${clean.slice(0, MAX_DETAIL - 1)}…`;
}

/** The seconds a detail records for a step (`available`, `initialized`), when it records them. */
export function secondsOf(detail: string, step: 'available' | 'initialized'): number | undefined {
  const m = new RegExp(`(?:^| )${step} ≤?(\\d+)s(?: |$)`).exec(detail);
  return m === null ? undefined : Number(m[1]);
}
