/**
 * The int32-overflow HTML review opened from disk in a real headless Chromium, offline: the
 * headline, the chart with its deploy line, the timeline and the 2147483647 row must read as such.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, tempDir } from '../support/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.join(tmpdir(), 'logwatch-report-int32-overflow.png');

describe.skipIf(!existsSync(CHROMIUM))('HTML report in Chromium', () => {
  let browser: Browser;
  let file: string;
  let firstStop: string;

  beforeAll(async () => {
    file = path.join(tempDir('logwatch-report-'), 'review.html');
    const result = await runCli(['replay', path.join(REPO, 'fixtures', 'int32-overflow'), '--json', '--report', file]);
    expect(result.code).toBe(0);
    const verdicts = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; at: string; level?: string });
    firstStop = verdicts.find((e) => e.type === 'verdict' && e.level === 'stop')!.at;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows STOP PUSHING, the chart with deploy #1, the timeline and 2147483647, with no network request', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => { if (!request.url().startsWith('file:')) requests.push(request.url()); });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(pathToFileURL(file).href);
    expect(await page.textContent('#headline')).toMatch(/^STOP PUSHING: 2147483647 \(INT32_MAX\) bursting/);
    expect(await page.locator('#headline mark.telling').first().textContent()).toBe('2147483647');
    const detectedIn = (Date.parse(firstStop) - Date.parse('2026-11-23T14:08:23Z')) / 1000;
    expect(await page.textContent('#detection')).toContain(`Time to detection: ${detectedIn} s`);
    expect(await page.locator('#chart svg line.deploy').count()).toBe(1);
    expect(await page.locator('#chart svg text', { hasText: '#1' }).count()).toBe(1);
    const ratePoints = await page.getAttribute('#chart svg polyline.rate', 'points');
    expect(ratePoints?.split(' ')).toHaveLength(360);
    const stopRows = page.locator('#verdicts tr[data-level="stop"]');
    expect(await stopRows.count()).toBe(2);
    expect(await stopRows.first().locator('td').first().textContent()).toBe(firstStop.slice(11, 19));
    expect(await stopRows.first().locator('mark.telling').textContent()).toBe('2147483647');
    expect(await page.locator('#timeline tr', { hasText: 'deploy #1 website a0f1d7a by dana' }).count()).toBe(1);
    const chartBox = await page.locator('#chart svg').boundingBox();
    expect(chartBox?.width).toBeGreaterThan(900);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(requests).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
