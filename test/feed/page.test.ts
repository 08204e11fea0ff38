/**
 * The web page in a real headless Chromium against the feed on the fake handle: a broken site
 * (stop verdict, three deploys, the INT32_MAX signature) must read as such on screen.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeed, type Feed } from '../../src/feed/server.js';
import { FakeHandle } from '../support/fake-handle.js';
import { signatureEvent, stopState, verdictEvent } from './events.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(tmpdir(), 'logwatch-feed-page.png');

describe.skipIf(!existsSync(CHROMIUM))('web page', () => {
  let handle: FakeHandle;
  let feed: Feed;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    handle = new FakeHandle();
    handle.state = stopState();
    feed = await startFeed(handle, { port: 0, log: () => {} });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') pageErrors.push(message.text()); });
    await page.goto(feed.url);
  });

  afterAll(async () => {
    await browser?.close();
    await feed?.close();
  });

  it('shows STOP PUSHING, the chart with three deploy lines, and the 2147483647 row', async () => {
    await page.waitForSelector('#verdict[data-level="stop"]');
    expect(await page.textContent('#verdict-level')).toBe('STOP PUSHING');
    expect(await page.textContent('#stats')).toContain('dropped 7 · truncated 3 · evicted 0 · 5 ahead of clock, counted on arrival');
    expect(await page.textContent('#verdict-reason')).toContain('INT32_MAX overflow bursting');
    await page.waitForSelector('#chart canvas');
    await page.waitForSelector('#chart[data-deploy-lines="3"]');
    const row = page.locator('#signatures tbody tr', { hasText: '2147483647' });
    expect(await row.count()).toBe(1);
    expect(await row.locator('mark.telling').textContent()).toBe('2147483647');
    expect(await row.locator('.badge-new').textContent()).toBe('NEW');
    // A string, so this Node-typed file need not know the DOM's types.
    const background = await page.evaluate("getComputedStyle(document.getElementById('verdict')).backgroundColor");
    expect(background).toBe('rgb(179, 0, 0)');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows a clicked row\'s samples as text, never as HTML', async () => {
    await page.locator('#signatures tbody tr', { hasText: '2147483647' }).click();
    await page.waitForSelector('#detail:not([hidden])');
    const sample = await page.textContent('#detail-samples li');
    expect(sample).toContain('<script>alert(1)</script>');
    expect(await page.locator('#detail script').count()).toBe(0);
    expect(await page.textContent('#detail-hosts')).toContain('web-01: 50');
  });

  it('follows events: a new verdict, a new signature, and a new deploy line', async () => {
    handle.emit(verdictEvent('revert', 'Deploy #3 broke checkout on 9 of 12 hosts.'));
    await page.waitForSelector('#verdict[data-level="revert"]');
    expect(await page.textContent('#verdict-level')).toBe('REVERT');
    handle.emit(signatureEvent('c0ffee00', 'Call to undefined method Cart::total() <b>bold</b>'));
    await page.waitForSelector('#signatures tr[data-signature="c0ffee00"]');
    expect(await page.textContent('#signatures tr[data-signature="c0ffee00"] .template')).toContain('<b>bold</b>');
    const deploy = handle.markDeploy({ app: 'website', version: 'd4', at: handle.state.at - 60_000 });
    handle.emit({ type: 'deploy', ...deploy, at: new Date(deploy.at).toISOString() });
    await page.waitForSelector('#chart[data-deploy-lines="4"]');
  });

  it('asks for a snapshot when a seq number is skipped, and catches up', async () => {
    const gapPage = await browser.newPage();
    const sentByPage: string[] = [];
    // Sits between page and server and drops the first signature event, as shedding would.
    await gapPage.routeWebSocket(/\/ws/, (pageSide) => {
      const server = pageSide.connectToServer();
      let dropped = false;
      server.onMessage((message) => {
        if (!dropped && String(message).includes('"type":"signature"')) {
          dropped = true;
          return;
        }
        pageSide.send(message);
      });
      pageSide.onMessage((message) => {
        sentByPage.push(String(message));
        server.send(message);
      });
    });
    await gapPage.goto(feed.url);
    await gapPage.waitForSelector('#chart canvas');
    const missed = { ...handle.state.signatures[0]!, id: 'feedface', template: 'Lost in transit 32768', telling: [] };
    handle.state = { ...handle.state, signatures: [...handle.state.signatures, missed] };
    handle.emit(signatureEvent('feedface', 'Lost in transit 32768'));
    handle.emit(verdictEvent('watch', 'Something new is rising.'));
    await gapPage.waitForSelector('#signatures tr[data-signature="feedface"]');
    expect(sentByPage).toContain('{"type":"snapshot"}');
    await gapPage.close();
  });

  it('reconnects after the server goes away and applies the new server\'s snapshot', async () => {
    const port = feed.port;
    await feed.close();
    await page.waitForSelector('body[data-connection="reconnecting"]');
    handle.state = { ...stopState(), verdict: { ...stopState().verdict, level: 'ok', reason: 'No error above its baseline.' } };
    feed = await startFeed(handle, { port, log: () => {} });
    await page.waitForSelector('#verdict[data-level="ok"]', { timeout: 20_000 });
    expect(await page.textContent('#verdict-level')).toBe('OK — keep going');
    expect(await page.getAttribute('body', 'data-connection')).toBe('live');
  });
});
