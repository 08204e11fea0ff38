import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand, type CommandResult } from '../support/command.js';
import { simulateCommand } from '../../src/cli/simulate.js';
import { MINUTE } from '../../src/sim/dsl.js';
import { generateFixture } from '../../src/sim/generate.js';
import { phpTimestamp } from '../../src/sim/log-format.js';
import { SCENARIOS } from '../../src/sim/scenarios.js';
import { readFixture } from '../../src/tail/fixture.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const MAX_FIXTURE_BYTES = 1.5 * 1024 * 1024;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logwatch-simulate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const simulate = (args: string[]): Promise<CommandResult> => runCommand(simulateCommand(), args);

async function filesUnder(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(root, path), await readFile(path, 'utf8'));
  }
  return files;
}

/** PHP log header time of a line, or undefined for continuation lines. */
function lineTime(line: string): number | undefined {
  const match = /^\[(\d{2})-(\w{3})-(\d{4}) (\d{2}:\d{2}:\d{2}) UTC\]/.exec(line);
  return match === null ? undefined : Date.parse(`${match[2]} ${match[1]} ${match[3]} ${match[4]} UTC`);
}

describe('generateFixture', () => {
  it('gives byte-identical files for the same seed and different logs for another seed', () => {
    const spec = SCENARIOS.get('seller-quantity-page')!;
    const first = generateFixture(spec, 99).files;
    const again = generateFixture(spec, 99).files;
    const other = generateFixture(spec, 100).files;
    expect([...again]).toEqual([...first]);
    expect(other.get('logs/web-01/php_errors.log')).not.toEqual(first.get('logs/web-01/php_errors.log'));
  });

  it('formats the PHP log time as PHP does', () => {
    expect(phpTimestamp(Date.parse('2026-11-03T04:05:06.789Z'))).toBe('03-Nov-2026 04:05:06 UTC');
  });
});

describe.each([...SCENARIOS.keys()])('fixture %s', (name) => {
  const spec = SCENARIOS.get(name)!;

  it('is committed exactly as the simulator writes it', async () => {
    const committed = await filesUnder(join(FIXTURES, name));
    const generated = generateFixture(spec).files;
    expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [path, text] of generated) expect(committed.get(path), path).toBe(text);
  });

  it('reads as a fixture with a baseline before and a tail after every event, within the size budget', async () => {
    const fixture = await readFixture(join(FIXTURES, name));
    expect(fixture.name).toBe(name);
    expect(new Set(fixture.files.map((f) => f.host)).size).toBe(12);
    expect(fixture.deploys.map((d) => d.at)).toEqual(spec.deploys.map((d) => d.at));
    for (const deploy of fixture.deploys) expect(deploy).toMatchObject({ app: 'website', version: expect.stringMatching(/^[0-9a-f]{7}$/) });

    const events = [...spec.deploys.map((d) => d.at), ...spec.incidents.flatMap((s) => [s.from, s.to])];
    if (events.length > 0) {
      expect(Math.min(...events) - spec.start).toBeGreaterThanOrEqual(35 * MINUTE);
      expect(spec.end - Math.max(...events)).toBeGreaterThanOrEqual(10 * MINUTE);
    }
    let bytes = 0;
    for (const file of fixture.files) bytes += (await stat(file.path)).size;
    expect(bytes).toBeLessThan(MAX_FIXTURE_BYTES);
  });

  it('writes each PHP log in time order, every line inside the scenario span', async () => {
    const text = await readFile(join(FIXTURES, name, 'logs/web-05/php_errors.log'), 'utf8');
    const times = text.split('\n').map(lineTime).filter((t) => t !== undefined);
    expect(times.length).toBeGreaterThan(100);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(spec.start);
    expect(times[times.length - 1]).toBeLessThan(spec.end);
  });
});

