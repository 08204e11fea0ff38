import {
  appendFileSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FileFollower, type FollowOptions } from '../../src/tail/follower.js';
import { Collector, asText, makeTempDir, multiset, numbered, waitUntil } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  return dir;
}

async function follow(options: Partial<FollowOptions> & { patterns: string[] }): Promise<{ follower: FileFollower; seen: Collector; warnings: string[] }> {
  const seen = new Collector();
  const warnings: string[] = [];
  const follower = new FileFollower({ start: 'end', onWarning: (message) => warnings.push(message), ...options }, seen.onBatch);
  cleanups.push(() => follower.close());
  await follower.start();
  return { follower, seen, warnings };
}

/** `app.log` held open for appending (as a logger holds it), followed from its start; rotated files are drained for 200 ms. */
async function followAppendedLog(): Promise<{ log: string; writer: number; follower: FileFollower; seen: Collector }> {
  const log = path.join(await tempDir(), 'app.log');
  const writer = openSync(log, 'a');
  const { follower, seen } = await follow({ patterns: [log], start: 'beginning', rotateWaitMs: 200 });
  return { log, writer, follower, seen };
}

/** The follower has read `file` (the inode now at that path) to its current end. */
function caughtUp(follower: FileFollower, file: string): boolean {
  const now = statSync(file);
  return follower.files().some((followed) => followed.ino === now.ino && followed.offset === now.size);
}

/**
 * Writes lines, waits until they are read, copies the log to `app.log.1` and truncates it (as
 * logrotate's copytruncate, the writer quiet meanwhile), writes again and closes the writer.
 * Returns every line written.
 */
async function copytruncateBetweenWrites(log: string, writer: number, follower: FileFollower, seen: Collector): Promise<string[]> {
  const before = numbered('before-', 5);
  writeSync(writer, asText(before));
  await expectSeenExactly(seen, before);
  await waitUntil(() => caughtUp(follower, log), 'caught up');
  copyFileSync(log, `${log}.1`);
  truncateSync(log, 0);
  const after = numbered('after-', 3);
  writeSync(writer, asText(after));
  closeSync(writer);
  return [...before, ...after];
}

async function expectSeenExactly(seen: Collector, written: string[]): Promise<void> {
  await waitUntil(() => seen.lines().length >= written.length && seen.has(written), `${written.length} lines`);
  expect(multiset(seen.lines())).toEqual(multiset(written));
}

describe.each([
  { mode: 'events', usePolling: false },
  { mode: 'polling', usePolling: true },
])('FileFollower ($mode)', ({ usePolling }) => {
  it('A1: a partial last line is held until its newline and emitted once, whole', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, '');
    const { follower, seen } = await follow({ patterns: [log], usePolling });
    appendFileSync(log, 'partial');
    await waitUntil(() => caughtUp(follower, log), 'the partial line read');
    expect(seen.lines()).toEqual([]);
    appendFileSync(log, ' line\n');
    await expectSeenExactly(seen, ['partial line']);
  });

  it('A3: rename rotation while the old fd keeps writing: old, late-old and new each once', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    const oldWriter = openSync(log, 'a');
    const { follower, seen } = await follow({ patterns: [log], usePolling });
    writeSync(oldWriter, 'before\n');
    await expectSeenExactly(seen, ['before']);
    renameSync(log, `${log}.1`);
    const newWriter = openSync(log, 'a');
    writeSync(newWriter, 'new\n');
    await waitUntil(() => caughtUp(follower, log), 'the new file read');
    writeSync(oldWriter, 'late-old\n');
    closeSync(oldWriter);
    closeSync(newWriter);
    await expectSeenExactly(seen, ['before', 'new', 'late-old']);
    expect(new Set(seen.batches.map((batch) => batch.source))).toEqual(new Set([log]));
  });

  it('A8: truncate and rewrite, shorter and longer than the old offset: all new lines seen', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, '');
    const { follower, seen } = await follow({ patterns: [log], usePolling });
    const first = numbered('', 10);
    writeFileSync(log, asText(first));
    await expectSeenExactly(seen, first);
    const shorter = numbered('', 5, 11);
    writeFileSync(log, asText(shorter)); // `seq 11 15 > f`
    await expectSeenExactly(seen, [...first, ...shorter]);
    await waitUntil(() => caughtUp(follower, log), 'caught up');
    const longer = numbered('rewritten-', 20);
    writeFileSync(log, asText(longer)); // more bytes than the old offset: only the offset marker tells
    await expectSeenExactly(seen, [...first, ...shorter, ...longer]);
  });

  it.each([0, 300])('A9: delete and recreate with a %i ms gap: both generations once, old fd closed', async (gapMs) => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, '');
    const { follower, seen } = await follow({ patterns: [log], usePolling, rotateWaitMs: 200 });
    const generation1 = numbered('gen1-', 3);
    appendFileSync(log, asText(generation1));
    await expectSeenExactly(seen, generation1);
    unlinkSync(log);
    if (gapMs > 0) await delay(gapMs); // the gap is the scenario (around chokidar's 100 ms atomic window), not a wait for a result
    const generation2 = numbered('gen2-', 3);
    appendFileSync(log, asText(generation2));
    await expectSeenExactly(seen, [...generation1, ...generation2]);
    await waitUntil(() => follower.files().length === 1, 'the deleted file closed');
    expect(follower.counters().files).toBe(1);
  });
});

