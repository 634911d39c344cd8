/**
 * `npm run screenshots`: the report and forecast pages of the showcase fleet, made by the built
 * CLI and photographed by headless Chromium at a laptop's width, into docs/report.png and
 * docs/forecast.png. Needs Debian's `chromium` (see test/support/browser.ts).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openFile } from '../test/support/browser.js';
import { showcaseFleet } from './showcase-fleet.js';
import { makeShowcasePages } from './showcase-pages.js';

const DOCS = resolve(import.meta.dirname, '../docs');

async function photograph(page: string, out: string): Promise<void> {
  const opened = await openFile(page, { width: 1440, height: 900 });
  try {
    if (opened.errors.length > 0) throw new Error(`${page}: console errors: ${opened.errors.join('; ')}`);
    await opened.page.screenshot({ path: out, fullPage: true });
  } finally {
    await opened.close();
  }
  console.log(`wrote ${out} (${Math.round(statSync(out).size / 1024)} KiB)`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-screenshots-'));
  try {
    const pages = makeShowcasePages(showcaseFleet().inventory, dir);
    await photograph(pages.report, join(DOCS, 'report.png'));
    await photograph(pages.forecast, join(DOCS, 'forecast.png'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
