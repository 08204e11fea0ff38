import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../src/tail/fixture.js';
import { CliProcess, cliProcesses, runCli, tempDir, waitFor } from '../support/cli.js';

type Event = Record<string, unknown>;

const HOSTS = ['web-01', 'web-02', 'web-03'];
const ACTION = new Set(['roll-forward', 'revert', 'stop']);

/** A PHP error-log line stamped with the current wall-clock second, as a live host writes it. */
function phpLine(label: string, message: string): string {
  const now = new Date();
  const month = now.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${pad(now.getUTCDate())}-${month}-${now.getUTCFullYear()} ${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())} UTC`;
  return `[${stamp}] PHP ${label}:  ${message}\n`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What must be equal between the live run and its replay: level, attribution, leading signature, second. */
function timeline(events: Event[]): string[] {
  return events.filter((e) => e['type'] === 'verdict').map((v) => {
    const signatures = v['signatures'] as Array<{ id: string }>;
    const second = String(v['at']).slice(0, 19);
    return `${second} ${String(v['level'])} ${String(v['attribution'])} #${String(v['deploy'])} ${signatures[0]?.id ?? '-'}`;
  });
}

describe('logwatch record', () => {
  const start = cliProcesses();
  let running: CliProcess | undefined;

  it('records a live session whose replay gives the same verdict timeline', async () => {
    const dir = tempDir();
    for (const host of HOSTS) {
      mkdirSync(path.join(dir, 'logs', host), { recursive: true });
      writeFileSync(path.join(dir, 'logs', host, 'php_errors.log'), '');
    }
    writeFileSync(path.join(dir, 'deploys.txt'), '');
    // Shortened warm-up so a burst a few seconds in may ask for action (defaults want 5–30 min).
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ thresholds: { minHistoryMs: 0, newAfterMs: 0 } }));
    const out = path.join(dir, 'recording');
    running = start([
      'record', 'logs/*/php_errors.log', '--host-pattern', 'logs/{host}/*.log', '--out', out, '--json',
      '--stats-every', '1s', '--config', 'config.json', '--deploys', 'deploys.txt',
    ], { cwd: dir });
    await waitFor(() => running!.stderr.includes('recording 3 file(s)'), 'the recorder to start', 20_000);
    const append = (host: string, line: string): void => appendFileSync(path.join(dir, 'logs', host, 'php_errors.log'), line);
    for (let i = 0; i < 8; i++) {
      for (const host of HOSTS) append(host, phpLine('Warning', `Undefined array key "k${i % 3}" in /var/www/lib/Cart.php on line 12`));
      await sleep(500);
    }
    appendFileSync(path.join(dir, 'deploys.txt'), `events.deploy.website 1 ${Math.floor(Date.now() / 1000)}\n`);
    await waitFor(() => running!.ofType('deploy').length === 1, 'the deploy event');
    await sleep(1_500);
    for (let i = 0; i < 6; i++) {
      for (const host of HOSTS) {
        for (let n = 0; n < 10; n++) append(host, phpLine('Fatal error', `Uncaught TypeError: Listing::price(): Return value must be of type int, null returned in /var/www/lib/Listing.php:${88 + n}`));
      }
      await sleep(500);
    }
    await waitFor(() => running!.ofType('verdict').some((v) => ACTION.has(String(v['level']))), 'an action verdict', 20_000);
    await sleep(2_500);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    const live = running.events;
    expect(running.stderr).toMatch(/recorded \d+ line\(s\) from 3 file\(s\)/);

    const fixture = await readFixture(out);
    expect(fixture.files.map((f) => path.relative(out, f.path))).toEqual(HOSTS.map((h) => path.join('logs', h, 'php_errors.log')));
    expect(fixture.deploys).toHaveLength(1);
    expect(readFileSync(path.join(out, 'deploys.log'), 'utf8')).toMatch(/^events\.deploy\.website 1 \d+\n$/);
    expect(fixture.description).toContain('logs/*/php_errors.log');
    const recordedLines = HOSTS.map((h) => readFileSync(path.join(out, 'logs', h, 'php_errors.log'), 'utf8'));
    expect(recordedLines).toEqual(HOSTS.map((h) => readFileSync(path.join(dir, 'logs', h, 'php_errors.log'), 'utf8')));

    const replayed = await runCli(['replay', out, '--json', '--config', path.join(dir, 'config.json')]);
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
    const replayEvents = replayed.stdout.trim().split('\n').map((line) => JSON.parse(line) as Event);
    const liveTimeline = timeline(live);
    expect(liveTimeline.some((line) => /roll-forward|revert|stop/.test(line))).toBe(true);
    expect(timeline(replayEvents)).toEqual(liveTimeline);
  }, 90_000);

  it('refuses a non-empty output directory unless --force', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'app.log'), '');
    const out = path.join(dir, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const refused = await runCli(['record', 'app.log', '--out', out, '--duration', '1s'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('--force');
    const forced = await runCli(['record', 'app.log', '--out', out, '--duration', '1s', '--force'], { cwd: dir });
    expect(forced.stderr).toContain('recorded 0 line(s)');
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(JSON.parse(readFileSync(path.join(out, 'scenario.json'), 'utf8'))).toMatchObject({ expect: [] });
  }, 30_000);
});