describe('FileFollower start positions (A2)', () => {
  async function setup(): Promise<{ dir: string; pattern: string; old: string[]; alpha: string }> {
    const dir = await tempDir();
    mkdirSync(path.join(dir, 'logs', 'alpha'), { recursive: true });
    const alpha = path.join(dir, 'logs', 'alpha', 'app.log');
    const old = numbered('old-', 10);
    writeFileSync(alpha, asText(old));
    return { dir, pattern: path.join(dir, 'logs', '*', 'app.log'), old, alpha };
  }

  async function appendAndAddHost(dir: string, alpha: string): Promise<string[]> {
    const appended = numbered('appended-', 5);
    appendFileSync(alpha, asText(appended));
    mkdirSync(path.join(dir, 'logs', 'beta'));
    const fresh = numbered('beta-', 7);
    writeFileSync(path.join(dir, 'logs', 'beta', 'app.log'), asText(fresh));
    return [...appended, ...fresh];
  }

  it("'end': old lines skipped, appended lines and a new file's lines (from 0) seen", async () => {
    const { dir, pattern, alpha } = await setup();
    const { seen } = await follow({ patterns: [pattern], start: 'end' });
    const expected = await appendAndAddHost(dir, alpha);
    await expectSeenExactly(seen, expected);
  });

  it("'beginning': everything seen", async () => {
    const { dir, pattern, old, alpha } = await setup();
    const { seen } = await follow({ patterns: [pattern], start: 'beginning' });
    await expectSeenExactly(seen, old);
    const expected = await appendAndAddHost(dir, alpha);
    await expectSeenExactly(seen, [...old, ...expected]);
  });

  it("'end' with a line still being written at start: that line is emitted whole once finished", async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, 'done\nhalf of ');
    const { seen } = await follow({ patterns: [log], start: 'end' });
    appendFileSync(log, 'a line\nnext\n');
    await expectSeenExactly(seen, ['half of a line', 'next']);
  });
});

