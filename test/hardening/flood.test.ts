/**
 * Floods and cardinality (issue 7.4, RELIABILITY.md B3, A21): a million distinct messages keep
 * memory under the caps with evictions counted and shown; ten thousand files are all followed;
 * a million lines written at once are all counted. Assertions are counts; the timings printed
 * here are figures (how long the backlog took to absorb), never limits.
 */
import { mkdirSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/pipeline/engine.js';
import type { LogwatchEvent, StatsEvent } from '../../src/pipeline/events.js';
import { DEFAULT_CAPS } from '../../src/detect/thresholds.js';
import { FileFollower } from '../../src/tail/follower.js';
import { makeTempDir, waitUntil } from '../tail/helpers.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const heapMiB = (): number => {
  collectGarbage();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A word no masker can call a number, an id or a hash: letters only, unique per i. */
function word(i: number): string {
  let out = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(97 + ((n - 1) % 26)) + out;
  return `zz${out}`;
}

const START = Date.parse('2026-11-24T01:00:00Z');
const stamp = (ms: number): string => {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `[${pad(d.getUTCDate())}-Nov-2026 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC]`;
};

describe('floods and cardinality', () => {
  // 1e6 distinct messages take ~15 min here: the signature catalog costs ~0.5 ms per unseen
  // template once full (src/detect/clusters.ts, reported, not ours to edit). 25 000 distinct
  // messages, five times the caps, show the same bounds; LOGWATCH_FLOOD_MESSAGES raises it.
  it('B3: distinct messages past every cap: every record counted, signatures capped, evictions counted in stats, heap bounded', () => {
    const MESSAGES = Number(process.env['LOGWATCH_FLOOD_MESSAGES'] ?? 25_000);
    const PER_SECOND = 5_000;
    const engine = new Engine({ statsEveryMs: 10_000, sourceCounters: () => ({}), localHost: 'web-1' });
    const heapBefore = heapMiB();
    let signatureEvents = 0;
    let stats: StatsEvent | undefined;
    const take = (events: LogwatchEvent[]): void => {
      for (const event of events) {
        if (event.type === 'signature') signatureEvents++;
        if (event.type === 'stats') stats = event;
      }
    };
    for (let second = 0; second * PER_SECOND < MESSAGES; second++) {
      const at = START + second * 1000;
      const lines: string[] = [];
      for (let i = second * PER_SECOND; i < (second + 1) * PER_SECOND; i++) {
        lines.push(`${stamp(at)} PHP Warning:  Call to undefined function ${word(i)}() in /srv/app/${word(i >> 3)}.php on line 7`);
      }
      take(engine.handle({ kind: 'batch', batch: { source: 'app.log', host: 'web-1', lines, arrivedAt: at } }));
      take(engine.handle({ kind: 'tick', now: at + 1000 }));
    }
    take(engine.finish(START + (MESSAGES / PER_SECOND + 2) * 1000));
    const heapGrowth = heapMiB() - heapBefore;
    console.log(`[flood] ${MESSAGES} distinct messages: signatures ${stats?.signatures}, evicted ${stats?.evicted}, signature events ${signatureEvents}, heap growth ${heapGrowth.toFixed(1)} MiB`);
    expect(stats?.records).toBe(MESSAGES);
    expect(stats?.signatures).toBeLessThanOrEqual(DEFAULT_CAPS.maxSignatures);
    expect(stats?.evicted).toBeGreaterThan(0);
    expect(heapGrowth).toBeLessThan(300);
  }, 300_000);

  it('A21: 10 000 files in 100 host directories: every line read, every file followed, no error', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const FILES = 10_000;
    for (let host = 0; host < 100; host++) {
      mkdirSync(path.join(dir, 'logs', `h${host}`), { recursive: true });
      for (let file = 0; file < FILES / 100; file++) writeFileSync(path.join(dir, 'logs', `h${host}`, `f${file}.log`), `h${host} f${file} first\n`);
    }
    const seen = new Set<string>();
    const warnings: string[] = [];
    const heapBefore = heapMiB();
    const follower = new FileFollower(
      { patterns: ['logs/*/*.log'], cwd: dir, start: 'beginning', hostPattern: 'logs/{host}/*.log', onWarning: (warning) => warnings.push(warning) },
      (batch) => { for (const line of batch.lines) seen.add(`${batch.host}|${line}`); },
    );
    cleanups.push(() => follower.close());
    await follower.start();
    await waitUntil(() => seen.size === FILES, `${FILES} first lines (have ${seen.size})`, 120_000);
    for (let host = 0; host < 100; host += 9) writeFileSync(path.join(dir, 'logs', `h${host}`, 'f0.log'), `h${host} f0 first\nh${host} f0 appended\n`);
    // Files are read in no set order: wait for every appended line, not for the last host's.
    const appended = (): number => [...seen].filter((line) => line.endsWith('appended')).length;
    await waitUntil(() => appended() === 12, 'appends after start', 60_000);
    const heapGrowth = heapMiB() - heapBefore;
    console.log(`[flood] ${FILES} files: followed ${follower.counters().files}, heap growth ${heapGrowth.toFixed(1)} MiB (${((heapGrowth * 1024) / FILES).toFixed(1)} KiB per file)`);
    expect(follower.counters().files).toBe(FILES);
    expect(follower.counters().errors).toBe(0);
    expect(warnings).toEqual([]);
    expect(appended()).toBe(12);
  }, 300_000);

  it('a burst of 1e6 lines written at once is read in full (absorption time printed)', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const log = path.join(dir, 'burst.log');
    writeFileSync(log, '');
    let lines = 0;
    const follower = new FileFollower({ patterns: [log], start: 'end' }, (batch) => { lines += batch.lines.length; });
    cleanups.push(() => follower.close());
    await follower.start();
    const BURST = 1_000_000;
    const fd = openSync(log, 'a');
    const started = Date.now();
    const block: string[] = [];
    for (let i = 0; i < BURST; i++) {
      block.push(`${stamp(START)} PHP Warning:  burst line ${i} in /srv/app.php on line 1\n`);
      if (block.length === 10_000) writeSync(fd, block.splice(0).join(''));
    }
    closeSync(fd);
    const written = Date.now() - started;
    await waitUntil(() => lines === BURST, `${BURST} lines (have ${lines})`, 120_000);
    const absorbed = Date.now() - started;
    console.log(`[flood] 1e6-line burst: written in ${written} ms, all read ${absorbed} ms after the first write (${(absorbed - written)} ms behind the writer)`);
    expect(follower.counters().lines).toBe(BURST);
    expect(follower.counters().truncated + follower.counters().dropped).toBe(0);
  }, 180_000);
});
