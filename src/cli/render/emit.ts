/** Print a command's result: JSON or text on stdout, and the JSON document to `--out` when asked. */
import { writeFile } from 'node:fs/promises';
import { type CliIo, useColor } from '../io.js';
import type { PlanOptions } from '../options.js';
import type { TextStyle } from './text.js';

export async function emitDocument(
  document: Record<string, unknown>,
  renderText: (style: TextStyle) => string,
  options: PlanOptions,
  io: CliIo,
): Promise<void> {
  const json = `${JSON.stringify(document, null, 2)}\n`;
  if (options.out !== undefined) await writeFile(options.out, json);
  io.stdout.write(
    options.output === 'json' ? json : renderText({ color: useColor(io), verbose: options.verbose === true }),
  );
}