describe('FileFollower rotation and truncation', () => {
  it('A4: 50 rapid rename-overs on 3 files at once: every line once, nothing leaked', async () => {
    const dir = await tempDir();
    const logs = [0, 1, 2].map((index) => path.join(dir, `f${index}.log`));
    for (const log of logs) writeFileSync(log, '');
    const { follower, seen, warnings } = await follow({ patterns: logs, rotateWaitMs: 100, reconcileMs: 50 });
    const written: string[] = [];
    for (let round = 0; round < 50; round++) {
      for (const [index, log] of logs.entries()) {
        appendFileSync(log, `${index}:${round}\n`);
        writeFileSync(`${log}.tmp`, `${index}:ok-${round}\n`);
        renameSync(`${log}.tmp`, log); // mv x k: rename over the followed name
        written.push(`${index}:${round}`, `${index}:ok-${round}`);
      }
      await waitUntil(() => seen.has(logs.map((_, index) => `${index}:ok-${round}`)), `round ${round}`);
    }
    await expectSeenExactly(seen, written);
    await waitUntil(() => follower.files().length === logs.length, 'replaced files closed');
    expect(warnings).toEqual([]);
  });

  it('A4: a generation written and rotated away between two looks is read under its rotated name', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    const hourAgo = new Date(Date.now() - 3_600_000);
    writeFileSync(`${log}.0`, 'rotated before the start\n');
    utimesSync(`${log}.0`, hourAgo, hourAgo);
    writeFileSync(log, 'g0-1\n');
    const { seen, warnings } = await follow({ patterns: [log], start: 'beginning', rotateWaitMs: 200 });
    await expectSeenExactly(seen, ['g0-1']);
    // All before the follower can look again: generation 1 never stands at app.log when it does.
    renameSync(log, `${log}.1`);
    writeFileSync(log, 'g1-1\ng1-2\n');
    renameSync(log, `${log}.2`);
    writeFileSync(log, 'g2-1\n');
    await expectSeenExactly(seen, ['g0-1', 'g1-1', 'g1-2', 'g2-1']);
    expect(warnings).toEqual([]);
  });

  it('A4: beside such a rotation, a copytruncate copy of what was read is not read again', async () => {
    const { log, writer, follower, seen } = await followAppendedLog();
    const before = numbered(`before-${'x'.repeat(40)}-`, 4);
    writeSync(writer, asText(before));
    await expectSeenExactly(seen, before);
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    const after = numbered('after-', 2);
    writeSync(writer, asText(after));
    closeSync(writer);
    await expectSeenExactly(seen, [...before, ...after]);
    await waitUntil(() => caughtUp(follower, log), 'caught up');
    renameSync(log, `${log}.2`);
    writeFileSync(log, 'next-1\n');
    await expectSeenExactly(seen, [...before, ...after, 'next-1']);
    await waitUntil(() => follower.files().length === 1, 'the rotated file drained and closed');
    expect(multiset(seen.lines())).toEqual(multiset([...before, ...after, 'next-1']));
  });

  it('A10: rename-over reads the new content from 0 and drains the rest of the old inode', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    const oldWriter = openSync(log, 'a');
    const { seen } = await follow({ patterns: [log] });
    writeSync(oldWriter, 'old-1\n');
    await expectSeenExactly(seen, ['old-1']);
    writeFileSync(path.join(dir, 'x'), 'x-1\nx-2\n');
    renameSync(path.join(dir, 'x'), log);
    writeSync(oldWriter, 'old-2\n');
    closeSync(oldWriter);
    await expectSeenExactly(seen, ['old-1', 'x-1', 'x-2', 'old-2']);
  });

  it('A12: a symlink retargeted atomically: lines of both targets, once each', async () => {
    const dir = await tempDir();
    const [a, b, link] = ['a.log', 'b.log', 'current.log'].map((name) => path.join(dir, name)) as [string, string, string];
    writeFileSync(a, '');
    writeFileSync(b, '');
    symlinkSync(a, link);
    const { follower, seen } = await follow({ patterns: [link] });
    appendFileSync(a, 'a-1\n');
    await expectSeenExactly(seen, ['a-1']);
    symlinkSync(b, `${link}.new`);
    renameSync(`${link}.new`, link); // like os.replace of the link
    appendFileSync(b, 'b-1\n');
    await waitUntil(() => caughtUp(follower, b), 'the new target read');
    appendFileSync(a, 'a-2\n'); // the old target is still written for a while
    await expectSeenExactly(seen, ['a-1', 'b-1', 'a-2']);
  });

  it('A5: copytruncate with a quiescent writer: no loss, no duplicates, the copy not re-read', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    const writer = openSync(log, 'a');
    // The copy, `app.log.1`, is not matched by *.log, as logrotate's copy should not be (A6g: when it is).
    const { follower, seen } = await follow({ patterns: [path.join(dir, '*.log')] });
    await expectSeenExactly(seen, await copytruncateBetweenWrites(log, writer, follower, seen));
  });

  it('A6: copytruncate racing the writer: what was written after the last read is read from the copy, a partial line whole', async () => {
    const { log, writer, follower, seen } = await followAppendedLog();
    const before = numbered(`before-${'x'.repeat(40)}-`, 3);
    writeSync(writer, `${asText(before)}partial-st`);
    await expectSeenExactly(seen, before);
    await waitUntil(() => caughtUp(follower, log), 'the partial line read');
    // Written, copied and truncated away before the follower can look: only the copy holds these.
    const raced = numbered('raced-', 3);
    writeSync(writer, `art\n${asText(raced)}`);
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    const after = numbered('after-', 2);
    writeSync(writer, asText(after));
    closeSync(writer);
    await expectSeenExactly(seen, [...before, 'partial-start', ...raced, ...after]);
    await waitUntil(() => follower.files().length === 1, 'the copy drained and closed');
    expect(multiset(seen.lines())).toEqual(multiset([...before, 'partial-start', ...raced, ...after]));
  });

  describe.each([
    { mode: 'events', usePolling: false },
    { mode: 'polling', usePolling: true },
  ])('A6g: a glob that also names the rotated copies (app.log*), $mode', ({ usePolling }) => {
    /** `app.log` held open for appending, followed through `app.log*` from its start. */
    async function followGlobbedLog(): Promise<{ log: string; writer: number; follower: FileFollower; seen: Collector }> {
      const dir = await tempDir();
      const log = path.join(dir, 'app.log');
      const writer = openSync(log, 'a');
      const { follower, seen } = await follow({ patterns: [`${log}*`], start: 'beginning', rotateWaitMs: 200, usePolling });
      return { log, writer, follower, seen };
    }

    /** Writes lines that fill the log's first bytes (what a copy is known by) and waits until they are read; returns them. */
    async function writeHeadAndCatchUp(log: string, writer: number, follower: FileFollower, seen: Collector): Promise<string[]> {
      const before = numbered(`before-${'x'.repeat(40)}-`, 3);
      writeSync(writer, asText(before));
      await expectSeenExactly(seen, before);
      await waitUntil(() => caughtUp(follower, log), 'caught up');
      return before;
    }

    /** Lines already counted would come again some time after the copy appeared: give that time, then compare. */
    async function expectNoMoreThan(seen: Collector, written: string[]): Promise<void> {
      await expectSeenExactly(seen, written);
      await delay(usePolling ? 1500 : 600);
      expect(multiset(seen.lines())).toEqual(multiset(written));
    }

    it('a copytruncate copy of what was read is not read again as a file of its own', async () => {
      const { log, writer, follower, seen } = await followGlobbedLog();
      await expectNoMoreThan(seen, await copytruncateBetweenWrites(log, writer, follower, seen));
    });

    it('racing the writer: what only the copy holds is read from it, once', async () => {
      const { log, writer, follower, seen } = await followGlobbedLog();
      const before = await writeHeadAndCatchUp(log, writer, follower, seen);
      const raced = numbered('raced-', 3);
      writeSync(writer, asText(raced));
      copyFileSync(log, `${log}.1`);
      truncateSync(log, 0);
      const after = numbered('after-', 2);
      writeSync(writer, asText(after));
      closeSync(writer);
      await expectNoMoreThan(seen, [...before, ...raced, ...after]);
    });

    it('a copy seen while it is still being written is looked at again, and not read either', async () => {
      const { log, writer, follower, seen } = await followGlobbedLog();
      const before = await writeHeadAndCatchUp(log, writer, follower, seen);
      const content = readFileSync(log);
      writeFileSync(`${log}.1`, content.subarray(0, 10)); // the copy's first bytes only, as `cp` is writing it
      await delay(usePolling ? 1500 : 600);
      appendFileSync(`${log}.1`, content.subarray(10));
      truncateSync(log, 0);
      const after = numbered('after-', 2);
      writeSync(writer, asText(after));
      closeSync(writer);
      await expectNoMoreThan(seen, [...before, ...after]);
    });

    it('compressed rotated files (app.log.2.gz) are not read as text: a warning each, counted', async () => {
      const dir = await tempDir();
      const log = path.join(dir, 'app.log');
      const old = numbered('old-', 3);
      writeFileSync(`${log}.3.gz`, gzipSync(asText(old)));
      const { follower, seen, warnings } = await follow({ patterns: [`${log}*`], start: 'beginning', usePolling });
      const lines = numbered('line-', 3);
      appendFileSync(log, asText(lines));
      writeFileSync(`${log}.2.gz`, gzipSync(asText(old)));
      await waitUntil(() => warnings.length >= 2, 'a warning for each compressed file');
      await expectNoMoreThan(seen, lines);
      expect(warnings.every((warning) => /app\.log\.[23]\.gz: gzip-compressed, not text; skipped/.test(warning))).toBe(true);
      expect(follower.counters().errors).toBe(2);
    });

    it('a new generation under a rotated name (nothing of it read) is read from its start', async () => {
      const { log, writer, seen } = await followGlobbedLog();
      const before = numbered('before-', 2);
      writeSync(writer, asText(before));
      closeSync(writer);
      await expectSeenExactly(seen, before);
      const other = numbered('other-generation-', 4);
      writeFileSync(`${log}.2`, asText(other));
      await expectNoMoreThan(seen, [...before, ...other]);
    });
  });

  it('A7: copytruncate under a writer without O_APPEND: the NUL hole is skipped and counted', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, '');
    const writer = openSync(log, 'r+'); // no O_APPEND: keeps writing at its own offset
    const { follower, seen } = await follow({ patterns: [log] });
    writeSync(writer, 'line-1\nline-2\n');
    await expectSeenExactly(seen, ['line-1', 'line-2']);
    await waitUntil(() => caughtUp(follower, log), 'caught up');
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    writeSync(writer, 'line-3\n');
    closeSync(writer);
    await expectSeenExactly(seen, ['line-1', 'line-2', 'line-3']);
    expect(seen.lines().some((line) => line.includes('\0'))).toBe(false);
    expect(follower.counters().dropped).toBeGreaterThan(0);
  });
});

