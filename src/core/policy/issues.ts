/**
 * zod issues → `"path: message"` strings. Leaf schemas carry their own messages
 * (`schema-fields.ts`); this file words the generic cases (missing keys, wrong types, enums) and
 * turns each unknown key into its own problem with a "did you mean" hint.
 */
import type * as z from 'zod';
import { count } from '../plural.js';
import { describeValue, problem, suggest } from './describe.js';

type RawIssue = { readonly code?: string; readonly input?: unknown } & Record<string, unknown>;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a text value',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

/**
 * The parse-wide zod error map: wording for issues whose schema gave no message of its own.
 * Pass it as `schema.safeParse(value, { error: describeIssue, reportInput: true })`.
 */
export function describeIssue(issue: RawIssue): string {
  const input = issue.input;
  if (input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value'))
    return 'required';
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[String(issue.expected)] ?? String(issue.expected);
      return `expected ${expected}, got ${describeValue(input)}`;
    }
    case 'invalid_value': {
      const values = (issue.values as readonly unknown[] | undefined) ?? [];
      return `${describeValue(input)} is not one of ${values.map((value) => String(value)).join(', ')}`;
    }
    case 'too_small':
      return issue.origin === 'array'
        ? `needs at least ${count(Number(issue.minimum), 'item')}`
        : `${describeValue(input)} is too small`;
    case 'too_big':
      return issue.origin === 'string'
        ? `is longer than ${issue.maximum} characters`
        : `${describeValue(input)} is too big (at most ${issue.maximum})`;
    case 'invalid_union':
      return `${describeValue(input)} is not valid here`;
    default:
      return `${describeValue(input)} is not valid here`;
  }
}

/** Keys a strict object at `path` accepts, found by walking the schema (for "did you mean"). */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  for (const segment of [...path, undefined]) {
    current = unwrap(current);
    const def = defOf(current);
    if (segment === undefined) return def?.type === 'object' ? Object.keys(def.shape as object) : [];
    if (def?.type === 'object') current = (def.shape as Record<PropertyKey, unknown>)[segment];
    else if (def?.type === 'array') current = def.element;
    else if (def?.type === 'record') current = def.valueType;
    else return [];
  }
  return [];
}

function defOf(schema: unknown): Record<string, unknown> | undefined {
  return (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
}

/** Sees through optional/default/prefault wrappers, and picks the object branch of a union. */
function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let depth = 0; depth < 10; depth++) {
    const def = defOf(current);
    if (def?.innerType !== undefined) current = def.innerType;
    else if (def?.type === 'union') {
      const options = def.options as readonly unknown[];
      current = options.find((option) => defOf(unwrap(option))?.type === 'object') ?? options[0];
    } else return current;
  }
  return current;
}

/**
 * Formats the issues of a failed parse. `prefix` is where the parsed value sits in the document;
 * `base` is where the issues sit inside `schema` (set when descending into a union branch).
 */
export function formatIssues(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
  base: readonly PropertyKey[] = [],
): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    const inSchema = [...base, ...issue.path];
    const path = [...prefix, ...inSchema];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, inSchema);
      for (const key of issue.keys) problems.push(problem([...path, key], unknownKeyMessage(key, known)));
    } else if (issue.code === 'invalid_key') {
      problems.push(problem(path, issue.issues[0]?.message ?? issue.message));
    } else if (issue.code === 'invalid_union' && closestBranch(issue.errors) !== undefined) {
      problems.push(...formatIssues(schema, closestBranch(issue.errors)!, prefix, inSchema));
    } else {
      problems.push(problem(path, issue.message));
    }
  }
  return problems;
}

/**
 * The union branch whose shape the value had (its problems are all inside it, e.g. a mistyped
 * key of `{expire-after: ...}`): reporting those beats "is neither A nor B".
 */
function closestBranch(
  branches: readonly (readonly z.core.$ZodIssue[])[],
): readonly z.core.$ZodIssue[] | undefined {
  return branches.find(
    (branch) =>
      branch.length > 0 &&
      branch.every((issue) => issue.path.length > 0 || issue.code === 'unrecognized_keys'),
  );
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const hint = suggest(key, known);
  if (hint !== undefined) return `unknown key; did you mean "${hint}"?`;
  const listed = known.filter((name) => !name.startsWith('$'));
  return listed.length > 0 ? `unknown key; expected one of ${listed.join(', ')}` : 'unknown key';
}
