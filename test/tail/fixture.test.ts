import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureError, mergeDeploys, readFixture } from '../../src/tail/fixture.js';

const SCENARIO = { name: 'tiny', description: 'a hand-made fixture', expect: [{ maxLevel: 'watch' }] };
const T = Date.parse('2026-11-23T14:00:00Z');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logwatch-fixture-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(path: string, content: string): Promise<void> {
  const full = join(dir, path);
  await mkdir(join(full, '..'), { recursive: true });
  await writeFile(full, content);
}

async function goodFixture(): Promise<void> {
  await put('scenario.json', JSON.stringify(SCENARIO));
  await put('deploys.log', `events.deploy.website 1 ${T / 1000 + 600}\nevents.deploy.website 1 ${T / 1000}\n`);
  await put('deploys.ndjson', '{"at":"2026-11-23T14:00:00.400Z","app":"website","version":"abc123","by":"sam"}\n');
  await put('logs/web-02/php_errors.log', '[23-Nov-2026 14:00:01 UTC] PHP Warning:  x\n');
  await put('logs/web-01/php_errors.log', '[23-Nov-2026 14:00:02 UTC] PHP Warning:  y\n');
  await put('logs/web-01/archive/old.log', '[23-Nov-2026 13:00:02 UTC] PHP Notice:  z\n');
}

async function readError(): Promise<string> {
  const error = await readFixture(dir).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(FixtureError);
  const message = (error as FixtureError).message;
  expect(message.includes('\n')).toBe(false);
  return message;
}

describe('readFixture', () => {
  it('reads scenario, merged deploys and every log file with its host', async () => {
    await goodFixture();
    const fixture = await readFixture(dir);
    expect(fixture).toEqual({
      dir,
      name: 'tiny',
      description: 'a hand-made fixture',
      scenario: SCENARIO,
      deploys: [
        { at: T + 400, app: 'website', version: 'abc123', by: 'sam' },
        { at: T + 600_000, app: 'website' },
      ],
      files: [
        { host: 'web-01', path: join(dir, 'logs/web-01/archive/old.log') },
        { host: 'web-01', path: join(dir, 'logs/web-01/php_errors.log') },
        { host: 'web-02', path: join(dir, 'logs/web-02/php_errors.log') },
      ],
    });
  });

  it('reads a fixture with neither deploy file', async () => {
    await goodFixture();
    await rm(join(dir, 'deploys.log'));
    await rm(join(dir, 'deploys.ndjson'));
    expect((await readFixture(dir)).deploys).toEqual([]);
  });

  it('names a missing directory', async () => {
    await rm(dir, { recursive: true });
    expect(await readError()).toBe(`${dir}: no such fixture directory; check the path`);
  });

  it('names a missing logs/ folder', async () => {
    await goodFixture();
    await rm(join(dir, 'logs'), { recursive: true });
    expect(await readError()).toBe(`${join(dir, 'logs')}: missing; put each host's log files in logs/<host>/`);
  });

  it('names a log file outside a host folder', async () => {
    await goodFixture();
    await put('logs/stray.log', 'x\n');
    expect(await readError()).toMatch(/logs\/stray\.log: a log file directly under logs\/; move it into logs\/<host>\/$/);
  });

  it('names a compressed log file rather than replaying its bytes as lines', async () => {
    await goodFixture();
    const full = join(dir, 'logs/web-01/php_errors.log.1.gz');
    await writeFile(full, gzipSync('[23-Nov-2026 13:00:02 UTC] PHP Notice:  z\n'));
    expect(await readError()).toMatch(/logs\/web-01\/php_errors\.log\.1\.gz: gzip-compressed; a fixture holds log text: decompress it in place$/);
  });

  it('names a bad scenario.json and the field', async () => {
    await goodFixture();
    await put('scenario.json', JSON.stringify({ ...SCENARIO, expect: [{ verdict: 'panic' }] }));
    expect(await readError()).toMatch(new RegExp(`^${join(dir, 'scenario.json')}: expect\\.0\\.verdict: .*fixtures/README\\.md\\)$`));
  });

  it('names a zone in scenario.json that it does not know, rather than reading its times as UTC', async () => {
    await goodFixture();
    await put('scenario.json', JSON.stringify({ ...SCENARIO, zone: 'Mars/Olympus' }));
    expect(await readError()).toMatch(/scenario\.json: zone: expected an IANA time zone/);
  });

  it('names scenario.json that is not JSON or missing', async () => {
    await goodFixture();
    await put('scenario.json', '{"name":');
    expect(await readError()).toMatch(/scenario\.json: not valid JSON/);
    await rm(join(dir, 'scenario.json'));
    expect(await readError()).toMatch(/scenario\.json: missing; a fixture needs/);
  });

  it('names the file and line of a bad deploy line', async () => {
    await goodFixture();
    await put('deploys.log', 'events.deploy.website 1 1795442160\nevents.deploy.website one 1795442160\n');
    expect(await readError()).toBe(`${join(dir, 'deploys.log')}: line 2: value "one" is not a number; fix or remove that line`);
    await put('deploys.log', '');
    await put('deploys.ndjson', '{"at":"2026-11-23T14:00:00Z"}\n');
    expect(await readError()).toMatch(/deploys\.ndjson: line 1: app: /);
  });

  it.skipIf(process.getuid?.() === 0)('names an unreadable file', async () => {
    await goodFixture();
    await chmod(join(dir, 'deploys.log'), 0o000);
    expect(await readError()).toBe(`${join(dir, 'deploys.log')}: cannot read the deploys (EACCES); check its permissions`);
  });
});

describe('mergeDeploys', () => {
  it('keeps the richer ndjson deploy for the same app and second, and deploys found in only one file', () => {
    const merged = mergeDeploys(
      [{ at: T, app: 'website' }, { at: T, app: 'search' }, { at: T + 60_000, app: 'website' }],
      [{ at: T + 999, app: 'website', version: 'v2' }, { at: T + 120_000, app: 'website', by: 'sam' }],
    );
    expect(merged).toEqual([
      { at: T, app: 'search' },
      { at: T + 999, app: 'website', version: 'v2' },
      { at: T + 60_000, app: 'website' },
      { at: T + 120_000, app: 'website', by: 'sam' },
    ]);
  });
});
