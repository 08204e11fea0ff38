import { appendFileSync, copyFileSync, mkdirSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/cli/config.js';
import { watchOptions } from '../../src/cli/watch.js';
import { CliProcess, cliProcesses, phpWarning, runCli, tempDir, waitFor } from '../support/cli.js';


describe('logwatch watch', () => {
  const start = cliProcesses();
  let running: CliProcess | undefined;

  it('follows appended, rotated and copytruncated files of three hosts and accounts for every line', async () => {
    const dir = tempDir();
    const hosts = ['web-01', 'web-02', 'web-03'];
    for (const host of hosts) {
      mkdirSync(path.join(dir, 'logs', host), { recursive: true });
      writeFileSync(path.join(dir, 'logs', host, 'php_errors.log'), phpWarning(0, 'old line before start'));
    }
    running = start(['watch', 'logs/*/php_errors.log', '--host-pattern', 'logs/{host}/*.log', '--json', '--stats-every', '1s'], { cwd: dir });
    await waitFor(() => running!.stderr.includes('watching 3 file(s)'), 'the follower to start', 20_000);
    let written = 0;
    for (let round = 0; round < 3; round++) {
      for (const host of hosts) {
        const file = path.join(dir, 'logs', host, 'php_errors.log');
        for (let i = 0; i < 20; i++, written++) appendFileSync(file, phpWarning(i, `Undefined array key "k${i}"`));
        if (round === 1) {
          renameSync(file, `${file}.1`);
          writeFileSync(file, '');
        }
        // copytruncate of a file not read yet: its lines are only in the copy.
        if (round === 2 && host === 'web-03') {
          copyFileSync(file, `${file}.2`);
          truncateSync(file, 0);
          appendFileSync(file, phpWarning(1, 'Undefined array key "after"'));
          written++;
        }
      }
    }
    // A new host appears after start: its file is read from the beginning.
    mkdirSync(path.join(dir, 'logs', 'web-04'));
    writeFileSync(path.join(dir, 'logs', 'web-04', 'php_errors.log'), phpWarning(1, 'Undefined variable $late').repeat(5));
    written += 5;
    await waitFor(() => lastStats(running!)?.['lines'] === written, `${written} lines in stats`, 20_000);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    const last = lastStats(running)!;
    expect(last['lines']).toBe(written);
    expect(last['hosts']).toBe(4);
    // A signature event marks the first sighting only: the late host's own message is one.
    const signatures = running.ofType('signature');
    expect(signatures.find((s) => String(s['template']).startsWith('Undefined variable'))?.['host']).toBe('web-04');
  });

  it('counts lines stamped hours ahead of the clock when they arrive, with one warning for the file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'app.log');
    writeFileSync(file, '');
    running = start(['watch', 'app.log', '--json', '--no-listen', '--stats-every', '1s'], { cwd: dir });
    await waitFor(() => running!.stderr.includes('watching 1 file(s)'), 'the follower to start', 20_000);
    const aheadStamp = (): string => new Date(Date.now() + 2 * 3_600_000).toISOString();
    for (let i = 0; i < 5; i++) appendFileSync(file, `${aheadStamp()} ERROR payment gateway refused order ${i}\n`);
    // Held for their own second, these would count two hours from now: here they count within seconds.
    await waitFor(() => lastStats(running!)?.['signatures'] === 1, 'the signature counted', 20_000);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    expect(lastStats(running)).toMatchObject({ lines: 5, records: 5, ahead: 5, signatures: 1 });
    const warnings = running.stderr.split('\n').filter((l) => l.includes('ahead of this machine'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/app\.log: line times run (1 h 59 min|2 h 00 min) ahead/);
  });

  it('reads times written without a zone in --zone, and refuses a zone it does not know', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'error.log'), '2026/11/23 10:00:00 [error] 7#0: *1 upstream timed out\n');
    running = start(['watch', 'error.log', '--from-start', '--json', '--no-listen', '--zone', 'Europe/Berlin'], { cwd: dir });
    await waitFor(() => running!.ofType('signature').length === 1, 'the signature event', 20_000);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    expect(running.ofType('signature')[0]?.['at']).toBe('2026-11-23T09:00:00.000Z');
    const refused = await runCli(['watch', 'error.log', '--json', '--zone', 'Mars/Olympus'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([expect.stringContaining('--zone: "Mars/Olympus" is not a time zone')]);
    // "zone" in logwatch.config.json sets it; --zone overrides it; a zone it does not know names the field.
    const config = parseConfig(JSON.stringify({ zone: '+05:30' }), 'logwatch.config.json');
    const log = path.join(dir, 'error.log');
    expect(watchOptions([log], {}, config).zone).toBe('+05:30');
    expect(watchOptions([log], { zone: 'Europe/Berlin' }, config).zone).toBe('Europe/Berlin');
    expect(watchOptions([log], {}, {}).zone).toBeUndefined();
    expect(() => parseConfig(JSON.stringify({ zone: 'Mars/Olympus' }), 'logwatch.config.json')).toThrow(/zone: expected an IANA time zone/);
  });

  it('--since finds where to start in --zone\'s time', async () => {
    const dir = tempDir();
    // nginx writes its local time (+05:00 here) without a zone.
    const local = (utcMs: number): string => new Date(utcMs + 5 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/');
    const now = Date.now();
    writeFileSync(path.join(dir, 'error.log'), [
      `${local(now - 3 * 3_600_000)} [error] 7#0: *1 three hours ago`,
      `${local(now - 10 * 60_000)} [error] 7#0: *2 ten minutes ago`,
    ].map((l) => `${l}\n`).join(''));
    running = start(['watch', 'error.log', '--since', '1h', '--zone', '+05:00', '--json', '--no-listen', '--stats-every', '1s'], { cwd: dir });
    await waitFor(() => running!.ofType('signature').length >= 1 && lastStats(running!) !== undefined, 'the backfill read', 20_000);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    // Read as UTC, both lines would be hours ahead of now − 1h and both would be read.
    expect(running.ofType('signature').map((e) => e['template'])).toEqual(['ten minutes ago']);
    expect(lastStats(running)?.['lines']).toBe(1);
  });

  it('exits 2 with one line for a path that does not exist', async () => {
    const result = await runCli(['watch', '/nonexistent/php_errors.log', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('/nonexistent/php_errors.log');
  });

  it.each(['0', '1'])('reads stdin with - and ends with it, printing a last stats event (--workers %s)', async (workers) => {
    const input = Array.from({ length: 10 }, (_, i) => phpWarning(i, `Undefined index: id${i}`)).join('');
    const result = await runCli(['watch', '-', '--json', '--workers', workers], { input });
    expect(result.code).toBe(0);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const stats = events.filter((e) => e['type'] === 'stats').at(-1)!;
    expect(stats['lines']).toBe(10);
    // With workers the input ends before its batch is back from them: the run must wait for it.
    expect(stats['records']).toBe(10);
  });

  it('runs as plain `logwatch` from logwatch.config.json: paths, host pattern, start and listen', async () => {
    const dir = tempDir();
    for (const host of ['web-01', 'web-02']) {
      mkdirSync(path.join(dir, 'logs', host), { recursive: true });
      writeFileSync(path.join(dir, 'logs', host, 'php_errors.log'), phpWarning(1, `Undefined index: on_${host.replace('-', '_')}`));
    }
    writeFileSync(path.join(dir, 'logwatch.config.json'), JSON.stringify({
      paths: ['logs/*/php_errors.log'], hostPattern: 'logs/{host}/*.log', fromStart: true, listen: false,
    }));
    running = start(['--json', '--stats-every', '1s'], { cwd: dir });
    // Both hosts' lines, read from their start (they differ only in a number: one signature).
    await waitFor(() => lastStats(running!)?.['records'] === 2, 'both records', 20_000);
    expect(lastStats(running)).toMatchObject({ hosts: 2, files: 2, signatures: 1 });
    expect(running.ofType('signature')[0]?.['template']).toBe('Undefined index: on_web_<NUM> in /var/www/lib/Listing.php on line <NUM>');
    expect(running.stderr).not.toContain('feed');
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
  });

  it('exits 2 with one line when the --listen address asked for is in use', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'app.log'), '');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const result = await runCli(['watch', 'app.log', '--json', '--listen', `127.0.0.1:${port}`], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([
        `logwatch: --listen: 127.0.0.1:${port} is in use; choose another address`,
      ]);
    } finally {
      busy.close();
    }
  });

  it('rejects a config file with a wrong field, naming it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'logwatch.config.json'), JSON.stringify({ paths: ['x.log'], thresholds: { windowMs: 'ten' } }));
    const result = await runCli(['watch'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/thresholds\.windowMs/);
  });
});