describe('fixture contents', () => {
  it('int32-overflow: ordinary ids climb past 2^31 before and during the incident', async () => {
    const text = await readFile(join(FIXTURES, 'int32-overflow/logs/web-01/php_errors.log'), 'utf8');
    const ids = [...text.matchAll(/Listing (\d+) has no shipping profile/g)].map((m) => Number(m[1]));
    expect(ids[0]).toBeLessThan(2 ** 31 - 100_000);
    expect(ids[ids.length - 1]).toBeGreaterThan(2 ** 31);
    expect(text).toContain("Duplicate entry '2147483647' for key");
  });

  it('fatal-deploy: fatals carry a full stack trace after deploy #1 only', async () => {
    const text = await readFile(join(FIXTURES, 'fatal-deploy/logs/web-07/php_errors.log'), 'utf8');
    const lines = text.split('\n');
    const fatal = lines.findIndex((l) => l.includes('PHP Fatal error:  Uncaught Error: Call to undefined method'));
    expect(lineTime(lines[fatal]!)).toBeGreaterThanOrEqual(SCENARIOS.get('fatal-deploy')!.deploys[0]!.at);
    expect(lines.slice(fatal + 1, fatal + 7)).toEqual([
      'Stack trace:',
      expect.stringMatching(/^#0 \/var\/www\/html\/lib\/Search\/SearchController\.php\(88\): /),
      expect.stringMatching(/^#1 /),
      expect.stringMatching(/^#2 /),
      '#3 {main}',
      '  thrown in /var/www/html/lib/Search/ListingSearch.php on line 214',
    ]);
  });

  it('seller-quantity-page: the new warnings stay on the three seller hosts', async () => {
    const fixture = await readFixture(join(FIXTURES, 'seller-quantity-page'));
    const hostsWithError = new Set<string>();
    for (const file of fixture.files) {
      if ((await readFile(file.path, 'utf8')).includes('variation_quantities')) hostsWithError.add(file.host);
    }
    expect([...hostsWithError].sort()).toEqual(['web-10', 'web-11', 'web-12']);
  });
});

describe('logwatch simulate', () => {
  it('lists the scenarios', async () => {
    const result = await simulate(['--list']);
    expect(result.exitCode).toBe(0);
    expect(result.out.trimEnd().split('\n').map((l) => l.split(' ')[0])).toEqual([...SCENARIOS.keys()]);
  });

  it('writes a fixture with a chosen seed that the reader accepts', async () => {
    const out = join(dir, 'fresh');
    const result = await simulate(['fatal-deploy', '--out', out, '--seed', '7']);
    expect(result).toMatchObject({ exitCode: 0, err: '' });
    expect(result.out).toMatch(/^wrote fatal-deploy to .*fresh: 28 files, \d+ KiB\n$/);
    const fixture = await readFixture(out);
    expect(fixture.scenario.seed).toBe(7);
    expect(await filesUnder(out)).toEqual(generateFixture(SCENARIOS.get('fatal-deploy')!, 7).files);
  });

  it('refuses a non-empty directory with one line and exit 2, and replaces the fixture with --force', async () => {
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    await mkdir(join(dir, 'logs/web-99'), { recursive: true });
    await writeFile(join(dir, 'logs/web-99/stale.log'), 'old');
    const refused = await simulate(['fatal-deploy', '--out', dir]);
    expect(refused.exitCode).toBe(2);
    expect(refused.err).toBe(`logwatch simulate: ${dir} is not empty; choose an empty directory or pass --force to replace the fixture in it\n`);
    expect(await readdir(dir)).toEqual(['logs', 'notes.txt']);

    expect((await simulate(['fatal-deploy', '--out', dir, '--force'])).exitCode).toBe(0);
    const files = await filesUnder(dir);
    expect(files.get('notes.txt')).toBe('keep me');
    expect(files.has('logs/web-99/stale.log')).toBe(false);
    expect(files.has('logs/web-01/php_errors.log')).toBe(true);
  });

  it.each([
    [['no-such-scenario', '--out', 'x'], /^logwatch simulate: no scenario "no-such-scenario"; one of int32-overflow, /],
    [['--out', 'x'], /^logwatch simulate: name a scenario; one of /],
    [['fatal-deploy'], /^logwatch simulate: --out DIR is required/],
    [['fatal-deploy', '--out', 'x', '--seed', '-1'], /^logwatch simulate: --seed "-1" must be a whole number/],
    [['fatal-deploy', '--out', 'x', '--seed', '99999999999'], /must be a whole number from 0 to 4294967295/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const result = await simulate(args);
    expect(result.exitCode).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.trimEnd().split('\n')).toHaveLength(1);
  });
});