describe('FileFollower discovery', () => {
  it('A11: a missing directory that appears later, then is removed and recreated', async () => {
    const dir = await tempDir();
    const { seen } = await follow({ patterns: [path.join(dir, 'logs', '*', 'app.log'), path.join(dir, 'later', 'plain.log')] });
    mkdirSync(path.join(dir, 'logs', 'h1'), { recursive: true });
    writeFileSync(path.join(dir, 'logs', 'h1', 'app.log'), asText(['first-1', 'first-2']));
    mkdirSync(path.join(dir, 'later'));
    writeFileSync(path.join(dir, 'later', 'plain.log'), 'plain-1\n');
    await expectSeenExactly(seen, ['first-1', 'first-2', 'plain-1']);
    rmSync(path.join(dir, 'logs'), { recursive: true });
    mkdirSync(path.join(dir, 'logs', 'h1'), { recursive: true });
    writeFileSync(path.join(dir, 'logs', 'h1', 'app.log'), 'second-1\n');
    await expectSeenExactly(seen, ['first-1', 'first-2', 'plain-1', 'second-1']);
  });

  it('A13: a new host directory is picked up, its lines attributed by the host pattern', async () => {
    const dir = await tempDir();
    mkdirSync(path.join(dir, 'logs', 'alpha'), { recursive: true });
    writeFileSync(path.join(dir, 'logs', 'alpha', 'php_errors.log'), '');
    const { seen, follower } = await follow({ patterns: ['logs/*/php_errors.log'], hostPattern: 'logs/{host}/*.log', cwd: dir });
    mkdirSync(path.join(dir, 'logs', 'delta'));
    const lines = numbered('delta-', 10);
    writeFileSync(path.join(dir, 'logs', 'delta', 'php_errors.log'), asText(lines));
    await expectSeenExactly(seen, lines);
    for (const batch of seen.batches) {
      expect(batch.host).toBe('delta');
      expect(batch.source).toBe(path.join('logs', 'delta', 'php_errors.log'));
    }
    expect(follower.files().map((file) => file.host).sort()).toEqual(['alpha', 'delta']);
  });

  it('a directory matched by a glob and a FIFO named as a path: one warning each, counted, other files still followed', async () => {
    const dir = await tempDir();
    mkdirSync(path.join(dir, 'logs', 'subdir.log'), { recursive: true });
    const fifo = path.join(dir, 'logs', 'pipe.fifo');
    execFileSync('mkfifo', [fifo]); // never opened: opening a FIFO for reading blocks until a writer comes
    writeFileSync(path.join(dir, 'logs', 'ok.log'), '');
    const { seen, follower, warnings } = await follow({ patterns: [path.join(dir, 'logs', '*.log'), fifo], rescanMs: 50, reconcileMs: 20 });
    appendFileSync(path.join(dir, 'logs', 'ok.log'), 'fine\n');
    await expectSeenExactly(seen, ['fine']);
    await delay(200); // let several rescans and reconciles pass: the warnings must still be one each
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/subdir\.log: is a directory/);
    expect(warnings.join('\n')).toMatch(/pipe\.fifo: is not a regular file/);
    expect(follower.counters().errors).toBe(2);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file (EACCES): one warning, counted, others followed', async () => {
    const dir = await tempDir();
    writeFileSync(path.join(dir, 'secret.log'), 'hidden\n', { mode: 0o000 });
    writeFileSync(path.join(dir, 'ok.log'), '');
    const { seen, follower, warnings } = await follow({ patterns: [path.join(dir, '*.log')], start: 'beginning' });
    appendFileSync(path.join(dir, 'ok.log'), 'fine\n');
    await expectSeenExactly(seen, ['fine']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/secret\.log: .*EACCES/);
    expect(follower.counters().errors).toBe(1);
  });
});

