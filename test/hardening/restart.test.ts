/**
 * Restarts with --state (RELIABILITY.md A14–A19): a watch stopped and started again, also across
 * a rotation while it was down, neither loses nor repeats a line. Real child processes, real files.
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../support/cli.js';
import { WatchChild } from './restart-child.js';

const line = (tag: string, n: number): string => `[24-Nov-2026 01:00:${String(n % 60).padStart(2, '0')} UTC] PHP Warning:  ${tag} ${n} in /srv/app.php on line ${n}`;
const lines = (tag: string, from: number, count: number): string[] => Array.from({ length: count }, (_, i) => line(tag, from + i));
const text = (all: string[]): string => all.map((l) => `${l}\n`).join('');
const sorted = (all: string[]): string[] => [...all].sort();

const children: WatchChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.child.exitCode === null) await child.kill();
});

async function start(stateDir: string, patterns: string[], from: 'beginning' | 'end' = 'beginning'): Promise<WatchChild> {
  const child = await WatchChild.started(stateDir, from, patterns);
  children.push(child);
  return child;
}

function setup(): { dir: string; state: string; log: string } {
  const dir = tempDir('logwatch-restart-');
  mkdirSync(path.join(dir, 'logs'));
  return { dir, state: path.join(dir, 'state'), log: path.join(dir, 'logs', 'app.log') };
}

/** Appends `all` in slices until `until()` holds, yielding between slices, so a stop lands mid-stream; returns how many were written. */
async function appendWhile(file: string, all: string[], slice: number, until: () => boolean): Promise<number> {
  let written = 0;
  while (written < all.length && !until()) {
    appendFileSync(file, text(all.slice(written, written + slice)));
    written = Math.min(all.length, written + slice);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return written;
}

describe('watch --state: restarts', () => {
  it('A14: SIGTERM mid-stream, restart: run1 + run2 is exactly every line, once', async () => {
    const { state, log } = setup();
    const all = lines('a14', 0, 4000);
    writeFileSync(log, text(all.slice(0, 1000)));
    const first = await start(state, [log]);
    await first.waitForLines(500);
    const written = 1000 + await appendWhile(log, all.slice(1000), 100, () => first.lines.length >= 2500);
    await first.stop();
    appendFileSync(log, text(all.slice(written)));
    const second = await start(state, [log]);
    await second.waitForLines(all.length - first.lines.length);
    await second.stop();
    expect(first.lines.length).toBeGreaterThan(0);
    expect(sorted([...first.lines, ...second.lines])).toEqual(sorted(all));
    expect(second.replayed()).toBe(0);
  });

  it('A15: SIGKILL mid-stream: nothing lost; every line read twice is counted as replayed', async () => {
    const { state, log } = setup();
    const all = lines('a15', 0, 20_000);
    writeFileSync(log, text(all.slice(0, 2000)));
    const first = await start(state, [log]);
    await first.waitForLines(1000);
    const written = 2000 + await appendWhile(log, all.slice(2000), 200, () => first.lines.length >= 8000);
    // Past at least one periodic checkpoint (1 s), so the kill tests resuming from one.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await first.kill();
    appendFileSync(log, text(all.slice(written)));
    const second = await start(state, [log]);
    await waitFor(() => new Set([...first.lines, ...second.lines]).size === all.length, 'every line', 20_000);
    await second.stop();
    const once = new Set(first.lines);
    const duplicates = second.lines.filter((l) => once.has(l)).length;
    expect(new Set([...first.lines, ...second.lines]).size).toBe(all.length);
    expect(first.lines.length + second.lines.length).toBe(all.length + duplicates);
    expect(second.replayed()).toBeGreaterThanOrEqual(duplicates);
    // The run resumed from a checkpoint, not from 0.
    expect(duplicates).toBeLessThan(first.lines.length);
  });

  it('A16: rotated by rename while stopped: the unread tail of the old file once, the new file from 0', async () => {
    const { state, log } = setup();
    const before = lines('before', 0, 100);
    writeFileSync(log, text(before));
    const first = await start(state, [log]);
    await first.waitForLines(100);
    await first.stop();
    const unread = lines('unread', 0, 50);
    appendFileSync(log, text(unread));
    renameSync(log, `${log}.1`);
    const fresh = lines('new', 0, 30);
    writeFileSync(log, text(fresh));
    const second = await start(state, [log]);
    await second.waitForLines(80);
    await second.stop();
    expect(sorted(second.lines)).toEqual(sorted([...unread, ...fresh]));
  });

  it('A16: copytruncate while stopped, rewritten past the old offset: only the new content', async () => {
    const { state, log } = setup();
    writeFileSync(log, text(lines('old', 0, 100)));
    const first = await start(state, [log]);
    await first.waitForLines(100);
    await first.stop();
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    const fresh = lines('rewritten-longer', 0, 200);
    appendFileSync(log, text(fresh));
    expect(statSync(log).size).toBeGreaterThan(statSync(`${log}.1`).size);
    const second = await start(state, [log]);
    await second.waitForLines(200);
    await second.stop();
    expect(sorted(second.lines)).toEqual(sorted(fresh));
  });

  it('A17: a multi-line record and a partial line cut by a stop are read whole, once, after the restart', async () => {
    const { state, log } = setup();
    const first = lines('done', 0, 3);
    const header = '[24-Nov-2026 01:00:10 UTC] PHP Fatal error:  Uncaught Exception: boom in /srv/a.php:3';
    writeFileSync(log, text([...first, header, 'Stack trace:', '#0 /srv/a.php(3): f()']) + 'partial');
    const run1 = await start(state, [log]);
    await run1.waitForLines(3);
    // The record is open (its trace may go on): held back, not handed on.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await run1.stop();
    expect(run1.lines).toEqual(first);
    appendFileSync(log, ' line\n' + text(['#1 {main}', '  thrown in /srv/a.php on line 3', line('after', 1)]));
    const run2 = await start(state, [log]);
    await run2.waitForLines(7);
    await run2.stop();
    expect(run2.lines).toEqual([header, 'Stack trace:', '#0 /srv/a.php(3): f()', 'partial line', '#1 {main}', '  thrown in /srv/a.php on line 3', line('after', 1)]);
  });

  it('A18: a corrupt state file gives a warning and a fresh start; a stray temp file is ignored', async () => {
    const { state, log } = setup();
    const all = lines('a18', 0, 20);
    writeFileSync(log, text(all));
    const first = await start(state, [log]);
    await first.waitForLines(20);
    await first.stop();
    // A crash between writing the temp file and the rename leaves this behind: the old state is used.
    writeFileSync(path.join(state, 'checkpoints.new.json'), '{"version":1,"files":[{"path":');
    const second = await start(state, [log]);
    appendFileSync(log, text([line('more', 1)]));
    await second.waitForLines(1);
    await second.stop();
    expect(second.lines).toEqual([line('more', 1)]);
    writeFileSync(path.join(state, 'checkpoints.json'), '{"version":1,"files":[{"path":');
    const third = await start(state, [log]);
    await third.waitForLines(21);
    await third.stop();
    expect(third.stderr).toMatch(/checkpoints\.json is corrupt; starting without saved offsets/);
    expect(sorted(third.lines)).toEqual(sorted([...all, line('more', 1)]));
  });

  it('A19: the file deleted and recreated while stopped (inode perhaps reused): the new file from 0', async () => {
    const { state, log } = setup();
    writeFileSync(log, text(lines('gen1', 0, 100)));
    const first = await start(state, [log]);
    await first.waitForLines(100);
    await first.stop();
    rmSync(log);
    const gen2 = lines('gen2-longer-line-so-that-the-old-offset-lands-inside', 0, 120);
    writeFileSync(log, text(gen2));
    const second = await start(state, [log]);
    await second.waitForLines(120);
    await second.stop();
    expect(sorted(second.lines)).toEqual(sorted(gen2));
    expect(existsSync(path.join(state, 'checkpoints.json'))).toBe(true);
  });
});
