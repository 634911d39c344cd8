/**
 * Text tables: columns padded to their widest cell (painted after padding, so colour never skews
 * them). Every cell goes through `safeText`: a cell can never carry a control, bidi or format
 * character to the terminal.
 */
import { safeText } from './safe-text.js';

export { paint, type Tone } from './text.js';

/**
 * Lines of a table, two spaces between columns, each line indented by two.
 *
 * @param decorate gets each padded cell with its column and row (row 0 is the head)
 * @param right columns aligned right (numbers)
 * @example table([['A', 'B'], ['x', '10']], (cell) => cell, [1]) // ['  A   B', '  x  10']
 */
export function table(
  rows: readonly (readonly string[])[],
  decorate: (cell: string, column: number, row: number) => string = (cell) => cell,
  right: readonly number[] = [],
): string[] {
  const safe = rows.map((row) => row.map(safeText));
  const widths: number[] = [];
  for (const row of safe) {
    row.forEach((cell, c) => {
      widths[c] = Math.max(widths[c] ?? 0, [...cell].length);
    });
  }
  return safe.map((row, r) =>
    `  ${row
      .map((cell, c) => {
        const pad = ' '.repeat((widths[c] ?? 0) - [...cell].length);
        const last = c === row.length - 1;
        return decorate(right.includes(c) ? pad + cell : last ? cell : cell + pad, c, r);
      })
      .join('  ')}`.trimEnd(),
  );
}