describe('FileFollower bytes and bounds', () => {
  it('A24: a 10 MiB line without a newline, then a normal line: one cut line, counted, and the normal one', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, '');
    const { follower, seen } = await follow({ patterns: [log] });
    const mebibyte = Buffer.alloc(1024 * 1024, 'é'); // 2-byte characters: the cut must respect them
    for (let index = 0; index < 10; index++) appendFileSync(log, mebibyte);
    appendFileSync(log, '\nnormal line\n');
    await waitUntil(() => seen.has(['normal line']), 'the normal line');
    const lines = seen.lines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('é'.repeat(32_768));
    expect(lines[1]).toBe('normal line');
    expect(follower.counters().truncated).toBe(1);
    expect(follower.counters().bytes).toBe(10 * 1024 * 1024 + 13);
  });

  it('A25: a character split across writes, invalid bytes, a BOM and CRLF', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, '');
    const { follower, seen } = await follow({ patterns: [path.join(dir, '*.log')] });
    const writer = openSync(log, 'a');
    writeSync(writer, Buffer.from([0x63, 0x61, 0x66, 0xc3])); // "caf" + first byte of é
    await waitUntil(() => caughtUp(follower, log), 'the first half read');
    writeSync(writer, Buffer.from([0xa9, 0x0a, 0x61, 0xff, 0xfe, 0x62, 0x0a]));
    writeSync(writer, 'windows\r\n');
    closeSync(writer);
    writeFileSync(path.join(dir, 'bom.log'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('first\r\nsecond\n')]));
    await expectSeenExactly(seen, ['café', 'a\uFFFD\uFFFDb', 'windows', 'first', 'second']);
  });

  it('fairness: a file with more than the per-turn budget does not hold back a quiet one', async () => {
    const dir = await tempDir();
    const busy = path.join(dir, 'busy.log');
    const quiet = path.join(dir, 'quiet.log');
    writeFileSync(busy, '');
    writeFileSync(quiet, '');
    const { seen } = await follow({ patterns: [busy, quiet] });
    appendFileSync(busy, asText(numbered('busy-line-padded-to-some-length-', 200_000))); // ~8 MiB
    appendFileSync(quiet, 'quiet\n');
    await waitUntil(() => seen.lines().length === 200_001, 'all lines');
    const order = seen.batches.map((batch) => path.basename(batch.source));
    // Reads are at most 1 MiB per file per turn, so the quiet file's batch comes before the busy file is done.
    expect(order.indexOf('quiet.log')).toBeLessThan(order.lastIndexOf('busy.log'));
  });
});

