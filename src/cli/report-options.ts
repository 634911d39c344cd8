/**
 * Options of `report` and `forecast` (SPEC §12), and the parsers that turn their text into
 * values. Like every option parser, each throws `UsageError` naming the option, before any AWS call.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { parseDuration } from '../core/policy/durations.js';
import { DEFAULT_PRICES, type Prices } from '../core/report/cost.js';
import { FORECAST_DEFAULTS } from '../core/report/forecast.js';
import { addTargetOptions, type TargetOptions } from './options.js';

const PAGE_OUTPUTS = ['text', 'json', 'html'] as const;
type PageOutput = (typeof PAGE_OUTPUTS)[number];

const FAIL_ON = ['overdue', 'unprotected'] as const;
/** A status, or `unverified:<duration>`: a drilled volume without a passed restore drill that recent. */
export type FailOn = (typeof FAIL_ON)[number] | `unverified:${string}`;

/** What report and forecast share: where to look (AWS or a saved inventory), when, and how to print. */
interface PageOptions extends TargetOptions {
  readonly now?: string;
  readonly output: PageOutput;
  readonly out?: string;
  readonly verbose?: boolean;
  readonly pricePerGb?: string;
  /** A saved inventory to read instead of collecting one. */
  readonly inventory?: string;
}

export interface ReportOptions extends PageOptions {
  readonly failOn?: readonly FailOn[];
  readonly saveInventory?: string;
}

export interface ForecastOptions extends PageOptions {
  readonly days: string;
  readonly changeRate: string;
}

const failOn = (value: string, previous: readonly FailOn[] | undefined): FailOn[] => {
  const values = value.split(',').map((v) => v.trim().toLowerCase());
  for (const v of values) {
    if (v.startsWith('unverified:')) {
      const ms = parseDuration(v.slice('unverified:'.length));
      if (ms === undefined || ms <= 0)
        throw new InvalidArgumentError(`"${v}": unverified takes a duration, e.g. unverified:30d.`);
    } else if (!(FAIL_ON as readonly string[]).includes(v))
      throw new InvalidArgumentError(`"${v}" is not one of ${FAIL_ON.join(', ')}, unverified:<duration>.`);
  }
  return [...(previous ?? []), ...(values as FailOn[])];
};

function addPageOptions(command: Command, what: string): Command {
  return addTargetOptions(command)
    .addOption(new Option('--output <format>', 'output format').choices(PAGE_OUTPUTS).default('text'))
    .option('--out <file>', `write the ${what} to this file (the page with --output html; JSON otherwise)`)
    .option(
      '--price-per-gb <usd>',
      `USD per GB-month: a number for the standard tier, or standard=N,archive=N (default standard=${DEFAULT_PRICES.standard},archive=${DEFAULT_PRICES.archive})`,
    )
    .option(
      '--inventory <file>',
      `${what} a saved inventory (plan/report --save-inventory): no AWS call at all`,
    )
    .option('-v, --verbose', 'more detail: every volume’s tags, and more detail on errors');
}

/** Add the options of `report`. */
export function addReportOptions(command: Command): Command {
  return addPageOptions(command, 'report')
    .option(
      '--fail-on <status>',
      'exit 1 when any volume is overdue or unprotected, or has no passed restore drill within a duration (unverified:30d); repeatable or a,b',
      failOn,
    )
    .option('--save-inventory <file>', 'write the collected inventory as JSON (for forecast --inventory)');
}

/** Add the options of `forecast`. */
export function addForecastOptions(command: Command): Command {
  return addPageOptions(command, 'forecast')
    .option('--days <n>', 'days to simulate', String(FORECAST_DEFAULTS.days))
    .option(
      '--change-rate <rate>',
      'share of a volume that changes per day, e.g. 3% or 0.03 (each later snapshot stores that much per day since the one before)',
      `${FORECAST_DEFAULTS.changeRate * 100}%`,
    );
}

/**
 * `--price-per-gb`: `0.045` (standard), or `standard=0.045,archive=0.011` (either or both).
 *
 * @example parsePrices('archive=0.01') // { standard: 0.05, archive: 0.01 }
 */
export function parsePrices(text: string | undefined): Prices {
  if (text === undefined) return DEFAULT_PRICES;
  const problem = () =>
    new UsageError(`--price-per-gb: "${text}" is not a price (e.g. 0.05, or standard=0.05,archive=0.0125)`);
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return { ...DEFAULT_PRICES, standard: Number(text) };
  const prices = { ...DEFAULT_PRICES };
  for (const part of text.split(',')) {
    const m = /^\s*(standard|archive)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m) throw problem();
    prices[m[1] as keyof Prices] = Number(m[2]);
  }
  return prices;
}

/**
 * `--change-rate`: `3%` or `0.03`, at most 100% a day.
 *
 * @example parseChangeRate('3%') // 0.03
 */
export function parseChangeRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const rate = m ? Number(m[1]) / (m[2] === '%' ? 100 : 1) : Number.NaN;
  if (!(rate >= 0 && rate <= 1))
    throw new UsageError(`--change-rate: "${text}" is not a daily rate between 0 and 100% (e.g. 3% or 0.03)`);
  return rate;
}

/** `--days`: 1 to 3650. */
export function parseDays(text: string): number {
  const days = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(days >= 1 && days <= 3650))
    throw new UsageError(`--days: "${text}" is not a whole number from 1 to 3650`);
  return days;
}
