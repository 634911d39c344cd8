/**
 * Reads a policy file (YAML 1.2 or JSON text) into the normalized `Config`, with every problem
 * as a `"path: message"` string. Nothing here touches AWS, files or the clock.
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { Warning } from '../warnings.js';
import { describeValue } from './describe.js';
import { describeIssue, formatIssues } from './issues.js';
import { normalizePolicy } from './normalize-policy.js';
import { normalizeSettings } from './normalize-settings.js';
import { findOverlaps } from './overlap.js';
import { Report } from './report.js';
import { configSchema, policySchema } from './schema.js';
import type { Config, ParseResult, Policy } from './types.js';

export interface ParseOptions {
  /** File name or table name, prefixed to YAML syntax errors: `ebs-snapper.yaml:3:5: ...`. */
  readonly source?: string;
}

/** The document with `policies` left as raw values, so each policy is checked on its own. */
const shellSchema = configSchema.extend({
  policies: z.array(z.unknown()).min(1, { error: 'a file with no policy is an error; add one' }),
});

const PARSE_PARAMS = { error: describeIssue, reportInput: true } as const;

/**
 * Parses YAML or JSON text (a JSON document is valid YAML 1.2).
 *
 * @example
 * const { config, errors, warnings } = parseConfig(readFileSync('ebs-snapper.yaml', 'utf8'), { source: 'ebs-snapper.yaml' });
 */
export function parseConfig(text: string, options: ParseOptions = {}): ParseResult {
  const document = parseDocument(text, { version: '1.2' });
  if (document.errors.length > 0) {
    return { errors: document.errors.map((error) => syntaxProblem(error, options.source)), warnings: [] };
  }
  if (document.contents === null) {
    return { errors: ['the file is empty: it needs "version: 1" and at least one policy'], warnings: [] };
  }
  return parseConfigObject(document.toJS({ maxAliasCount: 100 }));
}

function syntaxProblem(
  error: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] },
  source?: string,
) {
  // yaml's message repeats the position after the text; it is given once, in front.
  const firstLine = (error.message.split('\n')[0] ?? error.message).replace(
    / at line \d+, column \d+:?$/,
    '',
  );
  const position = error.linePos?.[0];
  if (position === undefined) return `${source ?? 'YAML'}: ${firstLine}`;
  return source === undefined
    ? `line ${position.line}, column ${position.col}: ${firstLine}`
    : `${source}:${position.line}:${position.col}: ${firstLine}`;
}

/** Validates and normalizes an already-parsed document (e.g. from a DynamoDB item). */
export function parseConfigObject(value: unknown): ParseResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || isLegacyDocument(value)) {
    return { errors: [documentShapeMessage(value)], warnings: [] };
  }
  const report = new Report();
  const shell = shellSchema.safeParse(value, PARSE_PARAMS);
  if (!shell.success) report.errors.push(...formatIssues(shellSchema, shell.error.issues));
  const rawPolicies = Array.isArray((value as { policies?: unknown }).policies)
    ? ((value as { policies: unknown[] }).policies as unknown[])
    : [];
  const policies = parsePolicies(rawPolicies, report);
  const settings = shell.success ? normalizeSettings(shell.data.settings, ['settings'], report) : undefined;
  if (report.errors.length > 0 || settings === undefined)
    return { errors: report.errors, warnings: report.warnings };
  const config: Config = { version: 1, settings, policies };
  report.warnings.push(...findOverlaps(policies));
  return { config, errors: [], warnings: report.warnings };
}

function documentShapeMessage(value: unknown): string {
  if (isLegacyDocument(value) || (Array.isArray(value) && value.some(isLegacyDocument))) {
    return 'this is a legacy ebs_snapper config; convert it with "ebs-snapper config import-legacy FILE"';
  }
  return `expected a map with "version: 1" and "policies", got ${describeValue(value)}`;
}

/** The predecessor's shape: `{match, snapshot: {retention, minimum, frequency}, ignore}`, no version. */
function isLegacyDocument(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !('version' in value) &&
    ('match' in value || ('snapshot' in value && !('policies' in value)))
  );
}

function parsePolicies(rawPolicies: readonly unknown[], report: Report): Policy[] {
  const policies: Policy[] = [];
  const firstIndexById = new Map<string, number>();
  rawPolicies.forEach((raw, index) => {
    const path = ['policies', index];
    const parsed = policySchema.safeParse(raw, PARSE_PARAMS);
    if (!parsed.success) {
      report.errors.push(...formatIssues(policySchema, parsed.error.issues, path));
      return;
    }
    const first = firstIndexById.get(parsed.data.id);
    if (first === undefined) firstIndexById.set(parsed.data.id, index);
    else report.error([...path, 'id'], `${describeValue(parsed.data.id)} is used by policies[${first}] too`);
    const policy = normalizePolicy(parsed.data, path, report);
    if (policy !== undefined) policies.push(policy);
  });
  return policies;
}

/**
 * Parses and throws `ConfigError` (with every problem in `problems`) unless the file is valid.
 * Warnings are returned for the caller to show.
 */
export function loadConfigOrThrow(
  text: string,
  source?: string,
): { config: Config; warnings: readonly Warning[] } {
  const result = parseConfig(text, source === undefined ? {} : { source });
  if (result.config === undefined || result.errors.length > 0) {
    const where = source === undefined ? 'the policy file' : source;
    const count = result.errors.length;
    throw new ConfigError(`${where} has ${count} problem${count === 1 ? '' : 's'}`, result.errors);
  }
  return { config: result.config, warnings: result.warnings };
}