describe('FileFollower catchUp', () => {
  it('reads what the files hold when asked, without waiting for a watch event', async () => {
    const dir = await tempDir();
    const logs = ['a', 'b', 'c'].map((name) => path.join(dir, `${name}.log`));
    for (const log of logs) writeFileSync(log, '');
    // Stat polling (every 100 ms) and no reconcile: only catchUp reads these lines in the few ms the test takes.
    const { follower, seen } = await follow({ patterns: logs, usePolling: true, reconcileMs: 60_000 });
    const written = logs.flatMap((log, f) => {
      const lines = numbered(`f${f}-`, 2000);
      appendFileSync(log, asText(lines));
      return lines;
    });
    await follower.catchUp();
    expect(multiset(seen.lines())).toEqual(multiset(written));
  });
});

describe('FileFollower --since', () => {
  it('starts each file at the first line at or after now − since (binary search), stepping over untimed lines', async () => {
    const dir = await tempDir();
    const base = 1_700_000_000_000;
    const records = 5000; // ~300 KB: several probes
    const all: string[] = [];
    for (let index = 0; index < records; index++) all.push(`t=${base + index * 1000} record ${index}`, `  continuation of ${index}`);
    writeFileSync(path.join(dir, 'timed.log'), asText(all));
    const untimed = numbered('no time here ', 50);
    writeFileSync(path.join(dir, 'untimed.log'), asText(untimed));
    writeFileSync(path.join(dir, 'old.log'), asText([`t=${base} ancient`]));
    const lineTime = (line: string): number | undefined => {
      const match = /^t=(\d+) /.exec(line);
      return match ? Number(match[1]) : undefined;
    };
    const now = base + records * 1000;
    const { seen } = await follow({ patterns: [path.join(dir, '*.log')], start: { sinceMs: 1000 * 1000, now, lineTime } });
    const recent = all.slice(2 * (records - 1000));
    await expectSeenExactly(seen, [...recent, ...untimed]);
    expect(recent[0]).toBe(`t=${base + 4000 * 1000} record 4000`);
  });
});

