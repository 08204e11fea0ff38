import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt, loadReplay, replayTimeline } from '../../src/pipeline/replay.js';
import type { SignedRecord } from '../../src/pipeline/record.js';
import { tempDir } from '../support/cli.js';

const at = (second: number): number => Date.parse('2026-11-23T14:00:00Z') + second * 1000;
const line = (second: number, message: string): string => `[23-Nov-2026 14:${String(Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')} UTC] PHP Warning:  ${message}`;

/** A fixture directory with these files (`host/name` → lines). */
function fixture(files: Record<string, string[]>): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify({ name: 'test', description: 'replay test', expect: [] }));
  for (const [file, lines] of Object.entries(files)) {
    mkdirSync(path.join(dir, 'logs', path.dirname(file)), { recursive: true });
    writeFileSync(path.join(dir, 'logs', file), lines.map((l) => `${l}\n`).join(''));
  }
  return dir;
}

const described = (records: Iterable<SignedRecord>): string[] => [...records].map((r) => `${r.host} ${(r.at - at(0)) / 1000} ${r.message.split('\n')[0]}`);

/** In the model of the property test: a fixture where no line has a time (its records are at 0). */
const NO_TIME = -1;

/** File descriptors this process holds open (Linux). */
const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('loadReplay', () => {
  it('merges hosts by event time; equal times keep fixture file order, then line order', async () => {
    const dir = fixture({
      'web-01/php_errors.log': [line(1, 'a1'), line(3, 'a3'), line(3, 'a3 again'), line(5, 'a5')],
      'web-02/php_errors.log': [line(2, 'b2'), line(3, 'b3'), line(6, 'b6')],
    });
    expect(described((await loadReplay(dir)).records())).toEqual([
      'web-01 1 a1', 'web-02 2 b2', 'web-01 3 a3', 'web-01 3 a3 again', 'web-02 3 b3', 'web-01 5 a5', 'web-02 6 b6',
    ]);
  });

  it('keeps multi-line records whole; untimed records before the first timed one take its time', async () => {
    const dir = fixture({
      'web-01/app.log': ['untimed start', 'untimed two', line(4, 'Uncaught Exception: boom'), 'Stack trace:', '#0 /a.php(1): f()', line(7, 'late')],
      'web-02/app.log': ['no time at all'],
    });
    const records = [...(await loadReplay(dir)).records()];
    // A file with no time at all starts with the fixture (not in 1970, where the replay's clock would start).
    expect(described(records)).toEqual(['web-01 4 untimed start', 'web-01 4 untimed two', 'web-01 4 Uncaught Exception: boom', 'web-02 4 no time at all', 'web-01 7 late']);
    expect(records[2]!.message).toBe('Uncaught Exception: boom\nStack trace:\n#0 /a.php(1): f()');
  });

  it('sorts a file whose times go back (stable), and knows the fixture starts at its earliest time', async () => {
    const dir = fixture({ 'web-01/php_errors.log': [line(9, 'x9'), line(2, 'x2'), line(9, 'x9 again'), line(5, 'x5')], 'web-02/php_errors.log': [line(4, 'y4')] });
    const replay = await loadReplay(dir);
    expect(described(replay.records())).toEqual(['web-01 2 x2', 'web-02 4 y4', 'web-01 5 x5', 'web-01 9 x9', 'web-01 9 x9 again']);
    expect(replay.firstAt).toBe(at(2));
  });

  it('gives the same records each time it is read, signed alike', async () => {
    const dir = fixture({ 'web-01/php_errors.log': [line(1, 'id 7 failed'), line(2, 'id 8 failed')], 'web-02/php_errors.log': [line(1, 'id 9 failed')] });
    const replay = await loadReplay(dir);
    const first = [...replay.records()].map((r) => [r.at, r.host, r.fingerprint.id]);
    expect([...replay.records()].map((r) => [r.at, r.host, r.fingerprint.id])).toEqual(first);
    expect(new Set(first.map(([, , id]) => id)).size).toBe(1);
  });

  it('ends the records at a --to cut, and holds no file open between reads', async () => {
    const dir = fixture({
      'web-01/php_errors.log': Array.from({ length: 3000 }, (_, i) => line(i, `a ${i}`)),
      'web-02/php_errors.log': Array.from({ length: 3000 }, (_, i) => line(i, `b ${i}`)),
    });
    const replay = await loadReplay(dir);
    const before = openFds();
    expect(described(cutAt(replay, at(1)).records)).toEqual(['web-01 0 a 0', 'web-02 0 b 0', 'web-01 1 a 1', 'web-02 1 b 1']);
    expect(openFds()).toBe(before);
    const timeline = replayTimeline(replay.records(), []);
    expect(timeline.next().value).toMatchObject({ kind: 'records' });
    expect(openFds()).toBe(before);
    timeline.return(undefined);
  });

  it('widens a template only with lines read so far, not with the whole fixture', async () => {
    const memcache = (call: string): string => `Memcached::${call}(): Server 10.0.0.1:11211 (tcp 11211, udp 0) failed with: Connection timed out (110) in /a/Cache.php on line 77`;
    // Far more than one read chunk between the first `get` and the first `set` that widens the cluster to `<*> Server …`.
    const filler = Array.from({ length: 2000 }, (_, i) => line(2 + Math.floor(i / 100), `Undefined array key "listing_id" in /a/Cart.php on line ${i}`));
    const dir = fixture({
      'web-01/php_errors.log': [line(1, memcache('get')), ...filler, line(30, memcache('set')), line(31, 'the last record')],
      'web-02/php_errors.log': [line(5, memcache('get'))],
    });
    const records = [...(await loadReplay(dir)).records()];
    // web-02's line at second 5 comes long before web-01's `set` at second 30 (which the replay
    // of old, signing each file whole before the next, had already seen).
    expect(records.find((r) => r.host === 'web-02')!.fingerprint.template).toMatch(/^Memcached::get\(\): Server <IP>/);
    expect(records.find((r) => r.at === at(30))!.fingerprint.template).toMatch(/^<\*> Server <IP>/);
  });

  it('dates year-less syslog times in the year the recording was made, not 1970', async () => {
    const dir = fixture({ 'web-01/syslog': ['Dec 31 23:59:58 web-01 app: before midnight', 'Jan  1 00:00:02 web-01 app: after midnight', 'Jan  3 10:00:00 web-01 app: days later'] });
    const observed = { name: 'rec', description: 'recorded', observedFrom: '2026-12-31T23:00:00.000Z', expect: [] };
    writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(observed));
    const times = (records: Iterable<SignedRecord>): string[] => [...records].map((r) => new Date(r.at).toISOString());
    expect(times((await loadReplay(dir)).records())).toEqual(['2026-12-31T23:59:58.000Z', '2027-01-01T00:00:02.000Z', '2027-01-03T10:00:00.000Z']);
    // Without the recording's start, the files' last change stands for when they were written.
    writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify({ name: 'copy', description: 'copied', expect: [] }));
    const written = new Date('2027-01-03T10:00:01Z');
    utimesSync(path.join(dir, 'logs', 'web-01', 'syslog'), written, written);
    expect(times((await loadReplay(dir)).records())).toEqual(['2026-12-31T23:59:58.000Z', '2027-01-01T00:00:02.000Z', '2027-01-03T10:00:00.000Z']);
  });

  it('reads times written without a zone in the recording\'s zone, or the one asked for, else UTC', async () => {
    const dir = fixture({
      'web-01/error.log': ['2026/11/24 10:00:00 [error] 7#0: *1 upstream timed out'],
      'web-02/php_errors.log': ['[24-Nov-2026 10:00:01 UTC] PHP Warning:  a zone of its own'],
    });
    const times = async (zone?: string): Promise<string[]> => [...(await loadReplay(dir, zone)).records()].map((r) => `${r.host} ${new Date(r.at).toISOString()}`);
    expect(await times()).toEqual(['web-01 2026-11-24T10:00:00.000Z', 'web-02 2026-11-24T10:00:01.000Z']);
    writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify({ name: 'rec', description: 'recorded in Berlin', zone: 'Europe/Berlin', expect: [] }));
    expect(await times()).toEqual(['web-01 2026-11-24T09:00:00.000Z', 'web-02 2026-11-24T10:00:01.000Z']);
    expect(await times('-05:00')).toEqual(['web-02 2026-11-24T10:00:01.000Z', 'web-01 2026-11-24T15:00:00.000Z']);
  });

  it('orders any fixture as a stable sort of all its records by time would', async () => {
    const file = fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.array(file, { minLength: 1, maxLength: 3 }), async (files) => {
        const lines = files.map((entries, f) => entries.map(([second, timed], i) => (timed ? line(second, `f${f} l${i}`) : `f${f} l${i} untimed`)));
        // A file with no time at all takes the fixture's earliest time (0 when no line has one).
        const timedSeconds = files.flat().filter(([, timed]) => timed).map(([second]) => second);
        const fixtureStart = timedSeconds.length === 0 ? NO_TIME : Math.min(...timedSeconds);
        const dir = fixture(Object.fromEntries(lines.map((l, f) => [`host-${f}/php_errors.log`, l])));
        const expected = lines
          .flatMap((l, f) => {
            // Each file alone: untimed lines before its first timed one are records of their own at
            // its time (at 0 if none); later untimed lines continue the timed record before them.
            const times = files[f]!.map(([second, timed]) => (timed ? second : undefined));
            const firstTimed = times.findIndex((t) => t !== undefined);
            const firstTime = firstTimed < 0 ? fixtureStart : times[firstTimed]!;
            return l.flatMap((text, i) => {
              if (firstTimed >= 0 && i > firstTimed && times[i] === undefined) return [];
              return [{ host: `host-${f}`, second: times[i] ?? firstTime, message: text.replace(/^\[[^\]]*\] PHP Warning: {2}/, '') }];
            });
          })
          .sort((a, b) => a.second - b.second)
          .map((r) => `${r.host} ${r.second === NO_TIME ? (0 - at(0)) / 1000 : r.second} ${r.message}`);
        expect(described((await loadReplay(dir)).records())).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});
