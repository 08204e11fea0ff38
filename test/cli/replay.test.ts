import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/detect/model.js';
import { checkExpectations, measureLatencies } from '../../src/sim/expectations.js';
import { readFixture } from '../../src/tail/fixture.js';
import { REPO, runCli, tempDir } from '../support/cli.js';

type Event = Record<string, unknown> & { type: string; at: string };

const FIXTURES = path.join(REPO, 'fixtures');
const fixtureNames = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

async function replay(args: string[]): Promise<Event[]> {
  const result = await runCli(['replay', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Event);
}

const verdictsOf = (events: Event[]): Verdict[] =>
  events.filter((e) => e.type === 'verdict').map(({ type: _type, ...v }) => ({ ...v, at: Date.parse(v.at) }) as unknown as Verdict);

describe('logwatch replay', () => {
  it('bundles the six incident fixtures', () => {
    expect(fixtureNames.sort()).toEqual([
      'fatal-deploy', 'int32-overflow', 'memcache-hot-key', 'php-warnings-three-deploys',
      'seller-quantity-page', 'sixteen-clean-deploys',
    ]);
  });

  it.each(fixtureNames)('%s meets its scenario.json expectations', async (name) => {
    const dir = path.join(FIXTURES, name);
    const fixture = await readFixture(dir);
    const events = await replay([dir, '--speed', 'max', '--json']);
    const verdicts = verdictsOf(events);
    expect(checkExpectations(fixture.scenario, verdicts)).toEqual([]);
    for (const latency of measureLatencies(fixture.scenario, verdicts)) {
      expect(latency.latencyMs, `${name}: detection latency`).not.toBeNull();
    }
    expect(events.at(-1)?.type).toBe('summary');
    expect(events.filter((e) => e.type === 'deploy')).toHaveLength(fixture.deploys.length);
  });

  it('shows 2147483647 in the stop verdict of int32-overflow', async () => {
    const events = await replay([path.join(FIXTURES, 'int32-overflow')]);
    const stop = verdictsOf(events).find((v) => v.level === 'stop');
    expect(stop?.attribution).toBe('none');
    expect(JSON.stringify(stop)).toContain('2147483647');
    expect(stop?.telling.map((t) => t.value)).toContain('2147483647');
  });

  it('gives the same verdict timeline at --speed max and --speed 20', async () => {
    const dir = path.join(FIXTURES, 'int32-overflow');
    // Pace only the ten minutes around the incident at 20× (30 s of wall time); before --from the
    // replay builds its baseline at full speed. The verdicts from --from on must be identical.
    const from = '2026-11-23T14:06:00Z';
    const to = '2026-11-23T14:16:00Z';
    const [fast, paced] = await Promise.all([
      replay([dir, '--speed', 'max', '--to', to]),
      replay([dir, '--speed', '20', '--from', from, '--to', to]),
    ]);
    const after = (events: Event[]): Event[] => events.filter((e) => e.type === 'verdict' && e.at >= from);
    expect(after(paced).length).toBeGreaterThan(0);
    expect(after(paced).some((v) => v['level'] === 'stop')).toBe(true);
    expect(after(paced)).toEqual(after(fast));
  }, 90_000);

  it('exits 2 naming the path for a directory without logs/', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify({ name: 'x', description: 'x', expect: [] }));
    const result = await runCli(['replay', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(dir);
  });

  it('exits 2 with one line for --tui when stdout is not a terminal', async () => {
    const result = await runCli(['replay', path.join(FIXTURES, 'fatal-deploy'), '--tui']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('--json');
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a bad --speed and a bad --from', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'logs'));
    expect((await runCli(['replay', dir, '--speed', 'fast'])).code).toBe(2);
    expect((await runCli(['replay', path.join(FIXTURES, 'fatal-deploy'), '--from', 'yesterday'])).code).toBe(2);
  });
});
