/** Print a command's result: JSON or text on stdout, and the JSON document to `--out` when asked. */
import { writeFile } from 'node:fs/promises';
import { type CliIo, useColor } from '../io.js';
import type { TextStyle } from './text.js';
import { formatBytes } from './units.js';

/** How a command prints: `--output`, `--out`, `-v`. */
export interface EmitOptions {
  readonly output: string;
  readonly out?: string;
  readonly verbose?: boolean;
}

export async function emitDocument(
  document: Record<string, unknown>,
  renderText: (style: TextStyle) => string,
  options: EmitOptions,
  io: CliIo,
): Promise<void> {
  const json = await writeOutFile(document, options);
  io.stdout.write(options.output === 'json' ? json : renderText(textStyle(options, io)));
}

/** The JSON document, written to `--out FILE` when asked. */
export async function writeOutFile(document: Record<string, unknown>, options: EmitOptions): Promise<string> {
  const json = `${JSON.stringify(document, null, 2)}\n`;
  if (options.out !== undefined) await writeFile(options.out, json);
  return json;
}

/** How text is painted: colour on a terminal only, and more lines with `-v`. */
export function textStyle(options: EmitOptions, io: CliIo): TextStyle {
  return { color: useColor(io), verbose: options.verbose === true };
}

/**
 * Print a report or forecast: with `--output html` the page goes to `--out FILE` (and a line
 * saying so to stderr), or to stdout without `--out`; text and JSON as `emitDocument` does.
 */
export async function emitPage(
  document: Record<string, unknown>,
  renderText: (style: TextStyle) => string,
  renderHtml: () => string,
  options: EmitOptions,
  io: CliIo,
): Promise<void> {
  if (options.output !== 'html') return emitDocument(document, renderText, options, io);
  const html = renderHtml();
  if (options.out === undefined) {
    io.stdout.write(html);
    return;
  }
  await writeFile(options.out, html);
  io.stderr.write(`wrote ${options.out} (${formatBytes(Buffer.byteLength(html))})\n`);
}
