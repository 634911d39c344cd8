/**
 * Numbers as people read them, shared by the text and HTML renderings of reports and forecasts:
 * sizes in GiB (AWS bills snapshot storage per GB of 2^30 bytes), money in dollars, ages coarse.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** What a size or cost nobody knows is shown as: never as zero. */
const UNKNOWN = 'unknown';

/**
 * @example formatBytes(40 * 2 ** 30) // '40.0 GiB'
 * @example formatBytes(undefined) // 'unknown'
 */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return UNKNOWN;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 100 ? 1 : 0)} ${UNITS[unit]}`;
}

/**
 * Cents below $1,000, whole dollars above; `unknown` when undefined.
 *
 * @example formatUsd(12.5) // '$12.50'
 * @example formatUsd(1234.5) // '$1,235'
 */
export function formatUsd(amount: number | undefined): string {
  if (amount === undefined) return UNKNOWN;
  if (amount > 0 && amount < 0.01) return '<$0.01';
  const digits = amount >= 1000 ? 0 : 2;
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/**
 * Short, for chart axes: `$950`, `$2.5k`, `$12k`, `$1.2M`.
 *
 * @example formatUsdShort(12_500) // '$13k'
 */
export function formatUsdShort(amount: number): string {
  const short = (value: number, unit: string) =>
    `$${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)}${unit}`;
  if (amount >= 1e6) return short(amount / 1e6, 'M');
  if (amount >= 1e3) return short(amount / 1e3, 'k');
  return amount >= 10 || amount === 0 ? `$${Math.round(amount)}` : `$${amount.toFixed(2)}`;
}

/**
 * Short, for chart axes: `950`, `2.5k`, `12k`, `1.2M`.
 *
 * @example formatCountShort(12_000) // '12k'
 */
export function formatCountShort(count: number): string {
  const short = (value: number, unit: string) =>
    `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)}${unit}`;
  if (count >= 1e6) return short(count / 1e6, 'M');
  if (count >= 1e4) return short(count / 1e3, 'k');
  return count.toLocaleString('en-US');
}

/**
 * An upper bound as text: `≤ 3.3 TiB`, or `unknown` (a bound that leaves out what it cannot size
 * is no bound).
 *
 * @example atMost(undefined, formatBytes) // 'unknown'
 */
export function atMost(value: number | undefined, format: (value: number) => string): string {
  return value === undefined ? UNKNOWN : `≤ ${format(value)}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Two units at most: `45m`, `3h 12m`, `2d 4h`, `35d`.
 *
 * @example formatAge(50 * 3_600_000) // '2d 2h'
 */
export function formatAge(ms: number): string {
  if (ms < 0) return `in ${formatAge(-ms)}`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)}h ${Math.floor((ms % HOUR) / MINUTE)}m`;
  if (ms < 10 * DAY) return `${Math.floor(ms / DAY)}d ${Math.floor((ms % DAY) / HOUR)}h`;
  return `${Math.floor(ms / DAY)}d`;
}

/**
 * UTC to the minute.
 *
 * @example formatTime(Date.parse('2026-11-25T17:03:12Z')) // '2026-11-25 17:03Z'
 */
export function formatTime(time: number): string {
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}
