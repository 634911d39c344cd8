/**
 * The HTML pages in a real browser: Debian's Chromium, headless, loading the file with the
 * network off. The showcase fleet (scripts/showcase-fleet.ts) with hostile tag values is saved,
 * the built CLI makes the pages from it (no AWS), and the browser must show them with no console
 * error, the expected rows, drawn charts, and the hostile values as plain text that never runs.
 * Without Chromium these tests fail, saying how to install it.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showcaseFleet } from '../../scripts/showcase-fleet.js';
import { makeShowcasePages, type ShowcasePages } from '../../scripts/showcase-pages.js';
import type { Inventory } from '../../src/core/model.js';
import { type OpenedPage, openFile, requireChromium } from '../support/browser.js';
import { workDir } from './cli.js';

const SCRIPT_NAME = '<script>window.__pwned = 1</script>';
const BREAKOUT_NAME = '</script><img src=x onerror="window.__pwned = 2"><!--';

/** The showcase with hostile Name tags on a covered volume, an unprotected one and an instance. */
function hostileFleet(): Inventory {
  const { inventory } = showcaseFleet();
  const rename = <T extends { id: string; tags: Readonly<Record<string, string>> }>(
    item: T,
    ids: readonly string[],
    name: string,
  ): T => (ids.includes(item.id) ? { ...item, tags: { ...item.tags, Name: name } } : item);
  return {
    ...inventory,
    volumes: inventory.volumes.map((v) =>
      rename(rename(v, ['vol-0web1'], SCRIPT_NAME), ['vol-0old'], BREAKOUT_NAME),
    ),
    instances: inventory.instances.map((i) => rename(i, ['i-0batch1'], BREAKOUT_NAME)),
  };
}

describe('the HTML pages in headless Chromium', () => {
  let dir: string;
  let pages: ShowcasePages;

  beforeAll(() => {
    requireChromium();
    // workDir() also checks that the CLI is built.
    dir = workDir();
    pages = makeShowcasePages(hostileFleet(), dir);
  });

  describe('report', () => {
    let opened: OpenedPage;
    beforeAll(async () => {
      opened = await openFile(pages.report);
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('loads from file:// with the network off, with no console error and no request out', async () => {
      // Act
      const ready = await opened.page.locator('html').getAttribute('data-ready');

      // Assess
      expect(ready).toBe('true');
      expect(opened.errors).toEqual([]);
      expect(opened.blocked).toEqual([]);
    });

    it('lists every covered and unprotected volume, OVERDUE and UNPROTECTED first', async () => {
      // Act
      const statuses = await opened.page.locator('#coverage tbody tr td:first-child').allTextContents();

      // Assess
      expect(statuses).toHaveLength(14);
      expect(statuses.slice(0, 3)).toEqual(['OVERDUE', 'UNPROTECTED', 'UNPROTECTED']);
      expect(statuses.slice(3).every((s) => s === 'OK')).toBe(true);
      expect(await opened.page.locator('#coverage tbody tr').first().textContent()).toContain('vol-0web4');
    });

    it('sorts by a column and filters by text', async () => {
      // Act
      await opened.page.locator('#coverage th', { hasText: 'Size' }).click();
      await opened.page.locator('#coverage th', { hasText: 'Size' }).click();
      const biggest = await opened.page
        .locator('#coverage tbody tr')
        .first()
        .locator('td')
        .last()
        .textContent();
      await opened.page.locator('input[data-filter="coverage"]').fill('db-1');
      const visible = await opened.page.locator('#coverage tbody tr:visible').count();
      const count = await opened.page.locator('#coverage-count').textContent();

      // Assess
      expect(biggest).toBe('1000 GiB');
      expect(visible).toBe(2);
      expect(count).toBe('2 of 14 rows');
    });

    it('draws the per-policy bars and a timeline row per series', async () => {
      // Act
      const bars = await opened.page.locator('svg.chart').first().locator('rect').count();
      const rows = await opened.page.locator('svg.timeline circle').count();
      const box = await opened.page.locator('svg.timeline').boundingBox();

      // Assess
      expect(bars).toBe(3);
      expect(rows).toBe(12);
      expect(box!.width).toBeGreaterThan(800);
      expect(box!.height).toBeGreaterThan(200);
    });

    it('shows hostile tag values as text and never runs them', async () => {
      // Act
      const pwned = await opened.page.evaluate('window.__pwned');
      const injected = await opened.page.locator('img').count();
      const covered = await opened.page.locator('#coverage').textContent();
      const unprotected = await opened.page.locator('#unprotected').textContent();
      const island = (await opened.page.locator('#page-data').textContent())!;

      // Assess
      expect(pwned).toBeUndefined();
      expect(injected).toBe(0);
      expect(covered).toContain(SCRIPT_NAME);
      expect(unprotected).toContain(`Name=${BREAKOUT_NAME}`);
      expect(island).not.toContain('</script');
      expect(JSON.stringify(JSON.parse(island))).toContain(JSON.stringify(BREAKOUT_NAME).slice(1, -1));
    });

    it('takes a screenshot of the whole page', async () => {
      // Prepare
      const file = join(dir, 'report.png');

      // Act
      await opened.page.screenshot({ path: file, fullPage: true });

      // Assess
      expect(statSync(file).size).toBeGreaterThan(50_000);
    });
  });

  describe('forecast', () => {
    let opened: OpenedPage;
    beforeAll(async () => {
      opened = await openFile(pages.forecast);
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('loads with no console error, draws a line per policy and the total, and reads out on hover', async () => {
      // Prepare
      const chart = opened.page.locator('svg[data-hover="snapshots"]');

      // Act
      const lines = await chart.locator('path').count();
      const box = (await chart.boundingBox())!;
      await opened.page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4);
      const readout = await opened.page.locator('#snapshots-readout').textContent();

      // Assess
      expect(opened.errors).toEqual([]);
      expect(opened.blocked).toEqual([]);
      expect(lines).toBe(4);
      expect(readout).toMatch(
        /^day \d+ · \d{4}-\d\d-\d\d: archive-weekly \d+ · db-nightly \d+ · web-daily \d+ · total \d+$/,
      );
    });

    it('takes a screenshot of the whole page', async () => {
      // Prepare
      const file = join(dir, 'forecast.png');

      // Act
      await opened.page.screenshot({ path: file, fullPage: true });

      // Assess
      expect(statSync(file).size).toBeGreaterThan(50_000);
    });
  });
});
