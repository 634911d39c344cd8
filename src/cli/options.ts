/**
 * Options shared by `plan`, `run`, `snapshot` and `clean`, and the parsers that turn their text
 * into values. Every parser throws `UsageError` with the option's name, so bad input exits 1
 * before any AWS call.
 */

import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { DEFAULT_CONCURRENCY } from '../app/run/apply.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, type HttpTimeouts } from '../aws/http-timeouts.js';
import { UsageError } from '../core/errors.js';
import { parseDuration } from '../core/policy/durations.js';
import { regionProblem } from '../core/policy/regions.js';

export const OUTPUTS = ['text', 'json'] as const;
export type Output = (typeof OUTPUTS)[number];

export interface TargetOptions {
  readonly config?: string;
  /** Read the config from the deployment's DynamoDB table (a name or an ARN) instead of a file. */
  readonly configTable?: string;
  /** Read the config from the table of this hub stack instead of a file. */
  readonly stack?: string;
  /** Where the hub stack (or a `--config-table` given by name) is; never `--region`. */
  readonly stackRegion?: string;
  readonly configName?: string;
  readonly region?: readonly string[];
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly roleArn?: readonly string[];
}

export interface PlanOptions extends TargetOptions {
  readonly now?: string;
  readonly output: Output;
  readonly out?: string;
  /** Write the collected inventory to this file (a saved inventory document). */
  readonly saveInventory?: string;
  readonly detailedExitcode?: boolean;
  readonly verbose?: boolean;
}

export interface RunOptions extends PlanOptions {
  readonly only?: 'snapshot' | 'clean';
  readonly dryRun?: boolean;
  readonly maxDeletes?: string;
  readonly deadline?: string;
  readonly concurrency?: string;
}

/** Commander's reducer of a repeatable option: every value given, in order. */
export const collect = (value: string, previous: readonly string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

/** Add the options every AWS-facing command takes. */
export function addPlanOptions(command: Command): Command {
  return addTargetOptions(command)
    .addOption(new Option('--output <format>', 'output format').choices(OUTPUTS).default('text'))
    .option('--out <file>', 'also write the plan as JSON to this file')
    .option('--detailed-exitcode', 'exit 2 when there are changes (0 none, 1 failure)')
    .option('-v, --verbose', 'show kept snapshots and series that are not due, and more detail on errors');
}

/** Where to work and as of when: the policy file, the accounts × regions, `--now`. */
export function addTargetOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'policy file (default: $EBS_SNAPPER_CONFIG or ./ebs-snapper.yaml)')
    .option('--stack <name>', 'read the config stored by this hub stack (deploy; default name ebs-snapper)')
    .option('--stack-region <region>', "the hub stack's region (default: AWS_REGION or the profile's)")
    .option('--config-table <table>', 'read the config from this DynamoDB table (name or ARN) instead')
    .option('--config-name <name>', 'the stored config to read (default: default)')
    .option(
      '--region <region>',
      'region to work on (repeatable; default: settings.regions or every enabled region)',
      collect,
    )
    .option('--profile <profile>', 'AWS profile from the shared config files')
    .option('--endpoint-url <url>', 'AWS endpoint override (e.g. a local emulator)')
    .option('--role-arn <arn>', 'assume this role and work on its account (repeatable)', collect)
    .option('--now <iso-time>', 'plan as of another time, e.g. 2026-12-01T03:00:00Z (what-if)');
}

/** Add the options of `run` (and `snapshot` / `clean`, which fix `--only`). */
export function addRunOptions(command: Command, withOnly: boolean): Command {
  addPlanOptions(command)
    .option('--dry-run', 'collect and plan, print what would be done, change nothing')
    .option('--max-deletes <n>', 'guard: delete nothing in an account × region that would lose more than N')
    .option(
      '--deadline <duration>',
      'stop starting new actions after this long, e.g. 10m (the next run picks up)',
    )
    .option('--concurrency <n>', 'actions in flight per account × region', String(DEFAULT_CONCURRENCY));
  if (withOnly) {
    command.addOption(
      new Option('--only <what>', 'only take snapshots, or only delete').choices(['snapshot', 'clean']),
    );
  }
  return command;
}

/**
 * `--region` (each of them): a region AWS has, else a `UsageError` naming the closest, before any
 * AWS call — a typo would otherwise fail later as an endpoint that does not resolve.
 */
export function checkRegions(regions: readonly string[] | string | undefined, option = '--region'): void {
  for (const region of [regions ?? []].flat()) {
    const problem = regionProblem(region);
    if (problem !== undefined) throw new UsageError(`${option}: ${problem}`);
  }
}

const ISO_TIME =
  /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,3})\d*)?)?)?(?:([zZ])|([+-])(\d\d):?(\d\d))?$/;

/**
 * `--now`: an ISO-8601 date or time; without a zone it is UTC (a date alone is its midnight UTC).
 * Every field is checked: `2027-02-30` is refused, not rolled over into March.
 */
export function parseNow(text: string | undefined, clock: () => number): number {
  if (text === undefined) return clock();
  const refuse = (why: string) =>
    new UsageError(`--now: "${text}" ${why} (e.g. 2026-12-01T03:00:00Z; without a zone it is UTC)`);
  const m = ISO_TIME.exec(text.trim());
  if (m === null) throw refuse('is not an ISO-8601 time');
  const [year, month, day, hour = 0, minute = 0, second = 0] = [1, 2, 3, 4, 5, 6].map((i) =>
    m[i] === undefined ? undefined : Number(m[i]),
  ) as [number, number, number, number?, number?, number?];
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const back = new Date(local);
  const exists =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second;
  if (!exists) throw refuse('is not a date and time that exists');
  const sign = m[9] === '-' ? -1 : 1;
  const offsetMs = m[9] === undefined ? 0 : sign * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
  return local - offsetMs;
}

/**
 * `EBS_SNAPPER_HTTP_TIMEOUT` (a duration, e.g. `30s`): the request timeout of every AWS call,
 * default 60 s; for slow links, or tests that must not wait.
 */
export function parseHttpTimeouts(env: NodeJS.ProcessEnv): HttpTimeouts | undefined {
  const text = env.EBS_SNAPPER_HTTP_TIMEOUT;
  if (text === undefined || text === '') return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new UsageError(`EBS_SNAPPER_HTTP_TIMEOUT: "${text}" is not a duration (e.g. 30s, 2m)`);
  }
  return { requestMs: ms, connectMs: Math.min(ms, DEFAULT_CONNECT_TIMEOUT_MS) };
}

/** Refuse a path the command could not write at its end, before any AWS call. */
export async function checkWritable(path: string, option: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory() === true) throw new UsageError(`${option}: ${path} is a directory`);
  try {
    await access(info === undefined ? dirname(resolve(path)) : path, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`${option}: cannot write ${path} (${code})`, { cause: error });
  }
}

export function parseNonNegativeInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${name}: "${text}" is not a whole number ≥ 0`);
  return Number(text);
}

export function parsePositiveInt(name: string, text: string | undefined): number | undefined {
  const n = parseNonNegativeInt(name, text);
  if (n === 0) throw new UsageError(`${name}: must be at least 1`);
  return n;
}

/** `--deadline 10m` → the epoch ms at which no new action starts. */
export function parseDeadline(text: string | undefined, startedAt: number): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--deadline: "${text}" is not a duration (e.g. 10m, 1h)`);
  return startedAt + ms;
}
