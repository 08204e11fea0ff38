/**
 * The whole chain as a reviewer uses it: `logwatch replay int32-overflow --listen` with the web
 * page open in headless Chromium while the replay runs. The page must turn to STOP PUSHING, draw
 * the deploy as a vertical line, and list the 2147483647 signature.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CliProcess, waitFor } from '../support/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(tmpdir(), 'logwatch-replay-page.png');

describe.skipIf(!existsSync(CHROMIUM))('web page during a replay', () => {
  let browser: Browser | undefined;
  let replay: CliProcess | undefined;

  afterAll(async () => {
    await browser?.close();
    if (replay !== undefined && replay.child.exitCode === null) {
      replay.child.kill('SIGTERM');
      await replay.exited;
    }
  });

  it('turns to STOP PUSHING with the deploy line and the 2147483647 row', async () => {
    replay = new CliProcess(['replay', 'fixtures/int32-overflow', '--json', '--listen', '127.0.0.1:0', '--from', '14:07', '--to', '14:12', '--speed', '20']);
    await waitFor(() => /feed and web page at http/.test(replay!.stderr), 'the feed', 20_000);
    const url = /feed and web page at (http:\/\/\S+)/.exec(replay.stderr)![1]!;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
    // The page connects before the incident: it must change while the replay runs.
    await page.waitForSelector('#verdict[data-level="stop"]', { timeout: 30_000 });
    expect(replay.ofType('verdict').some((v) => v['level'] === 'stop')).toBe(true);
    expect(await page.textContent('#verdict-level')).toBe('STOP PUSHING');
    await page.waitForSelector('#chart[data-deploy-lines="1"]');
    const row = page.locator('#signatures tbody tr', { hasText: '2147483647' });
    expect(await row.count()).toBeGreaterThan(0);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(pageErrors).toEqual([]);
    // After the replay ends the feed keeps serving its final state until interrupted.
    await waitFor(() => replay!.ofType('summary').length === 1, 'the end of the replay', 30_000);
    const state = (await (await fetch(new URL('/api/state', url))).json()) as { finished: boolean; verdict: { level: string } };
    expect(state.finished).toBe(true);
    replay.child.kill('SIGINT');
    expect(await replay.exited).toBe(0);
  }, 90_000);
});
