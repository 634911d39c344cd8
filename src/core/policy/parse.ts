/**
 * Reads a policy file (YAML 1.2 or JSON text) into the normalized `Config`, with every problem
 * as a `"path: message"` string. Nothing here touches AWS, files or the clock.
 */
import { parseDocument } from 'yaml';
import * as z from 'zod';
import { ConfigError } from '../errors.js';
import type { Warning } from '../warnings.js';
import { checkVaults } from './check-vaults.js';
import { describeValue } from './describe.js';
import { describeIssue, formatIssues } from './issues.js';
import { checkPolicySections, normalizePolicy } from './normalize-policy.js';
import { normalizeSettings } from './normalize-settings.js';
import { findOverlaps } from './overlap.js';
import { Report } from './report.js';
import { configSchema, policySchema } from './schema.js';
import type { Config, ParseResult, Policy } from './types.js';

export interface ParseOptions {
  /** File name or table name, prefixed to YAML syntax errors: `ebs-snapper.yaml:3:5: ...`. */
  readonly source?: string;
  /** Epoch ms to check time-dependent rules at (a cron that never fires again); callers pass their clock. */
  readonly now?: number;
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
  return parseConfigObject(document.toJS({ maxAliasCount: 100 }), options);
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
export function parseConfigObject(value: unknown, options: ParseOptions = {}): ParseResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || isLegacyDocument(value)) {
    return { errors: [documentShapeMessage(value)], warnings: [] };
  }
  const report = new Report(options.now);
  const shell = shellSchema.safeParse(value, PARSE_PARAMS);
  if (!shell.success) report.errors.push(...formatIssues(shellSchema, shell.error.issues));
  const rawPolicies = Array.isArray((value as { policies?: unknown }).policies)
    ? ((value as { policies: unknown[] }).policies as unknown[])
    : [];
  const policies = parsePolicies(rawPolicies, report);
  const settings = shell.success ? normalizeSettings(shell.data.settings, ['settings'], report) : undefined;
  if (settings !== undefined) checkVaults(policies, settings, report);
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
      checkPolicySections(raw, path, report);
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

/** The largest policy document accepted: real ones are a few kB; this refuses junk at once. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** At most this many problems are listed; the rest are counted. */
export const MAX_PROBLEMS_LISTED = 50;

/**
 * Parses and throws `ConfigError` (its `problems` are the `path: message` lines, at most
 * {@link MAX_PROBLEMS_LISTED} of them) unless the document is valid. Warnings are returned for the
 * caller to show. Bytes are decoded as strict UTF-8: a file in another encoding is an error, not
 * a silently mangled selector.
 *
 * @example const { config, warnings } = loadConfig(readFileSync('ebs-snapper.yaml'), { source: 'ebs-snapper.yaml' });
 */
export function loadConfig(
  document: string | Uint8Array,
  options: ParseOptions = {},
): { config: Config; warnings: readonly Warning[] } {
  const where = options.source ?? 'the policy file';
  const size = typeof document === 'string' ? document.length : document.byteLength;
  if (size > MAX_CONFIG_BYTES) throw configTooBigError(where, size);
  const result = parseConfig(typeof document === 'string' ? document : decodeUtf8(document, where), options);
  if (result.config === undefined || result.errors.length > 0) {
    const count = result.errors.length;
    const listed = result.errors.slice(0, MAX_PROBLEMS_LISTED);
    if (count > listed.length) listed.push(`… and ${count - listed.length} more problems`);
    throw new ConfigError(`${where}: ${count} problem${count === 1 ? '' : 's'} in the policy file`, listed);
  }
  return { config: result.config, warnings: result.warnings };
}

/** The error for a document over {@link MAX_CONFIG_BYTES}. */
export function configTooBigError(where: string, size: number): ConfigError {
  return new ConfigError(
    `${where}: ${size} bytes is too big for a policy file (at most ${MAX_CONFIG_BYTES}); is it the right file?`,
  );
}

function decodeUtf8(bytes: Uint8Array, where: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ConfigError(`${where}: not valid UTF-8 text; save the policy file as UTF-8`, [], {
      cause: error,
    });
  }
}
