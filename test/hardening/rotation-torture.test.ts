/**
 * Rotation torture (issue 7.1): 5 hosts append at a high rate while every log is rotated every
 * 200–600 ms by rename, copytruncate and delete-and-recreate in turn. Every line is seen exactly
 * once, also when the glob names the rotated files (`app.log*`). Lines written before a truncation and not yet read are read from the copy; what
 * copytruncate can still lose (a file copied before anything of it was read) is measured here
 * (printed as lost per 1e6 lines) and never hidden: each lost line must lie in a copytruncated
 * generation, and no line is ever seen twice.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FileFollower } from '../../src/tail/follower.js';
import type { LineBatch } from '../../src/tail/types.js';
import { Collector, makeTempDir, waitUntil } from '../tail/helpers.js';

const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torture-writer.mjs');
/** LOGWATCH_TORTURE_SECONDS shortens (or lengthens) the event-mode run; polling runs a third of it. */
const SECONDS = Number(process.env['LOGWATCH_TORTURE_SECONDS'] ?? 30);
const PAD = 'x'.repeat(60);

interface WriterSummary {
  written: number;
  perHost: number[];
  rotations: Record<'rename' | 'copytruncate' | 'recreate', number>;
  /** [host, first line, end line) of each generation that was copytruncated. */
  copytruncated: Array<[number, number, number]>;
  /** [host, how it ended, first line, end line) of every rotated generation: to explain a loss. */
  generations: Array<[number, string, number, number]>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function runWriter(dir: string, seconds: number, perTick: number): Promise<WriterSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir, String(seconds), String(perTick)]);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout) as WriterSummary) : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
}

const lineOf = (host: number, n: number): string => `host-${host} ${String(n).padStart(8, '0')} ${PAD}`;

/** A lost line with the rotation that ended its generation, e.g. `host-2 00001234 (recreate: lines 1200..1290)`. */
function explain(line: string, summary: WriterSummary): string {
  const [hostText, numberText] = line.split(' ');
  const host = Number(hostText!.slice('host-'.length));
  const n = Number(numberText);
  const generation = summary.generations.find(([h, , from, to]) => h === host && n >= from && n < to);
  return `${hostText} ${numberText} (${generation === undefined ? 'current file' : `${generation[1]}: lines ${generation[2]}..${generation[3]}`})`;
}

/** Sizes of the files under logs/ now, by inode: what a followed file must be read to (wherever its name is). */
function sizesByInode(dir: string): Map<number, number> {
  const sizes = new Map<number, number>();
  for (const host of readdirSync(path.join(dir, 'logs'))) {
    for (const name of readdirSync(path.join(dir, 'logs', host))) {
      const stats = statSync(path.join(dir, 'logs', host, name), { throwIfNoEntry: false });
      if (stats !== undefined) sizes.set(stats.ino, stats.size);
    }
  }
  return sizes;
}

describe.each([
  { mode: 'events', usePolling: false, seconds: SECONDS, pattern: 'logs/*/app.log' },
  { mode: 'polling', usePolling: true, seconds: Math.max(3, Math.round(SECONDS / 3)), pattern: 'logs/*/app.log' },
  // A glob that names the rotated files too: renamed generations stay followed, copytruncate copies must not be read twice.
  { mode: 'events, app.log*', usePolling: false, seconds: Math.max(3, Math.round(SECONDS / 3)), pattern: 'logs/*/app.log*' },
])('rotation torture ($mode, $seconds s)', ({ mode, usePolling, seconds, pattern }) => {
  it('every line exactly once across rename, copytruncate and delete-and-recreate; copytruncate loss measured', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    mkdirSync(path.join(dir, 'logs'));
    const seen = new Collector();
    const distinctSeen = new Set<string>();
    const onBatch = (batch: LineBatch): void => {
      seen.onBatch(batch);
      for (const line of batch.lines) distinctSeen.add(line);
    };
    const warnings: string[] = [];
    const follower = new FileFollower(
      { patterns: [pattern], cwd: dir, start: 'beginning', usePolling, onWarning: (warning) => warnings.push(warning) },
      onBatch,
    );
    cleanups.push(() => follower.close());
    await follower.start();

    const summary = await runWriter(dir, seconds, 5);
    const racy = new Set<string>();
    for (const [host, from, to] of summary.copytruncated) for (let n = from; n < to; n++) racy.add(lineOf(host, n));
    const expected: string[] = [];
    summary.perHost.forEach((count, host) => { for (let n = 0; n < count; n++) expected.push(lineOf(host, n)); });
    const mustSee = expected.filter((line) => !racy.has(line));
    // Settled: every file followed read to its end (wherever its name is now), and every file no
    // pattern names any more drained and closed: with `app.log` that leaves one file per host.
    await waitUntil(() => {
      const sizes = sizesByInode(dir);
      return follower.files().every((file) => sizes.get(file.ino) === file.offset)
        && (pattern !== 'logs/*/app.log' || follower.files().length === summary.perHost.length);
    }, 'the follower to settle', 60_000);
    await waitUntil(() => mustSee.every((line) => distinctSeen.has(line)), 'every line outside copytruncate races', 10_000).catch(() => undefined);

    const lines = seen.lines();
    const distinct = new Set(lines);
    const lost = expected.filter((line) => !distinct.has(line));
    const perMillion = (lost.length / summary.written) * 1e6;
    console.log(`[torture ${mode}] ${summary.written} lines in ${seconds} s, rotations ${JSON.stringify(summary.rotations)}: `
      + `duplicates ${lines.length - distinct.size}, lost ${lost.length} (${perMillion.toFixed(1)} per 1e6 lines; `
      + `all in copytruncate races of ${racy.size} exposed lines), warnings ${warnings.length}`);
    expect(lines.length - distinct.size).toBe(0);
    expect(lost.filter((line) => !racy.has(line)).map((line) => explain(line, summary))).toEqual([]);
    expect(distinct.size).toBe(expected.length - lost.length);
    expect(summary.rotations.rename + summary.rotations.copytruncate + summary.rotations.recreate).toBeGreaterThan(seconds * summary.perHost.length);
    expect(warnings).toEqual([]);
  }, 180_000);
});