describe('FileFollower at a watch limit', () => {
  // The limits themselves are system-wide (fs.inotify.max_user_watches, ulimit -n) and cannot be
  // lowered for one test; the watcher's error is what the follower sees of them, so it is injected.
  it.each(['ENOSPC', 'EMFILE'])('%s: warns, switches to stat polling once, and keeps every line', async (code) => {
    const dir = await tempDir();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, '');
    const { follower, seen, warnings } = await follow({ patterns: [log] });
    const watcherOf = () => (follower as unknown as { watcher?: { options: { usePolling?: boolean }; emit(event: string, error: Error): void } }).watcher;
    expect(watcherOf()?.options.usePolling).toBe(false);
    watcherOf()!.emit('error', Object.assign(new Error(`${code}: system limit reached`), { code }));
    expect(warnings).toEqual([expect.stringContaining(`system limit (${code}); switching to polling`)]);
    await waitUntil(() => watcherOf()?.options.usePolling === true, 'a polling watcher');
    appendFileSync(log, asText(['after the limit']));
    await expectSeenExactly(seen, ['after the limit']);
    // Polling already: a further limit error is reported once, whatever its repeats.
    for (let i = 0; i < 3; i++) watcherOf()!.emit('error', Object.assign(new Error(`${code}: again`), { code }));
    expect(warnings).toEqual([expect.stringContaining('switching to polling'), expect.stringContaining(`file watcher error: ${code}: again`)]);
    expect(follower.counters().errors).toBe(2);
  });
});
