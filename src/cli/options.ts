/**
 * Options shared by `plan`, `run`, `snapshot` and `clean`, and the parsers that turn their text
 * into values. Every parser throws `UsageError` with the option's name, so bad input exits 1
 * before any AWS call.
 */
import { type Command, Option } from 'commander';
import { DEFAULT_CONCURRENCY } from '../app/apply.js';
import { UsageError } from '../core/errors.js';
import { parseDuration } from '../core/policy/durations.js';

export const OUTPUTS = ['text', 'json'] as const;
export type Output = (typeof OUTPUTS)[number];

export interface TargetOptions {
  readonly config?: string;
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

const collect = (value: string, previous: readonly string[] | undefined): string[] => [
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

/** `--now`: an ISO-8601 time; without a zone it is read as UTC. */
export function parseNow(text: string | undefined, clock: () => number): number {
  if (text === undefined) return clock();
  const hasZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(text);
  const isoLike = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?/.test(text);
  const ms = isoLike ? Date.parse(hasZone || !text.includes('T') ? text : `${text}Z`) : Number.NaN;
  if (Number.isNaN(ms))
    throw new UsageError(`--now: "${text}" is not an ISO-8601 time (e.g. 2026-12-01T03:00:00Z)`);
  return ms;
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
