import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReplay } from '../../src/pipeline/replay.js';
import { FixtureRecorder } from '../../src/tail/recorder.js';
import { readFixture } from '../../src/tail/fixture.js';
import { tempDir } from '../support/cli.js';

const STARTED = Date.parse('2026-11-23T14:00:00Z');
const line = (second: number, message: string): string => `[23-Nov-2026 14:00:${String(second).padStart(2, '0')} UTC] PHP Warning:  ${message}`;

async function open(dir: string, force = false): Promise<FixtureRecorder> {
  return FixtureRecorder.open(dir, { force, localHost: 'laptop', startedAt: STARTED, sources: ['logs/*/php_errors.log'] });
}

describe('FixtureRecorder', () => {
  it('writes lines per host and file, deploys in both files, and a fixture that replays', async () => {
    const dir = path.join(tempDir(), 'rec');
    const recorder = await open(dir);
    recorder.writeBatch({ source: '/var/log/a/php_errors.log', host: 'web-01', lines: [line(1, 'one'), line(2, 'two')], arrivedAt: 0 });
    recorder.writeBatch({ source: '/var/log/b/php_errors.log', host: 'web-01', lines: [line(3, 'other file, same name')], arrivedAt: 0 });
    recorder.writeBatch({ source: '/srv/app.log', host: undefined, lines: [line(4, 'no host')], arrivedAt: 0 });
    recorder.writeBatch({ source: '/var/log/a/php_errors.log', host: 'web-01', lines: [line(5, 'three')], arrivedAt: 0 });
    recorder.writeBatch({ source: '/x/../../evil', host: '../../etc', lines: [line(6, 'escape attempt')], arrivedAt: 0 });
    recorder.writeDeploy({ type: 'deploy', at: '2026-11-23T14:00:03.250Z', id: 1, app: 'website', version: 'abc123', by: 'sam' });
    recorder.writeDeploy({ type: 'deploy', at: '2026-11-23T14:00:05.000Z', id: 2, app: 'web site' });
    recorder.noteVerdict({
      type: 'verdict', at: '2026-11-23T14:00:06.000Z', level: 'revert', reason: 'A new fatal error on 3/3 hosts after deploy #1: revert.',
      attribution: 'deploy', deploy: 1, signatures: [], evidence: { statistic: 'lines', value: 9, threshold: 3 }, telling: [],
      headline: null, countdownEndsAt: null, resolvedBy: null,
    });
    expect(await recorder.close(STARTED + 60_000)).toEqual({ lines: 6, files: 4 });

    const read = (relative: string): string => readFileSync(path.join(dir, relative), 'utf8');
    expect(read('logs/web-01/php_errors.log')).toBe(`${line(1, 'one')}\n${line(2, 'two')}\n${line(5, 'three')}\n`);
    expect(read('logs/web-01/php_errors.log.2')).toBe(`${line(3, 'other file, same name')}\n`);
    expect(read('logs/laptop/app.log')).toBe(`${line(4, 'no host')}\n`);
    expect(read('logs/__.._etc/evil')).toBe(`${line(6, 'escape attempt')}\n`);
    expect(read('deploys.log')).toBe(`events.deploy.website 1 ${Date.parse('2026-11-23T14:00:03Z') / 1000}\n`);
    expect(read('deploys.ndjson').trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { at: '2026-11-23T14:00:03.250Z', app: 'website', version: 'abc123', by: 'sam' },
      { at: '2026-11-23T14:00:05.000Z', app: 'web site' },
    ]);
    expect(read('README.md')).toContain('2026-11-23T14:00:06.000Z **revert** (deploy #1): A new fatal error');

    const fixture = await readFixture(dir);
    expect(fixture.description).toBe('Recorded by logwatch on laptop: logs/*/php_errors.log from 2026-11-23T14:00:00.000Z to 2026-11-23T14:01:00.000Z.');
    expect(fixture.scenario.expect).toEqual([{
      verdict: 'revert', attribution: 'deploy', deploy: 1, between: ['2026-11-23T14:00:06.000Z', '2026-11-23T14:00:06.000Z'],
      why: 'seen live: A new fatal error on 3/3 hosts after deploy #1: revert.',
    }]);
    expect(fixture.deploys.map((d) => [d.at, d.app, d.version])).toEqual([
      [Date.parse('2026-11-23T14:00:03.250Z'), 'website', 'abc123'],
      [Date.parse('2026-11-23T14:00:05.000Z'), 'web site', undefined],
    ]);
    const replay = await loadReplay(dir);
    expect([...replay.records()].map((r) => `${r.host}: ${r.message}`)).toEqual([
      'web-01: one', 'web-01: two', 'web-01: other file, same name', 'laptop: no host', 'web-01: three', '__.._etc: escape attempt',
    ]);
  });

  it('keeps the zone the session read times in, and its replay reads them in it', async () => {
    const dir = path.join(tempDir(), 'rec');
    const recorder = await FixtureRecorder.open(dir, { localHost: 'laptop', startedAt: STARTED, sources: ['error.log'], zone: 'Europe/Berlin' });
    recorder.writeBatch({ source: '/var/log/nginx/error.log', host: 'web-01', lines: ['2026/11/23 15:00:00 [error] 7#0: *1 upstream timed out'], arrivedAt: 0 });
    await recorder.close(STARTED + 60_000);
    expect((await readFixture(dir)).scenario.zone).toBe('Europe/Berlin');
    expect([...(await loadReplay(dir)).records()].map((r) => new Date(r.at).toISOString())).toEqual(['2026-11-23T14:00:00.000Z']);
  });

  it('refuses a non-empty directory unless forced, and then leaves other files alone', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    mkdirSync(path.join(dir, 'logs', 'old-host'), { recursive: true });
    writeFileSync(path.join(dir, 'logs', 'old-host', 'x.log'), 'stale\n');
    await expect(open(dir)).rejects.toThrow(/is not empty; choose an empty directory or pass --force/);
    const recorder = await open(dir, true);
    recorder.writeBatch({ source: 'x.log', host: 'new-host', lines: ['fresh'], arrivedAt: 0 });
    await recorder.close(STARTED);
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect((await readFixture(dir)).files.map((f) => f.host)).toEqual(['new-host']);
  });
});
