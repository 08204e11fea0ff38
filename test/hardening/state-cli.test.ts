/** `logwatch watch --state DIR` as a user runs it: two runs, stopped with SIGINT, count every record once. */
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliProcess, tempDir, waitFor } from '../support/cli.js';

const line = (n: number): string => `[24-Nov-2026 01:00:${String(n % 60).padStart(2, '0')} UTC] PHP Warning:  state test ${n} in /srv/a.php on line ${n}\n`;
const lines = (from: number, count: number): string => Array.from({ length: count }, (_, i) => line(from + i)).join('');

const running: CliProcess[] = [];
afterEach(async () => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) { cli.child.kill('SIGKILL'); await cli.exited; }
});

async function runUntilStopped(dir: string, records: (cli: CliProcess) => boolean): Promise<number> {
  const cli = new CliProcess(['watch', 'logs/app.log', '--state', 'state', '--from-start', '--json', '--no-listen', '--stats-every', '1s'], { cwd: dir });
  running.push(cli);
  await waitFor(() => cli.stderr.includes('watching 1 file(s)'), 'the watch to start', 20_000);
  await waitFor(() => records(cli), 'records counted', 20_000);
  cli.child.kill('SIGINT');
  expect(await cli.exited).toBe(0);
  return cli.ofType('stats').at(-1)?.['records'] as number;
}

describe('logwatch watch --state', () => {
  it('A14 through the CLI: records of run 1 + run 2 = every line, once', async () => {
    const dir = tempDir('logwatch-state-cli-');
    mkdirSync(path.join(dir, 'logs'));
    writeFileSync(path.join(dir, 'logs', 'app.log'), lines(0, 50));
    const lastRecords = (cli: CliProcess): number => (cli.ofType('stats').at(-1)?.['records'] as number | undefined) ?? 0;
    const first = await runUntilStopped(dir, (cli) => lastRecords(cli) >= 40);
    expect(existsSync(path.join(dir, 'state', 'checkpoints.json'))).toBe(true);
    appendFileSync(path.join(dir, 'logs', 'app.log'), lines(50, 30));
    const second = await runUntilStopped(dir, (cli) => lastRecords(cli) >= 80 - first);
    expect(first + second).toBe(80);
  });
});
