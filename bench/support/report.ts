/**
 * How the benches print: a two-column table of a bench's figures, its targets with PASS/MISS,
 * and a final summary. Pure (strings in, strings out) so a test can pin the verdicts.
 */

/** What a bench measured, in print order. */
export type Figures = Record<string, number | string>;

/** A target on one figure: `at-most` passes when figure ≤ limit, `at-least` when figure ≥ limit. */
export interface Check {
  readonly label: string;
  readonly key: string;
  readonly kind: 'at-most' | 'at-least';
  readonly limit: number;
  /** Printed after the numbers, e.g. `ms`. */
  readonly unit?: string;
}

export const VERDICTS = ['PASS', 'MISS', 'n/a'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A bench as `bench/index.ts` runs it. */
export interface BenchDefinition {
  /** The argv name, e.g. `api-calls`. */
  readonly name: string;
  readonly title: string;
  readonly checks: readonly Check[];
  run(): Promise<Figures>;
}

/** What one bench gave: its figures, or the error that stopped it. */
export interface BenchOutcome {
  readonly bench: BenchDefinition;
  readonly figures?: Figures;
  readonly error?: string;
  readonly seconds: number;
}

/**
 * PASS or MISS for a check; `n/a` when the figure is missing or not a finite number.
 *
 * @example judge({ ratio: 1.01 }, { label: 'calls ÷ minimum', key: 'ratio', kind: 'at-most', limit: 1.05 }) // 'PASS'
 */
export function judge(figures: Figures | undefined, check: Check): Verdict {
  const value = figures?.[check.key];
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'n/a';
  const pass = check.kind === 'at-most' ? value <= check.limit : value >= check.limit;
  return pass ? 'PASS' : 'MISS';
}

/** Columns padded to their widest cell, two spaces apart, each line indented by two. */
export function formatRows(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map(
      (row) =>
        `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`,
    )
    .join('\n');
}

/** A figure as printed: numbers with thousands separators and at most 4 decimals. */
export function formatValue(value: number | string | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

const targetText = (check: Check): string =>
  `${check.kind === 'at-most' ? '≤' : '≥'} ${formatValue(check.limit)}${check.unit ? ` ${check.unit}` : ''}`;

const measuredText = (figures: Figures | undefined, check: Check): string => {
  const value = figures?.[check.key];
  return value === undefined ? '—' : `${formatValue(value)}${check.unit ? ` ${check.unit}` : ''}`;
};

/** The target rows of one bench: label, measured, target, verdict. */
export function formatChecks(figures: Figures | undefined, checks: readonly Check[]): string {
  return formatRows(
    checks.map((check) => {
      return [check.label, measuredText(figures, check), targetText(check), judge(figures, check)];
    }),
  );
}

/** One bench's block: title, every figure, then its targets. */
export function formatOutcome(outcome: BenchOutcome): string {
  const { bench, figures } = outcome;
  const head = `${bench.title} — ${outcome.seconds.toFixed(1)} s`;
  if (figures === undefined) return `${head}\n  FAILED: ${outcome.error ?? 'no figures'}`;
  const table = formatRows(Object.entries(figures).map(([key, value]) => [key, formatValue(value)]));
  return `${head}\n${table}\n  targets:\n${formatChecks(figures, bench.checks)}`;
}

/** The final summary: every target of every bench that ran, with its verdict. */
export function formatSummary(outcomes: readonly BenchOutcome[]): string {
  const rows = outcomes.flatMap((outcome) =>
    outcome.figures === undefined
      ? [[outcome.bench.name, 'bench failed', '', '', 'MISS']]
      : outcome.bench.checks.map((check) => [
          outcome.bench.name,
          check.label,
          measuredText(outcome.figures, check),
          targetText(check),
          judge(outcome.figures, check),
        ]),
  );
  return `summary\n${formatRows([['bench', 'target', 'measured', 'goal', 'verdict'], ...rows])}`;
}

/** True when every check of every bench passed and no bench failed. */
export function allPassed(outcomes: readonly BenchOutcome[]): boolean {
  return outcomes.every(
    (o) => o.figures !== undefined && o.bench.checks.every((check) => judge(o.figures, check) === 'PASS'),
  );
}
