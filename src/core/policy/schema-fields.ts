/**
 * The leaf schemas of the policy file: durations, counts, ids, filter maps. Each carries its own
 * message, written to name the bad value (`"4 dayz" is not a duration`); `schema.ts` assembles
 * them into the document.
 */
import * as z from 'zod';
import { describeValue } from './describe.js';
import { DURATION_PATTERN } from './durations.js';
import { INSTANCE_ID_PATTERN, PERCENT_PATTERN, REGION_PATTERN, VOLUME_ID_PATTERN } from './filters.js';
import { regionProblem } from './regions.js';

type Issue = { readonly input?: unknown };

/** A message for a present-but-wrong value; `undefined` leaves "required" to the parse-wide map. */
function whenPresent(message: (input: unknown) => string) {
  return (issue: Issue) => (issue.input === undefined ? undefined : message(issue.input));
}

const notDuration = whenPresent((input) =>
  typeof input === 'number'
    ? `${input} is not a duration: add a unit, e.g. "${input} days"`
    : `${describeValue(input)} is not a duration`,
);

/** `90m`, `36h`, `1d12h`, `2w`, `4 days`, `12 hours`, `6 months` (30 days), `1 year` (365 days). */
export const duration = z
  .string({ error: notDuration })
  .regex(DURATION_PATTERN, { error: notDuration })
  .meta({
    description: 'A duration: 90m, 36h, 1d12h, 2w, 4 days, 12 hours, 6 months (30 days each), 1 year',
  });

const notCount = whenPresent((input) => `${describeValue(input)} is not a count (a whole number, 0 or more)`);

/** A whole number ≥ 0. */
export const count = z.number({ error: notCount }).int({ error: notCount }).min(0, { error: notCount });

/** A non-empty string. */
export const text = z.string().min(1, { error: 'must not be empty' });

function patterned(pattern: RegExp, what: string) {
  return z
    .string()
    .regex(pattern, { error: whenPresent((input) => `${describeValue(input)} is not ${what}`) });
}

/** A region name that is one of the regions AWS has (a typo is refused with the closest name). */
export const region = z
  .string()
  .regex(REGION_PATTERN, {
    error: whenPresent((input) => `${describeValue(input)} is not a region name like "us-east-1"`),
    abort: true,
  })
  .refine((name) => regionProblem(name) === undefined, {
    error: (issue) => regionProblem(String(issue.input)),
  });
export const accountId = patterned(/^\d{12}$/, 'an AWS account id (12 digits, quoted in YAML)');
export const instanceIdField = patterned(INSTANCE_ID_PATTERN, 'an instance id like "i-0123456789abcdef0"');
export const volumeIdField = patterned(VOLUME_ID_PATTERN, 'a volume id like "vol-0123456789abcdef0"');
export const percent = patterned(PERCENT_PATTERN, 'a count or a percentage like "10%"');

/** YAML turns `true`, `42` into booleans and numbers; as tag or filter values they mean their text. */
const scalar = z.union([z.string(), z.number(), z.boolean()], {
  error: whenPresent((input) => `expected a text value, got ${describeValue(input)}`),
});

/** One value or a non-empty list of them. */
export function oneOrMore<T extends z.ZodType>(item: T) {
  return z.union([item, z.array(item).min(1, { error: 'must not be an empty list' })], {
    error: whenPresent((input) => `expected a value or a list of values, got ${describeValue(input)}`),
  });
}

/** Tag key → value. */
export const tagMap = z.record(text, scalar);

/**
 * An EC2 filter map: filter name → value or list of values (OR), `*` and `?` as wildcards.
 * Names outside `supported` are errors that list the supported ones.
 */
export function filterMap(pattern: RegExp, supported: readonly string[]) {
  const name = z.string().regex(pattern, {
    error: (issue) => `unknown filter ${describeValue(issue.input)}; supported: ${supported.join(', ')}`,
  });
  return z.record(name, oneOrMore(scalar));
}