describe('logwatch watch --workers', () => {
  const start = cliProcesses();

  /** Two hosts' logs: traces, telling values, several formats; `rounds` times over. */
  function writeLogs(dir: string, rounds: number, hosts = ['web-01', 'web-02']): number {
    const lines = [
      '[23-Nov-2026 14:03:01 UTC] PHP Fatal error:  Uncaught PDOException: id 2147483647 out of range in /var/www/Db.php:120',
      'Stack trace:',
      '#0 {main}',
      '  thrown in /var/www/Db.php on line 120',
      '2026/11/23 14:03:02 [error] 1234#0: *5 connect() failed (111: Connection refused) while connecting to upstream',
      '{"time":"2026-11-23T14:03:03Z","level":"error","msg":"payment gateway timeout after 30000 ms"}',
    ];
    let records = 0;
    for (const host of hosts) {
      mkdirSync(path.join(dir, 'logs', host), { recursive: true });
      const text: string[] = [];
      for (let round = 0; round < rounds; round++, records += 3) text.push(...lines.map((line) => line.replace('30000', String(30000 + round))));
      writeFileSync(path.join(dir, 'logs', host, 'app.log'), `${text.join('\n')}\n`);
    }
    return records;
  }

  async function eventsWith(dir: string, workers: string, records: number): Promise<Array<Record<string, unknown>>> {
    const running = start(['watch', 'logs/*/app.log', '--host-pattern', 'logs/{host}/*.log', '--from-start', '--json', '--no-listen', '--stats-every', '1s', '--workers', workers], { cwd: dir });
    await waitFor(() => lastStats(running)?.['records'] === records, `${records} records with --workers ${workers}`, 20_000);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    expect(running.stderr).not.toMatch(/worker failed/);
    return running.events.filter((event) => event['type'] !== 'stats');
  }

  it('gives the same events with worker threads as without', async () => {
    // One file: two would be read in an order of their own in each run, and first sightings name a host.
    const dir = tempDir();
    const records = writeLogs(dir, 400, ['web-01']);
    const withWorkers = await eventsWith(dir, '2', records);
    const alone = await eventsWith(dir, '0', records);
    expect(withWorkers.length).toBeGreaterThan(2);
    expect(withWorkers).toEqual(alone);
  });

  it('stopped while lines are at the workers, still counts every line it read', async () => {
    const dir = tempDir();
    writeLogs(dir, 150_000, ['web-01']);
    const running = start(['watch', 'logs/web-01/app.log', '--from-start', '--json', '--no-listen', '--workers', '1'], { cwd: dir });
    await waitFor(() => running.stderr.includes('watching 1 file(s)'), 'the follower to start', 20_000);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    const last = lastStats(running)!;
    // Each record is a fatal error's four lines, or one line; whatever was read when stopped is a whole number of them.
    expect(Number(last['lines'])).toBeGreaterThan(0);
    expect(last['records']).toBe(recordsIn(Number(last['lines'])));
  });

  it('refuses a thread count that is not one, with exit 2', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'app.log'), '');
    const result = await runCli(['watch', 'app.log', '--workers', 'many'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--workers: "many" is not a thread count/);
  });
});

/** Records in the first `lines` lines of a host's log written by writeLogs (six lines, three records, a round). */
function recordsIn(lines: number): number {
  return 3 * Math.floor(lines / 6) + [0, 1, 1, 1, 1, 2][lines % 6]!;
}

function lastStats(process: CliProcess): Record<string, unknown> | undefined {
  return process.ofType('stats').at(-1);
}
