/**
 * Headless Chromium for checking the HTML pages as a browser shows them: Debian's `chromium`
 * package driven by playwright-core (its own browser downloads cannot be fetched here). Each
 * page gets a fresh profile, the network switched off (anything not `file:` is aborted and
 * recorded), and every console message and page error is collected for the test to check.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** `CHROMIUM` overrides where the browser is. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** The flags TESTING.md gives: headless, no sandbox (root in CI), nothing that calls home. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The path of Chromium, or an error that says how to install it. */
export function requireChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  throw new Error(
    `Chromium is missing at ${CHROMIUM}: the HTML page tests need a real browser. Install it with ` +
      '`sudo apt-get update && sudo apt-get install -y chromium` (Debian; .ci/run does this), ' +
      'or set CHROMIUM=/path/to/chromium.',
  );
}

export interface OpenedPage {
  readonly page: Page;
  /** Console messages of type error, and uncaught page errors. */
  readonly errors: string[];
  /** Requests that tried to leave the machine (all aborted). */
  readonly blocked: string[];
  close(): Promise<void>;
}

/**
 * Open a local file in a fresh headless Chromium, network off.
 *
 * @example const { page, errors, close } = await openFile('/tmp/report.html');
 */
export async function openFile(
  file: string,
  viewport: { width: number; height: number } = { width: 1440, height: 900 },
): Promise<OpenedPage> {
  const executablePath = requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'ebs-snapper-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport,
      offline: true,
    });
    const errors: string[] = [];
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const opened = context;
    return {
      page,
      errors,
      blocked,
      close: async () => {
        await opened.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
